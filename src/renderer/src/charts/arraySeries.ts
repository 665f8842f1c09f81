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
import { TimeAxis } from './timeAxis'

export interface ArrayColumns {
  utilizationPct: Column
  queueDepth: Column
  iops: Column
}

export class ArraySeries {
  readonly arrays: string[] = []
  private readonly columns = new Map<string, ArrayColumns>()
  private readonly axis = new TimeAxis(this.columns)

  constructor(samples: readonly ArraySample[] = []) {
    markRaw(this)
    this.append(samples)
  }

  /** End of each window, simulated seconds, ascending. */
  get x(): number[] {
    return this.axis.x
  }

  get length(): number {
    return this.axis.length
  }

  array(id: string): ArrayColumns | undefined {
    return this.columns.get(id)
  }

  append(samples: readonly ArraySample[]): void {
    for (const s of samples) {
      const c = this.columnsOf(s.array)
      const row = this.axis.row(s.t_ms)
      c.utilizationPct[row] = s.utilization_pct
      c.queueDepth[row] = s.queue_depth
      c.iops[row] = s.iops
    }
  }

  /**
   * Adds a stored run's array series (`runs:samples`: the VMs' time axis, a
   * column per measure), copied column by column. A window where the array
   * has no sample (null) adds no row.
   */
  appendSeries(stored: RunSeries): void {
    for (const a of stored.arrays) {
      const c = this.columnsOf(a.array)
      stored.t_ms.forEach((t, i) => {
        const u = a.utilization_pct[i]
        const q = a.queue_depth[i]
        const io = a.iops[i]
        if (u === null || u === undefined || q === null || q === undefined || io === null || io === undefined) return
        const row = this.axis.row(t)
        c.utilizationPct[row] = u
        c.queueDepth[row] = q
        c.iops[row] = io
      })
    }
  }

  /** A stored run's array series as columns. */
  static fromSeries(stored: RunSeries): ArraySeries {
    const out = new ArraySeries()
    out.appendSeries(stored)
    return out
  }

  /** An array's columns, added (null up to now) the first time it is seen. */
  private columnsOf(array: string): ArrayColumns {
    let c = this.columns.get(array)
    if (!c) {
      const fill = (): Column => new Array<number | null>(this.axis.length).fill(null)
      c = { utilizationPct: fill(), queueDepth: fill(), iops: fill() }
      this.columns.set(array, c)
      this.arrays.push(array)
    }
    return c
  }
}
