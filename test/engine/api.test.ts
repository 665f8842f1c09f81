/**
 * The public API the runner's worker and the CLI use: slices of events,
 * samples per window in time order, progress, and a result that parses as
 * `hyperlab/result@1`.
 */
import { describe, expect, it } from 'vitest'
import { createSimulation, runToEnd } from '../../src/main/engine'
import { runResultSchema, sampleSchema } from '../../src/shared/result'
import { experiment } from './helpers'

const base = {
  duration_s: 5,
  warmup_s: 1,
  sample_ms: 250,
  hosts: [{ id: 'h1', cpu: 'nehalem-x5570', hypervisor: 'esx-4.0', disks: [{ id: 'd0', model: 'hdd-7200' }], nics: [{ id: 'n0', gbps: 1 }] }],
  volumes: [{ id: 'ds', kind: 'vmfs' as const, on: 'h1/d0' }]
}

describe('createSimulation', () => {
  const exp = experiment({
    ...base,
    vms: [
      { id: 'db', host: 'h1', vcpus: 2, disks: [{ model: 'pvscsi', on: 'ds' }], nics: [{ model: 'vmxnet3', uplink: 'n0' }], workload: 'oltp' },
      { id: 'calc', host: 'h1', workload: 'cpu-int' }
    ]
  })

  it('advances in slices, reports progress, and emits one sample per VM per window in time order', () => {
    const run = createSimulation(exp, { seed: 1 })
    expect(run.finished).toBe(false)
    expect(run.progress).toBe(0)
    expect(() => run.result()).toThrow(/not finished/)
    const samples = []
    let last = -1
    let slices = 0
    while (!run.finished) {
      const got = run.advance(1_000)
      slices++
      samples.push(...got)
      expect(run.progress).toBeGreaterThanOrEqual(last)
      last = run.progress
      expect(run.simulatedS).toBeLessThanOrEqual(5)
    }
    expect(slices).toBeGreaterThan(3)
    expect(run.progress).toBe(1)
    expect(run.simulatedS).toBe(5)
    expect(samples.length).toBe(2 * (5000 / 250))
    for (const s of samples) sampleSchema.parse(s)
    const times = samples.map((s) => s.t_ms)
    expect([...times].sort((a, b) => a - b)).toEqual(times)
    expect(samples.filter((s) => s.vm === 'db').map((s) => s.t_ms)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 250))
    const result = run.result()
    runResultSchema.parse(result)
    expect(result.sim.wall_ms).toBe(0)
    expect(result.sim.simulated_s).toBe(5)
    expect(result.sim.events).toBeGreaterThan(0)
  })

  it('gives each VM a summary whose breakdown sums to 100 and a native baseline', () => {
    const { result } = runToEnd(exp, 3)
    for (const id of ['db', 'calc']) {
      const vm = result.vms[id]!
      const sum = Object.values(vm.breakdown_pct).reduce((s, x) => s + x, 0)
      expect(sum).toBeCloseTo(100, 3)
      expect(vm.native_throughput_ops_s).toBeGreaterThan(0)
      expect(vm.overhead_pct).not.toBeNull()
      expect(vm.latency_ms.p50!).toBeLessThanOrEqual(vm.latency_ms.p95!)
      expect(vm.latency_ms.p95!).toBeLessThanOrEqual(vm.latency_ms.p99!)
    }
    expect(result.vms.db!.techniques).toEqual({ cpu: 'hw', mmu: 'nested' })
    expect(result.vms.db!.disk.iops).toBeGreaterThan(0)
    expect(result.vms.db!.net.pps).toBeGreaterThan(0)
    expect(result.disks['h1/d0']!.utilization_pct).toBeGreaterThan(0)
    expect(result.hosts.h1!.cpu_pct).toBeGreaterThan(0)
  })

  it('summaries exclude the warm-up', () => {
    const { result } = runToEnd(exp, 3)
    const calc = result.vms.calc!
    expect(calc.ops / calc.throughput_ops_s).toBeCloseTo(4, 6)
  })

  it('omits overhead without a baseline', () => {
    const { result } = runToEnd(experiment({ ...base, baseline: 'none', vms: [{ id: 'calc', host: 'h1', workload: 'cpu-int' }] }), 1)
    expect(result.vms.calc!.native_throughput_ops_s).toBeNull()
    expect(result.vms.calc!.overhead_pct).toBeNull()
  })
})

describe('events', () => {
  it('a VM named in a start event is off until then; stop ends its work; a refused event says why', () => {
    const exp = experiment({
      ...base,
      vms: [
        { id: 'late', host: 'h1', workload: 'cpu-int' },
        { id: 'early', host: 'h1', workload: 'cpu-int' }
      ],
      events: [
        { at_s: 2, do: 'start', vm: 'late' },
        { at_s: 3, do: 'stop', vm: 'early' },
        { at_s: 4, do: 'snapshot', vm: 'late' }
      ]
    })
    const { samples, result } = runToEnd(exp, 1)
    const late = samples.filter((s) => s.vm === 'late')
    expect(late.filter((s) => s.t_ms <= 2000).every((s) => s.throughput_ops_s === 0 && s.cpu_pct === 0)).toBe(true)
    expect(late.filter((s) => s.t_ms > 2250).every((s) => s.throughput_ops_s > 0)).toBe(true)
    const early = samples.filter((s) => s.vm === 'early')
    // The operation in flight at the stop may finish; nothing after that.
    expect(early.filter((s) => s.t_ms > 3250).every((s) => s.throughput_ops_s === 0)).toBe(true)
    expect(result.events).toEqual([
      { at_s: 2, do: 'start', vm: 'late', ok: true, summary: '"late" powered on' },
      { at_s: 3, do: 'stop', vm: 'early', ok: true, summary: '"early" powered off: operations in flight finish' },
      { at_s: 4, do: 'snapshot', vm: 'late', ok: false, reason: 'VM "late" has no disks' }
    ])
  })
})
