import { describe, expect, it } from 'vitest'
import {
  compareRuns,
  diffExperiments,
  formatChange,
  meanInterval,
  pairedInterval,
  t975,
  welchInterval,
  type ComparedRun
} from '../../src/shared/compare'
import { parseExperiment, type Experiment } from '../../src/shared/experiment'
import type { RunResult, VmResult } from '../../src/shared/result'
import { baseExperiment } from '../helpers'

type Mutable = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

function experiment(mutate: (e: Mutable) => void = () => undefined): Experiment {
  const e = baseExperiment() as Mutable
  mutate(e)
  const out = parseExperiment(e)
  if (!out.ok) throw new Error(JSON.stringify(out.issues))
  return out.experiment
}

function vmResult(tp: number, latency: number | null = 10, overhead: number | null = 5): VmResult {
  return {
    throughput_ops_s: tp,
    ops: tp * 10,
    latency_ms: { mean: latency, p50: latency, p95: latency, p99: latency },
    disk: { iops: 100, mb_s: 1, latency_ms: { mean: 5, p99: 9 } },
    net: { gbps: 0.1, pps: 1000 },
    cpu: { guest_pct: 50, hypervisor_pct: 5, ready_pct: 1 },
    techniques: { cpu: 'hw', mmu: 'nested' },
    native_throughput_ops_s: overhead === null ? null : tp / (1 - overhead / 100),
    overhead_pct: overhead,
    overhead_split_pct: overhead === null ? null : { virtualization: overhead - 1, contention: 1 },
    breakdown_pct: { guest: 90, vm_exits: 5, page_walks: 0, device_emulation: 5, hypervisor_io: 0, device_service: 0, queueing: 0 }
  }
}

let nextId = 0
function run(exp: Experiment, seed: number, vms: Record<string, VmResult>): ComparedRun {
  const result: RunResult = {
    format: 'hyperlab/result@1',
    experiment: exp.name,
    seed,
    checksum: `c${seed}`,
    sim: { events: 1, wall_ms: 1, simulated_s: 10 },
    vms,
    hosts: {},
    disks: {},
    arrays: {},
    events: []
  }
  return { run_id: `r${++nextId}`, created_at: '2026-12-01T00:00:00Z', seed, checksum: `c${seed}`, experiment: { ...exp, seed }, result }
}

describe('experiment diff (what changed)', () => {
  it('names a changed field by the id of its entity', () => {
    const changes = diffExperiments(experiment(), experiment((e) => (e.hosts[0].hypervisor = 'esx-4.1')))
    expect(changes.map(formatChange)).toEqual(['hosts[h1].hypervisor: esx-4.0 → esx-4.1'])
  })

  it('matches VMs by id, not position: reordering them changes nothing', () => {
    const two = (e: Mutable): void => {
      e.vms.push({ ...e.vms[0], id: 'vm2', workload: 'web' })
    }
    const a = experiment(two)
    const b = experiment((e) => {
      two(e)
      e.vms.reverse()
    })
    expect(diffExperiments(a, b)).toEqual([])
  })

  it('says which entities were added and removed, with what they are', () => {
    const changes = diffExperiments(
      experiment((e) => {
        e.hosts[0].nics.push({ id: 'n1', gbps: 10 })
        e.vms[0].nics.push({ model: 'vmxnet3', uplink: 'n1' })
      }),
      experiment((e) => e.vms.push({ ...e.vms[0], id: 'vm2', workload: 'web' }))
    )
    expect(changes.map(formatChange)).toEqual([
      'hosts[h1].nics[n1]: removed (was gbps: 10)',
      'vms[vm1].nics[1]: removed (was { model: vmxnet3, uplink: n1 })',
      'vms[vm2]: added (host: h1, workload: web)'
    ])
  })

  it('compares lists without ids by position, lists of ids as a whole, paths by host and adapter', () => {
    const changes = diffExperiments(
      experiment(),
      experiment((e) => {
        e.vms[0].disks[0].format = 'thin'
        e.volumes[1].hosts = ['h1', 'h2']
        e.hosts.push({ ...e.hosts[0], id: 'h2' })
        e.arrays[0].paths.push({ host: 'h2', via: 'fc0' })
        e.vms[0].workload = { preset: 'oltp', arrival: { process: 'closed', clients: 32 } }
      })
    )
    expect(changes.map(formatChange)).toEqual([
      'hosts[h2]: added (cpu: nehalem-x5570, hypervisor: esx-4.0)',
      'arrays[eva].paths[h2/fc0]: added (host: h2, via: fc0)',
      'volumes[ds1].hosts: [h1] → [h1, h2]',
      'vms[vm1].disks[0].format: thick → thin',
      'vms[vm1].workload: oltp → { preset: oltp, arrival: { process: closed, clients: 32, think_ms: 0 } }'
    ])
  })

  it('compares the parsed documents: a default written out equals a default left out', () => {
    expect(diffExperiments(experiment(), experiment((e) => (e.hosts[0].cpu_virt = 'auto')))).toEqual([])
  })
})

describe('interval statistics', () => {
  it('uses Student t quantiles', () => {
    expect(t975(1)).toBeCloseTo(12.706, 3)
    expect(t975(10)).toBeCloseTo(2.228, 3)
    expect(t975(30)).toBeCloseTo(2.042, 3)
    expect(t975(60)).toBeCloseTo(2.0003, 3)
    expect(t975(1e6)).toBeCloseTo(1.96, 2)
  })

  it('gives the textbook interval of a mean', () => {
    // mean 5, s = 1.5811, n = 5: half-width 2.776 × 1.5811 / √5 = 1.963
    const ci = meanInterval([3, 4, 5, 6, 7])!
    expect(ci.low).toBeCloseTo(5 - 1.963, 2)
    expect(ci.high).toBeCloseTo(5 + 1.963, 2)
    expect(meanInterval([1])).toBeNull()
  })

  it('pairs replications: a constant change has a zero-width interval however noisy the runs', () => {
    const a = [10, 20, 30]
    const b = [12, 22, 32]
    expect(pairedInterval(a, b)).toEqual({ low: 2, high: 2 })
    const welch = welchInterval(a, b)!
    expect(welch.low).toBeLessThan(-10)
    expect(welch.high).toBeGreaterThan(14)
  })
})

describe('compareRuns', () => {
  it('compares one run with another: deltas absolute and relative, no interval, common random numbers', () => {
    const a = experiment()
    const b = experiment((e) => (e.hosts[0].hypervisor = 'esx-4.1'))
    const cmp = compareRuns([run(a, 42, { vm1: vmResult(100, 10) }), run(b, 42, { vm1: vmResult(80, 12.5) })])
    expect(cmp.arms.map((x) => x.label)).toEqual(['A', 'B'])
    const [c] = cmp.comparisons
    expect(c!.what_changed.map(formatChange)).toEqual(['hosts[h1].hypervisor: esx-4.0 → esx-4.1'])
    expect(c!.random_streams.shared).toBe(true)
    expect(c!.random_streams.note).toMatch(/common random numbers/)
    const tp = c!.vms[0]!.metrics.find((m) => m.key === 'throughput_ops_s')!
    expect(tp).toMatchObject({ reference: 100, value: 80, delta: -20, relative_pct: -20, ci95: null, method: 'single' })
    const lat = c!.vms[0]!.metrics.find((m) => m.key === 'latency_mean_ms')!
    expect(lat.delta).toBeCloseTo(2.5)
    expect(lat.relative_pct).toBeCloseTo(25)
  })

  it('groups runs of one experiment into replications and pairs them by seed', () => {
    const a = experiment()
    const b = experiment((e) => (e.hosts[0].cpu_virt = 'hw'))
    const runs = [
      run(a, 1, { vm1: vmResult(100) }),
      run(a, 2, { vm1: vmResult(110) }),
      run(a, 3, { vm1: vmResult(90) }),
      run(b, 1, { vm1: vmResult(95) }),
      run(b, 2, { vm1: vmResult(105) }),
      run(b, 3, { vm1: vmResult(85) })
    ]
    const cmp = compareRuns(runs)
    expect(cmp.arms).toHaveLength(2)
    expect(cmp.arms[0]!.seeds).toEqual([1, 2, 3])
    const armTp = cmp.arms[0]!.vms[0]!.metrics.find((m) => m.key === 'throughput_ops_s')!
    expect(armTp.mean).toBe(100)
    expect(armTp.n).toBe(3)
    expect(armTp.ci95!.low).toBeLessThan(100)
    const tp = cmp.comparisons[0]!.vms[0]!.metrics.find((m) => m.key === 'throughput_ops_s')!
    // Every pair differs by exactly −5: the paired interval is that point.
    expect(tp).toMatchObject({ method: 'paired', delta: -5, n_reference: 3, n_value: 3 })
    expect(tp.ci95!.low).toBeCloseTo(-5)
    expect(tp.ci95!.high).toBeCloseTo(-5)
    expect(cmp.comparisons[0]!.random_streams.common_seeds).toEqual([1, 2, 3])
  })

  it('falls back to independent samples when the seeds differ, and says the streams are not shared', () => {
    const a = experiment()
    const b = experiment((e) => (e.hosts[0].cpu_virt = 'hw'))
    const cmp = compareRuns([
      run(a, 1, { vm1: vmResult(100) }),
      run(a, 2, { vm1: vmResult(110) }),
      run(b, 7, { vm1: vmResult(95) }),
      run(b, 8, { vm1: vmResult(105) })
    ])
    const c = cmp.comparisons[0]!
    expect(c.random_streams.shared).toBe(false)
    expect(c.random_streams.note).toMatch(/independent random numbers/)
    const tp = c.vms[0]!.metrics.find((m) => m.key === 'throughput_ops_s')!
    expect(tp.method).toBe('welch')
    expect(tp.delta).toBe(-5)
    expect(tp.ci95!.low).toBeLessThan(-5)
    expect(tp.ci95!.high).toBeGreaterThan(-5)
  })

  it('counts a rerun of the same experiment and seed once', () => {
    const a = experiment()
    const first = run(a, 1, { vm1: vmResult(100) })
    const again = run(a, 1, { vm1: vmResult(100) })
    const cmp = compareRuns([first, again])
    expect(cmp.arms).toHaveLength(1)
    expect(cmp.arms[0]!.run_ids).toEqual([first.run_id])
    expect(cmp.arms[0]!.duplicate_run_ids).toEqual([again.run_id])
    expect(cmp.comparisons).toEqual([])
  })

  it('lists VMs present on one side only, and gives null deltas for what a run did not measure', () => {
    const a = experiment()
    const b = experiment((e) => e.vms.push({ ...e.vms[0], id: 'vm2' }))
    const cmp = compareRuns([run(a, 1, { vm1: vmResult(100, null, null) }), run(b, 1, { vm1: vmResult(90), vm2: vmResult(90) })])
    const c = cmp.comparisons[0]!
    expect(c.vms_added).toEqual(['vm2'])
    expect(c.vms_removed).toEqual([])
    expect(c.vms.map((v) => v.vm)).toEqual(['vm1'])
    const overhead = c.vms[0]!.metrics.find((m) => m.key === 'overhead_pct')!
    expect(overhead).toMatchObject({ reference: null, value: 5, delta: null, relative_pct: null })
  })

  it('refuses fewer than two runs and a run listed twice', () => {
    const r = run(experiment(), 1, { vm1: vmResult(1) })
    expect(() => compareRuns([r])).toThrow(/at least two runs/)
    expect(() => compareRuns([r, r])).toThrow(/listed twice/)
  })
})
