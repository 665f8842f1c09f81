/**
 * The dashboard's column stores (the VMs' samples, the arrays'): one time
 * axis, every column aligned with it, whether windows arrive in order, out of
 * order, split over batches, or as a stored run's columns.
 */
import { describe, expect, it } from 'vitest'
import type { ArraySample, RunSeries, Sample } from '../../../src/renderer/src/api/shared'
import { ArraySeries } from '../../../src/renderer/src/charts/arraySeries'
import { SampleSeries } from '../../../src/renderer/src/charts/sampleSeries'

const sample = (t_ms: number, vm: string, throughput: number): Sample =>
  ({ t_ms, vm, throughput_ops_s: throughput, latency_mean_ms: 1, latency_p99_ms: 2, disk_iops: 0, cpu_pct: 10 }) as Sample
const arraySample = (t_ms: number, array: string, utilization: number): ArraySample => ({ t_ms, array, utilization_pct: utilization, queue_depth: utilization / 100, iops: utilization * 10 })

describe('SampleSeries', () => {
  it('keeps every column aligned with the time axis when a window arrives late or a VM appears late', () => {
    const s = new SampleSeries()
    s.append([sample(1000, 'a', 10), sample(3000, 'a', 30)])
    s.append([sample(2000, 'b', 21)]) // a new VM, in a window between two known ones
    s.append([sample(2000, 'a', 20)]) // the same window, another batch
    expect(s.x).toEqual([1, 2, 3])
    expect(s.vm('a')!.throughput).toEqual([10, 20, 30])
    expect(s.vm('b')!.throughput).toEqual([null, 21, null])
    expect(s.vm('a')!.cpuGuestPct).toEqual([null, null, null])
  })
})

describe('ArraySeries', () => {
  it('keeps every array aligned with the time axis, in order or not', () => {
    const s = new ArraySeries([arraySample(2000, 'eva', 50)])
    s.append([arraySample(1000, 'eva', 40), arraySample(1000, 'cx4', 5)])
    s.append([arraySample(3000, 'cx4', 7)])
    expect(s.x).toEqual([1, 2, 3])
    expect(s.arrays).toEqual(['eva', 'cx4'])
    expect(s.array('eva')!.utilizationPct).toEqual([40, 50, null])
    expect(s.array('cx4')!.iops).toEqual([50, null, 70])
  })

  it('reads a stored run’s columns, leaving out the windows where an array has no sample', () => {
    const stored = {
      t_ms: [1000, 2000, 3000],
      vms: [],
      arrays: [{ array: 'eva', utilization_pct: [40, null, 60], queue_depth: [0.4, null, 0.6], iops: [400, null, 600] }]
    } as unknown as RunSeries
    const s = ArraySeries.fromSeries(stored)
    expect(s.x).toEqual([1, 3])
    expect(s.array('eva')!.queueDepth).toEqual([0.4, 0.6])
    // A run with no arrays has no rows.
    expect(ArraySeries.fromSeries({ ...stored, arrays: [] } as unknown as RunSeries).length).toBe(0)
  })
})
