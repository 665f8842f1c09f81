/**
 * The time axis of a run's column stores (the VMs' samples, the arrays'):
 * one row per sample window, ascending, as simulated seconds for uPlot's x
 * column and as received (`t_ms`). A window is found by its `t_ms`; a new one
 * adds a row to every column the store holds, so that they stay aligned. A
 * window that arrives out of order (a batch that repeats or precedes one,
 * rare) is inserted in place and the rows renumbered.
 */
import type { Column } from './sampleSeries'

export class TimeAxis {
  /** End of each window, simulated seconds, ascending (uPlot's x column, mutated in place). */
  readonly x: number[] = []
  /** `t_ms` of each row, as received. */
  private readonly tMs: number[] = []
  /** t_ms → row. */
  private readonly rowOf = new Map<number, number>()

  /** `groups`: the store's columns, one group per VM or array (an object of columns), read each time a row is added. */
  constructor(private readonly groups: ReadonlyMap<string, object>) {}

  private *columns(): Iterable<Column> {
    for (const group of this.groups.values()) yield* Object.values(group) as Column[]
  }

  get length(): number {
    return this.x.length
  }

  /** The row of the window ending at `tMs`, added (with a null in every column) when new. */
  row(tMs: number): number {
    const known = this.rowOf.get(tMs)
    if (known !== undefined) return known
    const last = this.tMs.length - 1
    if (last < 0 || this.tMs[last]! < tMs) {
      this.tMs.push(tMs)
      this.x.push(tMs / 1000)
      for (const col of this.columns()) col.push(null)
      this.rowOf.set(tMs, last + 1)
      return last + 1
    }
    let at = this.tMs.findIndex((v) => v > tMs)
    if (at < 0) at = this.tMs.length
    this.tMs.splice(at, 0, tMs)
    this.x.splice(at, 0, tMs / 1000)
    for (const col of this.columns()) col.splice(at, 0, null)
    this.rowOf.clear()
    this.tMs.forEach((v, i) => this.rowOf.set(v, i))
    return at
  }
}
