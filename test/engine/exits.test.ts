/**
 * Exit-heavy work across Intel CPU generations. Two checks: (1) the time an
 * exit-heavy operation adds over native tracks the cost of its exits on each
 * CPU (the engine charges what the cost model says, nothing else); (2) the
 * round trip a run reports per exit matches the published measurements of
 * each generation, typed in here from the sources rather than read from the
 * catalog, so a wrong catalog entry fails.
 */
import { describe, expect, it } from 'vitest'
import { catalog, costModel, techniques } from '../../src/shared/catalog'
import { one, tp } from '../calibration/lab'

// Guest work that traps on privileged I/O accesses, under VT-x with shadow paging everywhere.
const workload = { kind: 'custom', arrival: { process: 'closed', clients: 1, think_ms: 0 }, per_op: { instructions: 2e5, io_accesses: 40 } } as const
const gens = ['pentium4-672', 'core2-merom', 'core2-penryn', 'nehalem-x5570', 'westmere-x5670', 'sandybridge-e5-2680'] as const
const runs = new Map(gens.map((cpu) => [cpu, one({ hypervisor: 'kvm', cpu, cpu_virt: 'hw', mmu_virt: 'shadow', workload })]))

/**
 * VM exit + entry round trips in cycles as published: Bugnion, Nieh & Tsafrir, "Hardware and Software Support
 * for Virtualization" (2017), Table 4.3; Nehalem from AnandTech's Xeon 5500 review (2009): about 40 % below Penryn.
 */
const PUBLISHED: Record<(typeof gens)[number], number> = {
  'pentium4-672': 1926,
  'core2-merom': 1156,
  'core2-penryn': 858,
  'nehalem-x5570': 858 / 1.4,
  'westmere-x5670': 569,
  'sandybridge-e5-2680': 507
}

describe('exit-heavy work across CPU generations', () => {
  it('adds, over native, the cost of its exits on each CPU (and falls generation by generation)', () => {
    const extraUs: number[] = []
    for (const cpu of gens) {
      const r = runs.get(cpu)!
      const extra = 1e6 / tp(r) - 1e6 / r.native_throughput_ops_s!
      extraUs.push(extra)
      // The explanation's own per-operation lines for the exits: handler beyond native, round trips, refills.
      const exitLines = r.explain!.filter((e) => e.category === 'vm_exits')
      const explained = exitLines.reduce((s, e) => s + e.per_op * e.cost_us, 0)
      expect(Math.abs(extra - explained) / explained, cpu).toBeLessThan(0.03)
    }
    for (let i = 1; i < extraUs.length; i++) expect(extraUs[i]!).toBeLessThan(extraUs[i - 1]!)
  })

  it('reports per exit the round trip measured on that generation', () => {
    for (const cpu of gens) {
      const r = runs.get(cpu)!
      const line = r.explain!.find((e) => e.mechanism.startsWith('VM exit round trips'))!
      const cycles = line.cost_us * 1000 * catalog.cpus[cpu]!.ghz
      expect(Math.abs(cycles - PUBLISHED[cpu]) / PUBLISHED[cpu], cpu).toBeLessThan(0.01)
      expect(line.per_op, cpu).toBeGreaterThanOrEqual(40)
    }
  })

  it('refills the TLB after each exit only on CPUs without VPID', () => {
    for (const cpu of gens) {
      const refills = runs.get(cpu)!.explain!.find((e) => e.mechanism.startsWith('TLB refills after VM exits'))
      expect(refills !== undefined, cpu).toBe(!catalog.cpus[cpu]!.taggedTlb)
      if (refills) expect(refills.cost_us * 1000).toBeCloseTo(costModel.tlbRefillMisses * catalog.cpus[cpu]!.walkRefsNative * catalog.cpus[cpu]!.walkRefNs, 0)
    }
    // The handler beyond native is the technique's, scaled by each CPU's work per cycle.
    const p4 = runs.get('pentium4-672')!.explain!.find((e) => e.mechanism.startsWith('privileged I/O-port/MMIO accesses:'))!
    expect(p4.cost_us * 1000 * 3.8).toBeCloseTo(techniques['hw-shadow'].ioAccess.cycles - techniques.native.ioAccess.cycles, -1)
  })
})
