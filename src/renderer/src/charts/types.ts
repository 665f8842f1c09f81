/** What a time chart draws: one line per entry, against the shared x column. */
export interface ChartLine {
  label: string
  colour: string
  /** Dash pattern in px, e.g. `[5, 4]`; solid when absent. */
  dash?: number[]
  width?: number
}
