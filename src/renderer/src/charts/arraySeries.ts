/**
 * Column store of a run's SAN array samples, shaped for uPlot as
 * `SampleSeries` is for the VMs': one x column (simulated seconds, the end
 * of each window) and per array its utilization (%), mean queue depth and
 * IOPS, aligned by window. Appending mutates the columns in place; the
 * instance is not reactive (stores keep it in a shallowRef and bump a
 * version), for the same reason as the VMs' series.
 */
import { markRaw } from 'vue'
import type { ArraySample, RunSeries } from '../api/shared'
import type { Column } from './sampleSeries'

export interface ArrayColumns {
  utilizationPct: Column
  queueDepth: Column
  iops: Column
}

export class ArraySeries {
  /** End of each window, simulated seconds, ascending. */
  readonly x: number[] = []
  readonly arrays: string[] = []
  private readonly columns = new Map<string, ArrayColumns>()
  /** t_ms → row. */
  private readonly rowOf = new Map<number, number>()
  private readonly tMs: number[] = []

  constructor(samples: readonly ArraySample[] = []) {
    markRaw(this)
    this.append(samples)
  }

  get length(): number {
    return this.x.length
  }

  array(id: string): ArrayColumns | undefined {
    return this.columns.get(id)
  }

  append(samples: readonly ArraySample[]): void {
    for (const s of samples) {
      let c = this.columns.get(s.array)
      if (!c) {
        const fill = (): Column => new Array<number | null>(this.x.length).fill(null)
        c = { utilizationPct: fill(), queueDepth: fill(), iops: fill() }
        this.columns.set(s.array, c)
        this.arrays.push(s.array)
      }
      const row = this.row(s.t_ms)
      c.utilizationPct[row] = s.utilization_pct
      c.queueDepth[row] = s.queue_depth
      c.iops[row] = s.iops
    }
  }

  /** Adds a stored run's array series (`runs:samples`: the VMs' time axis, a column per measure). */
  appendSeries(stored: RunSeries): void {
    for (const a of stored.arrays) {
      stored.t_ms.forEach((t, i) => {
        const u = a.utilization_pct[i]
        const q = a.queue_depth[i]
        const io = a.iops[i]
        if (u === null || u === undefined || q === null || q === undefined || io === null || io === undefined) return
        this.append([{ t_ms: t, array: a.array, utilization_pct: u, queue_depth: q, iops: io }])
      })
    }
  }

  /** A stored run's array series as columns. */
  static fromSeries(stored: RunSeries): ArraySeries {
    const out = new ArraySeries()
    out.appendSeries(stored)
    return out
  }

  private row(tMs: number): number {
    const known = this.rowOf.get(tMs)
    if (known !== undefined) return known
    const last = this.tMs.length - 1
    if (last < 0 || this.tMs[last]! < tMs) {
      this.tMs.push(tMs)
      this.x.push(tMs / 1000)
      for (const c of this.columns.values()) for (const col of Object.values(c) as Column[]) col.push(null)
      this.rowOf.set(tMs, last + 1)
      return last + 1
    }
    // Out of order (a batch that repeats or precedes a window, rare): insert in place and renumber.
    let at = this.tMs.findIndex((v) => v > tMs)
    if (at < 0) at = this.tMs.length
    this.tMs.splice(at, 0, tMs)
    this.x.splice(at, 0, tMs / 1000)
    for (const c of this.columns.values()) for (const col of Object.values(c) as Column[]) col.splice(at, 0, null)
    this.rowOf.clear()
    this.tMs.forEach((v, i) => this.rowOf.set(v, i))
    return at
  }
}
