/**
 * The host scheduler as a spec: round robin by time slice, wake-up boost,
 * hypervisor work preempting a vCPU, world-switch cost, ready time.
 */
import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/engine'
import { HostCpu, type CpuClient } from '../../src/main/engine/cpu'

const MS = 1e6

function harness(cores: number, vcpus: number, sliceMs: number, switchNs = 0, work: Record<number, number[]> = {}) {
  const sim = new Simulator()
  const log: string[] = []
  const ran = new Map<number, number>()
  const waited = new Map<number, number>()
  const client: CpuClient = {
    vcpuDone(v) {
      log.push(`v${v} done@${sim.now / MS}`)
      const next = work[v]?.shift()
      return next ?? 0
    },
    hypDone(ref) {
      log.push(`hyp${ref} done@${sim.now / MS}`)
    },
    vcpuRan(v, ns) {
      ran.set(v, (ran.get(v) ?? 0) + ns)
    },
    vcpuWaited(v, ns) {
      waited.set(v, (waited.get(v) ?? 0) + ns)
    }
  }
  const cpu = new HostCpu(sim, cores, Array.from({ length: vcpus }, (_, i) => i), sliceMs, switchNs, client)
  return { sim, cpu, log, ran, waited }
}

describe('HostCpu', () => {
  it('round-robins two busy vCPUs on one core by time slice and counts the wait as ready time', () => {
    const { sim, cpu, log, ran, waited } = harness(1, 2, 5)
    cpu.wake(0, 10 * MS)
    cpu.wake(1, 10 * MS)
    sim.run()
    expect(log).toEqual(['v0 done@15', 'v1 done@20'])
    expect(ran.get(0)).toBeCloseTo(10 * MS, 3)
    expect(ran.get(1)).toBeCloseTo(10 * MS, 3)
    expect(waited.get(0)).toBeCloseTo(5 * MS, 3)
    expect(waited.get(1)).toBeCloseTo(10 * MS, 3)
    expect(cpu.vcpuNs).toBeCloseTo(20 * MS, 3)
  })

  it('keeps a vCPU on its core across operations while nobody waits', () => {
    const { sim, cpu, log } = harness(1, 1, 5, 0, { 0: [3 * MS, 3 * MS] })
    cpu.wake(0, 3 * MS)
    sim.run()
    expect(log).toEqual(['v0 done@3', 'v0 done@6', 'v0 done@9'])
  })

  it('lets hypervisor work preempt a vCPU when no core is free; the vCPU then resumes', () => {
    const { sim, cpu, log, ran } = harness(1, 1, 50)
    cpu.wake(0, 10 * MS)
    const h = sim.register(() => cpu.submitHyp(7, 1 * MS))
    sim.schedule(2 * MS, h)
    sim.run()
    // v0 is preempted at 2 ms, hypervisor work runs 2–3 ms, v0 finishes its 10 ms of work at 11 ms.
    expect(log).toEqual(['hyp7 done@3', 'v0 done@11'])
    expect(ran.get(0)).toBeCloseTo(10 * MS, 3)
    expect(cpu.hypNs).toBeCloseTo(1 * MS, 3)
  })

  it('runs a vCPU that woke during hypervisor work before the preempted one (wake-up boost)', () => {
    const { sim, cpu, log } = harness(1, 2, 50)
    cpu.wake(0, 10 * MS)
    const h = sim.register(() => cpu.submitHyp(7, 1 * MS))
    sim.schedule(2 * MS, h)
    const w = sim.register(() => cpu.wake(1, 1 * MS))
    sim.schedule(2.5 * MS, w)
    sim.run()
    expect(log).toEqual(['hyp7 done@3', 'v1 done@4', 'v0 done@12'])
  })

  it('gives a waking vCPU the front of the ready queue (boost) but does not preempt', () => {
    const { sim, cpu, log } = harness(1, 3, 5)
    cpu.wake(0, 20 * MS)
    cpu.wake(1, 20 * MS)
    const w = sim.register(() => cpu.wake(2, 1 * MS))
    sim.schedule(1 * MS, w)
    sim.run()
    // At 5 ms v0's slice ends: v2 (woke at 1 ms) runs before v1, which waited since 0.
    expect(log[0]).toBe('v2 done@6')
  })

  it('charges a world switch when a core changes vCPU', () => {
    const { sim, cpu, log } = harness(1, 2, 5, 0.5 * MS)
    cpu.wake(0, 5 * MS)
    cpu.wake(1, 5 * MS)
    sim.run()
    expect(log).toEqual(['v0 done@5', 'v1 done@10.5'])
    expect(cpu.switchNs).toBeCloseTo(0.5 * MS, 3)
  })

  it('uses every core', () => {
    const { sim, cpu, log, waited } = harness(2, 2, 5)
    cpu.wake(0, 8 * MS)
    cpu.wake(1, 8 * MS)
    sim.run()
    expect(log).toEqual(['v0 done@8', 'v1 done@8'])
    expect(waited.size).toBe(0)
  })
})
