/**
 * What the dashboard's two array charts draw: per SAN array of the
 * experiment (in its order), its back end's utilization (%) and its mean
 * queue depth over each window, cut at a replay's playhead and decimated to
 * a chart's width. Whether the run recorded them at all is told apart from
 * an array that was idle: a run stored before array samples existed has no
 * row, an idle array has rows of zeros.
 */
import type uPlot from 'uplot'
import type { ArraySeries } from '../charts/arraySeries'
import { bucketSize, decimateColumn, decimateX } from './decimate'

export interface ArrayChartData {
  /** Array ids, one line each, in the experiment's order. */
  arrays: string[]
  /** [x, one column per array]. */
  utilization: uPlot.AlignedData
  queueDepth: uPlot.AlignedData
  /** Whether the run has any array sample. */
  recorded: boolean
  /** The run has VM windows but no array window: stored before array samples existed (a run with no window yet is only early). */
  notRecorded: boolean
}

/**
 * The columns for `ids` (the experiment's arrays) from `series`, windows ending by `untilS` (all when
 * null), at most `maxPoints` per line: a bucket of windows takes their mean, as the host charts do. `vmWindows`: how many
 * windows the run's VM series has (to tell a run that did not record arrays from one that has not begun).
 */
export function arrayChartData(series: ArraySeries | null, ids: readonly string[], untilS: number | null, maxPoints: number, vmWindows: number): ArrayChartData {
  const arrays = [...ids]
  if (!series || series.length === 0) return { arrays, utilization: [[]], queueDepth: [[]], recorded: false, notRecorded: vmWindows > 0 }
  let until = series.x.length
  if (untilS !== null) {
    until = 0
    while (until < series.x.length && series.x[until]! <= untilS + 1e-9) until++
  }
  const size = bucketSize(until, maxPoints)
  const x = decimateX(series.x, size, until)
  const column = (id: string, pick: 'utilizationPct' | 'queueDepth'): (number | null)[] => {
    const c = series.array(id)
    return c ? decimateColumn(c[pick], size, 'mean', until) : new Array<number | null>(x.length).fill(null)
  }
  return {
    arrays,
    utilization: [x, ...arrays.map((id) => column(id, 'utilizationPct'))],
    queueDepth: [x, ...arrays.map((id) => column(id, 'queueDepth'))],
    recorded: true,
    notRecorded: false
  }
}
