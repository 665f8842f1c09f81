/**
 * The dashboard's array charts from a run's array samples: one line per
 * array of the experiment, cut at a replay's playhead, decimated by the mean
 * of each bucket; a run without array samples reads as not recorded, an idle
 * array as zeros.
 */
import { describe, expect, it } from 'vitest'
import { ArraySeries } from '../../../src/renderer/src/charts/arraySeries'
import { arrayChartData } from '../../../src/renderer/src/dashboard/arrayCharts'
import type { ArraySample } from '../../../src/shared/result'

function windows(n: number, arrays: readonly string[], value: (i: number, a: number) => number): ArraySample[] {
  const out: ArraySample[] = []
  for (let i = 1; i <= n; i++) arrays.forEach((array, a) => out.push({ t_ms: i * 500, array, utilization_pct: value(i, a), queue_depth: value(i, a) / 10, iops: 1 }))
  return out
}

describe('array charts', () => {
  it('one line per array in the experiment order, x in seconds, whatever order the samples came in', () => {
    const series = new ArraySeries(windows(4, ['b', 'a'], (i, a) => i + 100 * a))
    const d = arrayChartData(series, ['a', 'b'], null, 1000, 10)
    expect(d.recorded).toBe(true)
    expect(d.utilization[0]).toEqual([0.5, 1, 1.5, 2])
    expect(d.utilization[1]).toEqual([101, 102, 103, 104])
    expect(d.utilization[2]).toEqual([1, 2, 3, 4])
    expect(d.queueDepth[1]).toEqual([10.1, 10.2, 10.3, 10.4])
  })

  it("stops at a replay's playhead and averages buckets to fit the chart", () => {
    const series = new ArraySeries(windows(10, ['a'], (i) => i))
    const cut = arrayChartData(series, ['a'], 2.0, 1000, 10)
    expect(cut.utilization[0]).toEqual([0.5, 1, 1.5, 2])
    const small = arrayChartData(series, ['a'], null, 5, 10)
    expect(small.utilization[0]).toEqual([1, 2, 3, 4, 5])
    expect(small.utilization[1]).toEqual([1.5, 3.5, 5.5, 7.5, 9.5])
  })

  it('appending live batches extends the same columns, and a window split across batches fills one row', () => {
    const series = new ArraySeries()
    series.append(windows(2, ['a'], (i) => i))
    series.append([{ t_ms: 1500, array: 'b', utilization_pct: 7, queue_depth: 0.7, iops: 1 }])
    series.append([{ t_ms: 1500, array: 'a', utilization_pct: 3, queue_depth: 0.3, iops: 1 }])
    const d = arrayChartData(series, ['a', 'b'], null, 1000, 10)
    expect(d.utilization).toEqual([
      [0.5, 1, 1.5],
      [1, 2, 3],
      [null, null, 7]
    ])
  })

  it('a run without array samples is not recorded; an array of the experiment without samples is a gap, not zero', () => {
    expect(arrayChartData(new ArraySeries(), ['a'], null, 1000, 10)).toMatchObject({ recorded: false, notRecorded: true })
    expect(arrayChartData(null, ['a'], null, 1000, 10)).toMatchObject({ recorded: false, notRecorded: true })
    // A live run before its first window is early, not unrecorded.
    expect(arrayChartData(new ArraySeries(), ['a'], null, 1000, 0)).toMatchObject({ recorded: false, notRecorded: false })
    const d = arrayChartData(new ArraySeries(windows(2, ['a'], () => 0)), ['a', 'z'], null, 1000, 10)
    expect(d.utilization[1]).toEqual([0, 0])
    expect(d.utilization[2]).toEqual([null, null])
  })
})
