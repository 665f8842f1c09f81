/**
 * The experiment being built: one YAML text that the canvas, the inventory,
 * the property panel and the text view all show and edit. Every edit goes
 * through here, so undo/redo spans both views; the text is checked with the
 * lab's own parser (every problem in one pass, at its path); and the draft is
 * autosaved into the store as the user works, so a reload or a crash loses
 * nothing. Saving puts it in the experiment library; a saved experiment opens
 * again at `#/build/<id>`.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { useLabApi } from '../api'
import { decodeExperimentBytes, formatBytes, LIMITS, parseExperimentText, parsePath, utf8Length, type Issue, type ParseOutcome, type PathPart } from '../api/shared'
import { DocumentEditor, newExperimentText, type EditResult, type Fragment } from '../builder/edits'
import { EditHistory } from '../builder/history'
import { describeError } from '../util/errors'

export type Layout = Record<string, { x: number; y: number }>

/** Typing is checked once it pauses this long; canvas edits are checked at once. */
const CHECK_DELAY_MS = 150
const AUTOSAVE_DELAY_MS = 400

export interface LocatedIssue extends Issue {
  parts: PathPart[]
}

export const useBuilderStore = defineStore('builder', () => {
  const api = useLabApi()

  const text = ref(newExperimentText())
  /** The text that the canvas and the checks follow: the text itself, once typing pauses. */
  const settledText = ref(text.value)
  /** The library record this draft was opened from or last saved as. */
  const experimentId = ref<string | null>(null)
  /** The text as last opened or saved, to tell unsaved changes. */
  const savedText = ref<string | null>(null)
  const origin = ref('New experiment')
  /** The stored run this draft was opened from ("Open in editor"), so its results stay one click away. */
  const fromRun = ref<{ id: string; name: string } | null>(null)
  /** Positions of nodes the user moved by hand (top-level ones absolute, others within their container). */
  const layout = ref<Layout>({})
  const selection = ref<string[]>([])
  /** A one-line note after an edit (what it did, or why it could not be done). */
  const notice = ref<{ kind: 'info' | 'error'; text: string } | null>(null)
  /** Bumped when the text is replaced from outside the text view (canvas edit, undo, open). */
  const externalVersion = ref(0)
  const restored = ref(false)

  const history = new EditHistory()
  const historyVersion = ref(0)

  const autosaveState = ref<'idle' | 'pending' | 'saving' | 'saved' | 'failed'>('idle')
  const autosaveError = ref<string | null>(null)
  const savedAt = ref<string | null>(null)
  const saving = ref(false)
  const saveError = ref<string | null>(null)

  const textBytes = computed(() => utf8Length(settledText.value))
  const tooLarge = computed(() => textBytes.value > LIMITS.textBytes)
  const editor = shallowRef(new DocumentEditor(settledText.value))
  const outcome = shallowRef<ParseOutcome>(parseExperimentText(settledText.value))

  let checkTimer: ReturnType<typeof setTimeout> | null = null
  function settle(): void {
    if (checkTimer !== null) clearTimeout(checkTimer)
    checkTimer = null
    if (settledText.value === text.value) return
    settledText.value = text.value
  }
  // At once (not at the next tick): an edit right after typing must apply to what was typed.
  watch(
    settledText,
    (t) => {
      editor.value = new DocumentEditor(utf8Length(t) > LIMITS.textBytes ? '' : t)
      outcome.value = parseExperimentText(t)
    },
    { flush: 'sync' }
  )

  const graph = computed(() => editor.value.graph)
  const editable = computed(() => !tooLarge.value && editor.value.editable)
  const issues = computed<LocatedIssue[]>(() => (outcome.value.ok ? [] : outcome.value.issues.map((i) => ({ ...i, parts: parsePath(i.path) }))))
  const valid = computed(() => outcome.value.ok)
  /** The VMs of the checked text, in file order (a run's chart series follow it); none while it has problems. */
  const vmIds = computed(() => (outcome.value.ok ? outcome.value.experiment.vms.map((v) => v.id) : []))
  const checking = computed(() => settledText.value !== text.value)
  const name = computed(() => {
    const value = editor.value.value
    const n = value && typeof value === 'object' && 'name' in value ? (value as { name?: unknown }).name : undefined
    return typeof n === 'string' && n.trim() !== '' ? n : 'Untitled experiment'
  })
  const dirty = computed(() => savedText.value !== text.value)

  /** Why Run is not possible now, or null. */
  const runBlockedReason = computed<string | null>(() => {
    if (checking.value) return 'Checking…'
    const first = issues.value[0]
    if (!first) return null
    const more = issues.value.length > 1 ? ` (and ${issues.value.length - 1} more)` : ''
    return `${first.path}: ${first.message}${more}`
  })

  // Editing

  function replaceText(next: string, label: string, group?: string): void {
    if (next === text.value) return
    history.record(text.value, label, group)
    historyVersion.value++
    text.value = next
  }

  /**
   * Applies a canvas or panel edit; a refusal becomes the notice. Edits with
   * the same `group` in a row (keystrokes in one field) make one undo step.
   */
  function apply(edit: (e: DocumentEditor) => EditResult, group?: string): boolean {
    settle()
    const result = edit(editor.value)
    if (!result.ok) {
      notice.value = { kind: 'error', text: result.reason }
      return false
    }
    if (group === undefined) history.seal()
    replaceText(result.text, result.summary, group)
    settle()
    externalVersion.value++
    if (result.select.length > 0) selection.value = result.select
    notice.value = { kind: 'info', text: result.summary }
    return true
  }

  /** A change typed in the text view; keystrokes in a row make one undo step. */
  function typed(next: string): void {
    replaceText(next, 'Typing', 'text')
    if (checkTimer !== null) clearTimeout(checkTimer)
    checkTimer = setTimeout(settle, CHECK_DELAY_MS)
  }

  /** Undo or redo: `step` takes the text as it is and gives the one to show, or null at the end of the history. */
  function travel(step: (current: string) => string | null): void {
    settle()
    const next = step(text.value)
    if (next === null) return
    historyVersion.value++
    text.value = next
    settle()
    externalVersion.value++
    notice.value = null
  }

  function undo(): void {
    travel((current) => history.undo(current))
  }

  function redo(): void {
    travel((current) => history.redo(current))
  }

  const canUndo = computed(() => (historyVersion.value, history.canUndo))
  const canRedo = computed(() => (historyVersion.value, history.canRedo))
  const undoLabel = computed(() => (historyVersion.value, history.undoLabel))
  const redoLabel = computed(() => (historyVersion.value, history.redoLabel))

  function select(ids: string[]): void {
    const same = ids.length === selection.value.length && ids.every((id, i) => selection.value[i] === id)
    if (!same) selection.value = ids
  }

  function moveNode(id: string, position: { x: number; y: number }): void {
    const next: Layout = { ...layout.value }
    delete next[id]
    next[id] = { x: Math.round(position.x), y: Math.round(position.y) }
    // Positions of nodes that are gone are dropped; past the saved budget, the oldest moves are forgotten.
    const known = new Set(graph.value.nodes.map((n) => n.id))
    for (const key of Object.keys(next)) if (!known.has(key)) delete next[key]
    const keys = Object.keys(next)
    while (keys.length > 1 && utf8Length(JSON.stringify(next)) > LIMITS.layoutBytes) delete next[keys.shift()!]
    layout.value = next
  }

  function resetLayout(): void {
    layout.value = {}
  }

  // Documents

  /** Replaces the document (New, Open, a preset); undo brings the previous one back. */
  function load(next: string, from: string, id: string | null = null, asSaved: string | null = null): void {
    history.seal()
    replaceText(next, `Open ${from}`)
    settle()
    externalVersion.value++
    origin.value = from
    experimentId.value = id
    savedText.value = asSaved
    fromRun.value = null
    layout.value = {}
    selection.value = []
    notice.value = null
    saveError.value = null
  }

  function newExperiment(): void {
    load(newExperimentText(), 'New experiment')
  }

  async function openSaved(id: string): Promise<boolean> {
    try {
      const { experiment: record } = await api.experiments.get({ id })
      // The draft holds unsaved edits of this very experiment: keep them rather than the stored text.
      if (experimentId.value === id && restored.value) return true
      load(record.text, `Saved experiment “${record.name}”`, record.id, record.text)
      return true
    } catch (error) {
      notice.value = { kind: 'error', text: `Could not open the saved experiment: ${describeError(error).message}` }
      return false
    }
  }

  /**
   * Opens the text a stored run ran, as an edit of its library experiment
   * (Save adds a version to it); the run stays linked from the builder.
   */
  async function openRun(run: { id: string; experiment_id: string; experiment_name: string }, runText: string): Promise<void> {
    load(runText, `Run ${run.id.slice(0, 8)} of “${run.experiment_name}”`, null, null)
    fromRun.value = { id: run.id, name: run.experiment_name }
    try {
      const { experiment: record } = await api.experiments.get({ id: run.experiment_id })
      // Still the same document (nothing else was opened meanwhile): it edits that experiment.
      if (fromRun.value?.id !== run.id) return
      experimentId.value = record.id
      savedText.value = record.text
    } catch {
      // The experiment was deleted: the text opens as a new one (Save makes it a library experiment again).
    }
  }

  /**
   * The library experiment the draft edits was deleted: the draft stays, as a
   * new experiment (Save keeps it again; Run no longer names a deleted one).
   */
  function detach(id: string, name: string): void {
    if (experimentId.value !== id) return
    experimentId.value = null
    savedText.value = null
    origin.value = `Deleted experiment “${name}” (Save keeps it again)`
  }

  /** A run of the draft started as its library experiment: that text is now the experiment's current one. */
  function ranAsSaved(runText: string): void {
    savedText.value = runText
  }

  async function openFile(file: File): Promise<void> {
    if (file.size > LIMITS.textBytes) {
      notice.value = { kind: 'error', text: `${file.name} is too large: ${formatBytes(file.size)}; an experiment may be at most ${formatBytes(LIMITS.textBytes)}.` }
      return
    }
    try {
      // The same rule as the CLI: a UTF-16 or binary file is named as such, not parsed as garbage.
      const decoded = decodeExperimentBytes(new Uint8Array(await file.arrayBuffer()))
      if (!decoded.ok) {
        notice.value = { kind: 'error', text: `${file.name}: ${decoded.message}.` }
        return
      }
      load(decoded.text, `File ${file.name}`)
    } catch (error) {
      notice.value = { kind: 'error', text: `Could not read ${file.name}: ${describeError(error).message}` }
    }
  }

  /** Saves into the library: the same record again (Save) or a new one (Save As). */
  async function save(asNew = false): Promise<boolean> {
    settle()
    if (!valid.value) {
      saveError.value = `Not saved: ${runBlockedReason.value ?? 'the experiment has problems'}. Fix them first (the draft itself is kept).`
      return false
    }
    saving.value = true
    saveError.value = null
    try {
      const saved = await api.experiments.save({ text: text.value, ...(experimentId.value && !asNew ? { id: experimentId.value } : {}) })
      experimentId.value = saved.id
      savedText.value = text.value
      origin.value = `Saved experiment “${saved.name}”`
      notice.value = { kind: 'info', text: `Saved “${saved.name}” in the library` }
      return true
    } catch (error) {
      saveError.value = `Not saved: ${describeError(error).message}`
      return false
    } finally {
      saving.value = false
    }
  }

  // Copy and paste

  let clipboard: Fragment | null = null
  function copySelection(): boolean {
    const fragment = editor.value.copy(selection.value)
    const n = fragment.hosts.length + fragment.arrays.length + fragment.volumes.length + fragment.vms.length
    if (n === 0) {
      notice.value = { kind: 'error', text: 'Select hosts, VMs, arrays or volumes to copy.' }
      return false
    }
    clipboard = fragment
    notice.value = { kind: 'info', text: `Copied ${n} element${n === 1 ? '' : 's'}` }
    return true
  }
  function paste(): void {
    if (!clipboard) {
      notice.value = { kind: 'error', text: 'Nothing copied yet.' }
      return
    }
    const fragment = clipboard
    apply((e) => e.paste(fragment))
  }

  // Autosave and restore

  let autosaveTimer: ReturnType<typeof setTimeout> | null = null
  async function autosaveNow(): Promise<void> {
    if (autosaveTimer !== null) clearTimeout(autosaveTimer)
    autosaveTimer = null
    if (!restored.value || utf8Length(text.value) > LIMITS.textBytes) return
    autosaveState.value = 'saving'
    try {
      await api.drafts.save({ text: text.value, experiment_id: experimentId.value, origin: origin.value, layout: layout.value })
      autosaveState.value = 'saved'
      autosaveError.value = null
      savedAt.value = new Date().toISOString()
    } catch (error) {
      autosaveState.value = 'failed'
      autosaveError.value = describeError(error).message
    }
  }
  watch([text, layout, experimentId, origin], () => {
    if (!restored.value) return
    autosaveState.value = 'pending'
    if (autosaveTimer !== null) clearTimeout(autosaveTimer)
    autosaveTimer = setTimeout(() => void autosaveNow(), AUTOSAVE_DELAY_MS)
  })

  /** Brings back the autosaved draft (once per window), unless a draft is already being edited. */
  async function restore(): Promise<void> {
    if (restored.value) return
    try {
      const draft = await api.drafts.get({})
      if (draft && !restored.value) {
        text.value = draft.text
        settle()
        externalVersion.value++
        experimentId.value = draft.experiment_id
        origin.value = draft.origin
        layout.value = draft.layout
        if (draft.experiment_id) {
          // Whether the draft differs from what is saved decides the "unsaved changes" mark.
          try {
            savedText.value = (await api.experiments.get({ id: draft.experiment_id })).experiment.text
          } catch {
            savedText.value = null
          }
        }
      }
      restored.value = true
    } catch (error) {
      notice.value = { kind: 'error', text: `Could not restore the draft: ${describeError(error).message}` }
    }
  }

  return {
    text,
    settledText,
    experimentId,
    savedText,
    origin,
    fromRun,
    layout,
    selection,
    notice,
    externalVersion,
    restored,
    autosaveState,
    autosaveError,
    savedAt,
    saving,
    saveError,
    tooLarge,
    editor,
    outcome,
    graph,
    editable,
    issues,
    valid,
    vmIds,
    checking,
    name,
    dirty,
    runBlockedReason,
    canUndo,
    canRedo,
    undoLabel,
    redoLabel,
    apply,
    typed,
    settle,
    undo,
    redo,
    select,
    moveNode,
    resetLayout,
    load,
    newExperiment,
    openSaved,
    openRun,
    ranAsSaved,
    detach,
    openFile,
    save,
    copySelection,
    paste,
    autosaveNow,
    restore
  }
})
