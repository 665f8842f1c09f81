/**
 * The host scheduler as a spec: round robin by time slice, wake-up boost,
 * world-switch cost, ready time, and the owner hearing when it may call back in.
 */
import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/engine'
import { HostCpu, type CpuClient } from '../../src/main/engine/models/cpu'

const MS = 1e6

function harness(cores: number, vcpus: number, sliceMs: number, switchNs = 0, work: Record<number, number[]> = {}) {
  const sim = new Simulator()
  const log: string[] = []
  const ran = new Map<number, number>()
  const waited = new Map<number, number>()
  const settled: number[] = []
  const switched = new Map<number, number>()
  const client: CpuClient = {
    vcpuDone(v) {
      log.push(`v${v} done@${sim.now / MS}`)
      const next = work[v]?.shift()
      return next ?? 0
    },
    settled() {
      settled.push(sim.now / MS)
    },
    vcpuRan(v, ns) {
      ran.set(v, (ran.get(v) ?? 0) + ns)
    },
    vcpuSwitched(v, ns) {
      switched.set(v, (switched.get(v) ?? 0) + ns)
    },
    vcpuWaited(v, ns) {
      waited.set(v, (waited.get(v) ?? 0) + ns)
    }
  }
  const cpu = new HostCpu(sim, cores, Array.from({ length: vcpus }, (_, i) => i), sliceMs, switchNs, client)
  return { sim, cpu, log, ran, waited, settled, switched }
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

  it('tells its owner after every burst that it may call back in', () => {
    const { sim, cpu, log, settled } = harness(1, 1, 5)
    cpu.wake(0, 2 * MS)
    sim.run(1.5 * MS)
    expect(settled).toEqual([])
    sim.run()
    expect(log).toEqual(['v0 done@2'])
    expect(settled).toEqual([2])
    // The owner starts new work once told, as the engine starts an operation's I/O there.
    cpu.wake(0, 1 * MS)
    sim.run()
    expect(log).toEqual(['v0 done@2', 'v0 done@3'])
    expect(settled).toEqual([2, 3])
  })

  it('keeps a vCPU on its core across operations while nobody waits', () => {
    const { sim, cpu, log } = harness(1, 1, 5, 0, { 0: [3 * MS, 3 * MS] })
    cpu.wake(0, 3 * MS)
    sim.run()
    expect(log).toEqual(['v0 done@3', 'v0 done@6', 'v0 done@9'])
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
    const { sim, cpu, log, switched } = harness(1, 2, 5, 0.5 * MS)
    cpu.wake(0, 5 * MS)
    cpu.wake(1, 5 * MS)
    sim.run()
    expect(log).toEqual(['v0 done@5', 'v1 done@10.5'])
    expect(cpu.switchNs).toBeCloseTo(0.5 * MS, 3)
    // The owner hears whom the switch was for.
    expect([...switched]).toEqual([[1, 0.5 * MS]])
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

/**
 * Late in a long run the float64 clock is coarse: from 2^44 ns (~4.9 h) adjacent times are more than
 * 0.001 ns apart, from 2^46 ns (~19.5 h) 1/64 ns. Work the clock cannot resolve must still end its
 * burst, or the same event repeats at one instant forever. Each run below is capped in events, so a
 * loop that stops the clock fails the test instead of hanging it.
 */
describe('HostCpu late in a long run', () => {
  const CAP = 10_000
  const exponents = [44, 45, 46, 47, 50, 52]

  it.each(exponents)('finishes every operation at 2^%i ns, including work below the clock resolution', (e) => {
    const ulp = 2 ** (e - 52)
    // Amounts that are not multiples of the resolution, one below it, and the client's 0.01 ns minimum.
    const works = [1000.3, 0.005, 1e-2, 12_345.678_9, 333.333_3]
    const { sim, cpu, log, ran } = harness(1, 1, 5, 0, { 0: works.slice(1) })
    sim.now = 2 ** e
    cpu.wake(0, works[0]!)
    const events = sim.run(Infinity, CAP)
    expect(log).toHaveLength(works.length)
    expect(events).toBeLessThan(3 * works.length)
    const total = works.reduce((s, w) => s + w, 0)
    expect(Math.abs(ran.get(0)! - total)).toBeLessThanOrEqual(works.length * ulp)
  }, 10_000)

  it.each(exponents)('round-robins two vCPUs by time slice at 2^%i ns', (e) => {
    const { sim, cpu, log, ran, waited } = harness(1, 2, 5, 0.001_7 * MS)
    const start = 2 ** e
    sim.now = start
    const work = [12.345_678_9 * MS, 7.654_321 * MS]
    cpu.wake(0, work[0]!)
    cpu.wake(1, work[1]!)
    const events = sim.run(Infinity, CAP)
    expect(log).toHaveLength(2)
    expect(events).toBeLessThan(20)
    const ulp = 2 ** (e - 52)
    expect(Math.abs(ran.get(0)! - work[0]!)).toBeLessThanOrEqual(10 * ulp)
    expect(Math.abs(ran.get(1)! - work[1]!)).toBeLessThanOrEqual(10 * ulp)
    expect(waited.get(1)!).toBeGreaterThan(0)
    expect(cpu.switchNs).toBeGreaterThan(0)
    // The core never idles: the run lasts the work plus the world switches.
    expect(Math.abs(sim.now - start - (work[0]! + work[1]! + cpu.switchNs))).toBeLessThanOrEqual(10 * ulp)
  }, 10_000)
})
