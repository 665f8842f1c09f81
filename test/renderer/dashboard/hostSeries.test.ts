/**
 * Per-host charts from the VMs' windows: a VM counts on its host until its
 * live migration completes, then on the migration's target; a refused
 * migration moves nothing.
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest'
import { SampleSeries } from '../../../src/renderer/src/charts/sampleSeries'
import { hostSeries, migrationMoves } from '../../../src/renderer/src/dashboard/hostSeries'
import { catalog } from '../../../src/shared/catalog'
import { parseExperimentText } from '../../../src/shared/experiment'
import type { Experiment } from '../../../src/shared/experiment/schema'
import type { RunResult, Sample } from '../../../src/shared/result'
import { exampleFiles } from '../builder/examples'

/**
 * The engine, to simulate the preset: loaded by the test bundler, since the renderer's code (and its type
 * check) may not import the main process's modules.
 */
type Engine = { runToEnd(exp: Experiment, seed: number): { samples: Sample[]; result: RunResult } }
const engine = Object.values(import.meta.glob('../../../src/main/engine/index.ts', { eager: true }))[0] as Engine

const parsed = parseExperimentText(exampleFiles.find(([name]) => name === 'passthrough-vs-vmxnet3-mobility.yaml')![1])
if (!parsed.ok) throw new Error('the mobility preset does not parse')
const exp = { ...parsed.experiment, baseline: 'none' as const }
const { samples, result } = engine.runToEnd(exp, exp.seed)
const series = new SampleSeries()
series.append(samples)

/** Mean of a column over the rows whose window ends within [from, to] s. */
function mean(col: (number | null)[], from: number, to: number): number {
  const xs = series.x.map((x, i) => (x >= from && x <= to ? col[i] : null)).filter((v): v is number => v !== null)
  return xs.reduce((a, b) => a + b, 0) / xs.length
}

describe('host series', () => {
  const moves = migrationMoves(result.events)
  const mobile = moves.find((m) => m.vm === 'mobile')!

  it('reads the completed migration from the timeline, not the refused one', () => {
    expect(moves.map((m) => [m.vm, m.to])).toEqual([['mobile', 'esx2']])
    expect(result.events.find((e) => e.vm === 'direct')?.ok).toBe(false)
    expect(mobile.doneS).toBeGreaterThan(15)
    expect(mobile.doneS).toBeLessThan(exp.duration_s - 5)
  })

  it("the migrated VM's CPU, network and split move from esx1 to esx2 once the migration completes", () => {
    const [esx1, esx2] = hostSeries(series, exp, result.events)
    expect([esx1!.host, esx2!.host]).toEqual(['esx1', 'esx2'])
    const before = [exp.warmup_s + 1, 14] as const
    const after = [mobile.doneS + 1, exp.duration_s] as const
    // Before: both VMs on esx1, esx2 idle.
    expect(mean(esx2!.cpuPct, ...before)).toBe(0)
    expect(mean(esx1!.cpuPct, ...before)).toBeGreaterThan(0)
    // After: the mobile VM's share is on esx2 and gone from esx1.
    const mobileCpu = series.vm('mobile')!.cpuPct
    const h2 = exp.hosts.find((h) => h.id === 'esx2')!
    const cores = catalog.cpus[h2.cpu]!.cores * h2.sockets
    const share = (mean(mobileCpu, ...after) * exp.vms.find((v) => v.id === 'mobile')!.vcpus) / cores
    expect(share).toBeGreaterThan(0)
    expect(mean(esx2!.cpuPct, ...after)).toBeCloseTo(share, 6)
    expect(mean(esx1!.cpuPct, ...after)).toBeLessThan(mean(esx1!.cpuPct, ...before) - share / 2)
    expect(mean(esx2!.netGbps, ...after)).toBeGreaterThan(0)
    expect(mean(esx2!.cpuGuestPct, ...after) + mean(esx2!.cpuHypervisorPct, ...after)).toBeCloseTo(mean(esx2!.cpuPct, ...after), 6)
  })

  it('without the timeline (a live run before its result) every VM counts on its configured host', () => {
    const [esx1, esx2] = hostSeries(series, exp, null)
    expect(esx2!.cpuPct.every((v) => v === 0)).toBe(true)
    expect(mean(esx1!.cpuPct, mobile.doneS + 1, exp.duration_s)).toBeGreaterThan(0)
  })

  it('a run stored before the split and volumes were sampled leaves those columns empty', () => {
    const old = new SampleSeries()
    old.append(samples.map(({ t_ms, vm, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops, cpu_pct }) => ({ t_ms, vm, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops, cpu_pct })))
    const [esx1] = hostSeries(old, exp, result.events)
    expect(esx1!.cpuPct.some((v) => v !== null)).toBe(true)
    for (const k of ['cpuGuestPct', 'cpuHypervisorPct', 'diskMbS', 'netGbps'] as const) expect(esx1![k].every((v) => v === null)).toBe(true)
  })
})
