/**
 * Undo and redo for the experiment, across the canvas and the text: every
 * edit, from either view, records the text before it. Undo restores that
 * exact text. Typing is grouped: keystrokes in a row make one step, ended by
 * any other kind of edit or by a pause, so Ctrl+Z undoes a word, not a letter.
 * Bounded by steps and by characters held, oldest dropped first.
 */
export interface HistoryEntry {
  text: string
  /** What the edit was, for the Undo button's title ("Undo: Added VM vm3"). */
  label: string
}

export interface HistoryOptions {
  maxSteps: number
  maxChars: number
  /** Keystrokes further apart than this start a new step. */
  groupMs: number
}

const DEFAULTS: HistoryOptions = { maxSteps: 500, maxChars: 50_000_000, groupMs: 1200 }

export class EditHistory {
  private undoStack: HistoryEntry[] = []
  private redoStack: HistoryEntry[] = []
  private chars = 0
  private lastGroup: { key: string; at: number } | null = null
  private readonly options: HistoryOptions

  constructor(options: Partial<HistoryOptions> = {}) {
    this.options = { ...DEFAULTS, ...options }
  }

  /**
   * Records that the text was `before` until an edit labelled `label`. An edit
   * with the same `group` key as the previous one, soon after it, joins its step.
   */
  record(before: string, label: string, group?: string, now = Date.now()): void {
    const joins = group !== undefined && this.lastGroup?.key === group && now - this.lastGroup.at <= this.options.groupMs
    this.lastGroup = group === undefined ? null : { key: group, at: now }
    this.redoStack = []
    if (joins && this.undoStack.length > 0) return
    this.undoStack.push({ text: before, label })
    this.chars += before.length
    while (this.undoStack.length > this.options.maxSteps || (this.chars > this.options.maxChars && this.undoStack.length > 1)) {
      this.chars -= this.undoStack.shift()!.text.length
    }
  }

  /** Ends the current typing group, so the next keystroke starts a new step. */
  seal(): void {
    this.lastGroup = null
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0
  }

  get undoLabel(): string | null {
    return this.undoStack.at(-1)?.label ?? null
  }

  get redoLabel(): string | null {
    return this.redoStack.at(-1)?.label ?? null
  }

  /** The text to go back to, given the text now; null when there is nothing to undo. */
  undo(current: string): string | null {
    const entry = this.undoStack.pop()
    if (!entry) return null
    this.chars -= entry.text.length
    this.redoStack.push({ text: current, label: entry.label })
    this.lastGroup = null
    return entry.text
  }

  redo(current: string): string | null {
    const entry = this.redoStack.pop()
    if (!entry) return null
    this.undoStack.push({ text: current, label: entry.label })
    this.chars += current.length
    this.lastGroup = null
    return entry.text
  }

  clear(): void {
    this.undoStack = []
    this.redoStack = []
    this.chars = 0
    this.lastGroup = null
  }
}
