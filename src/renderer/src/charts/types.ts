/** What a time chart draws: one line per entry, against the shared x column. */
export interface ChartLine {
  label: string
  colour: string
  /** Dash pattern in px, e.g. `[5, 4]`; solid when absent. */
  dash?: number[]
  width?: number
}

/** A timeline event on the time axis: from its start to its end (the same when instant or refused). */
export interface ChartSpan {
  start_s: number
  end_s: number
  /** done: it ran; refused: the engine refused it; planned: not run yet (a live run). */
  tone: 'done' | 'refused' | 'planned'
}
