/**
 * Mutable placement, what live migration and vCPU hot-plug build on: a VM moves between hosts mid-run and
 * carries on with the new host's CPU, and a VM's vCPUs can be added and taken away.
 */
import { describe, expect, it } from 'vitest'
import { layoutRegions } from '../../src/main/engine/scenario/regions'
import { Scenario } from '../../src/main/engine/scenario/scenario'
import { experiment } from './helpers'

const NS = 1e9

function scenario(vcpus: number, clients: number) {
  const exp = experiment({
    duration_s: 6, warmup_s: 0, sample_ms: 1000, baseline: 'none',
    hosts: [
      { id: 'slow', cpu: 'core2-merom', sockets: 1, hypervisor: 'esx-4.0' },
      { id: 'fast', cpu: 'nehalem-x5570', sockets: 1, hypervisor: 'esx-4.0' }
    ],
    vms: [{ id: 'a', host: 'slow', vcpus, workload: { preset: 'cpu-int', arrival: { process: 'closed', clients, think_ms: 0 } } }]
  })
  const samples: { t: number; tp: number }[] = []
  const s = new Scenario(exp, { seed: 7, regions: layoutRegions(exp), kind: 'main', onSample: (x) => samples.push({ t: x.t_ms, tp: x.throughput_ops_s }) })
  return { s, samples }
}

/** Runs the scenario to `atNs`, then calls `act`, then runs to the end. */
function runWith(s: Scenario, atNs: number, act: () => void): void {
  const h = s.sim.register(() => act())
  s.sim.scheduleAt(atNs, h, 0)
  while (!s.ended) s.advance(100_000)
}

describe('mutable placement', () => {
  it('a VM moved to a faster host carries on there at the new host\'s speed', () => {
    const { s, samples } = scenario(1, 1)
    const h = s.sim.register(() => {
      if (!s.quiescent('a')) return void s.sim.schedule(1e3, h, 0)
      s.moveVm('a', 'fast')
      s.thaw('a')
    })
    runWith(s, 3 * NS, () => {
      s.freeze('a')
      s.sim.schedule(0, h, 0)
    })
    const before = samples.filter((x) => x.t <= 3000).map((x) => x.tp)
    const after = samples.filter((x) => x.t > 4000).map((x) => x.tp)
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    // Nehalem does about 2.0/1.7 × the work per cycle of a Core 2 at 2.93/3.0 GHz: about 15 % more.
    expect(mean(after) / mean(before)).toBeGreaterThan(1.1)
    expect(s.hosts.find((x) => x.spec.id === 'fast')!.vms.map((v) => v.spec.id)).toEqual(['a'])
    expect(s.hosts.find((x) => x.spec.id === 'slow')!.vms).toEqual([])
  })

  it('a VM given a second vCPU runs its two clients in parallel; taking it away halves it again', () => {
    const { s, samples } = scenario(1, 2)
    const h = s.sim.register(() => s.removeVcpu('a'))
    s.sim.scheduleAt(4 * NS, h, 0)
    runWith(s, 2 * NS, () => void s.addVcpu('a'))
    const at = (sec: number) => samples.find((x) => x.t === sec * 1000)!.tp
    expect(at(3) / at(2)).toBeGreaterThan(1.8)
    expect(at(6) / at(3)).toBeLessThan(0.6)
    expect(() => s.removeVcpu('a')).toThrow(/below one vCPU/)
  })

  it('refuses to move a VM that is still running', () => {
    const { s } = scenario(1, 1)
    runWith(s, 1 * NS, () => {
      expect(() => s.moveVm('a', 'fast')).toThrow(/freeze it and wait until it is quiescent/)
    })
  })
})
