/** Stored runs overlaid on one chart: one merged time axis, gaps where a run has no point, colour by VM and dash by run. */
import { describe, expect, it } from 'vitest'
import { overlay, runDash } from '../../../src/renderer/src/charts/overlay'
import { vmColour } from '../../../src/renderer/src/charts/palette'
import type { RunSeries } from '../../../src/shared/replay'

function series(runId: string, tMs: number[], vms: Record<string, number[]>): RunSeries {
  return {
    run_id: runId,
    from_ms: tMs[0] ?? 0,
    to_ms: tMs.at(-1) ?? 0,
    window_ms: 1000,
    bucket_ms: null,
    t_ms: tMs,
    vms: Object.entries(vms).map(([vm, xs]) => ({
      vm,
      throughput_ops_s: xs,
      latency_mean_ms: xs.map((x) => x / 10),
      latency_p99_ms: xs.map(() => null),
      disk_iops: xs.map(() => 0),
      cpu_pct: xs.map(() => 50)
    })),
    arrays: []
  }
}

describe('overlay of runs', () => {
  it('merges the time axes and leaves a gap where a run has no point', () => {
    const a = series('a', [1000, 2000, 3000], { web: [10, 20, 30] })
    const b = series('b', [2000, 4000], { web: [5, 7], db: [1, 2] })
    const { lines, data } = overlay(
      [
        { label: 'A', series: a },
        { label: 'B', series: b }
      ],
      'throughput_ops_s'
    )
    expect(data[0]).toEqual([1, 2, 3, 4])
    expect(lines.map((l) => l.label)).toEqual(['A · web', 'B · web', 'B · db'])
    expect(data[1]).toEqual([10, 20, 30, null])
    expect(data[2]).toEqual([null, 5, null, 7])
    expect(data[3]).toEqual([null, 1, null, 2])
  })

  it('keeps a VM one colour across runs and a run one dash across VMs', () => {
    const a = series('a', [1000], { web: [1], db: [2] })
    const b = series('b', [1000], { db: [3], web: [4] })
    const { lines } = overlay(
      [
        { label: 'A', series: a },
        { label: 'B', series: b }
      ],
      'latency_mean_ms'
    )
    const colour = (label: string) => lines.find((l) => l.label === label)!.colour
    expect(colour('B · web')).toBe(colour('A · web'))
    expect(colour('A · db')).toBe(vmColour(1))
    expect(lines.find((l) => l.label === 'A · web')!.dash).toBeUndefined()
    expect(lines.find((l) => l.label === 'B · db')!.dash).toEqual(runDash(1))
  })

  it('draws a later-recorded metric only for the runs that recorded it', () => {
    const old = series('old', [1000, 2000], { web: [1, 2] })
    const now = series('now', [1000, 2000], { web: [3, 4] })
    now.vms[0]!.cpu_hypervisor_pct = [7, 9]
    const { lines, data } = overlay(
      [
        { label: 'A', series: old },
        { label: 'B', series: now }
      ],
      'cpu_hypervisor_pct'
    )
    expect(lines.map((l) => l.label)).toEqual(['B · web'])
    expect(data).toEqual([
      [1, 2],
      [7, 9]
    ])
    expect(overlay([{ label: 'A', series: old }], 'cpu_hypervisor_pct').lines).toEqual([])
  })
})
