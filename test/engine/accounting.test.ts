/**
 * Accounting: the explanation's mechanisms, counted and costed on their own,
 * add up to the time the simulation charged to each category (the shares are
 * scaled to the measured time, so only the unscaled figures can disagree);
 * every mechanism names its source, and waiting is reported by the resource
 * waited for.
 */
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import { one, run } from '../calibration/lab'
import { experiment } from './helpers'

describe('attribution of response time', () => {
  const cases = {
    'CPU-bound under BT': { hypervisor: 'esx-3.5', cpu: 'core2-penryn', workload: 'kernel-compile' as const },
    'disk-bound under Hyper-V': { hypervisor: 'hyperv-2008r2', cpu: 'nehalem-x5570', workload: 'disk-random' as const, controller: 'hyperv-synthetic' },
    'network under ESX 4 with an emulated NIC': { hypervisor: 'esx-4.0', cpu: 'nehalem-x5570', workload: 'net-rr' as const, nic: 'e1000' }
  }

  for (const [name, setup] of Object.entries(cases)) {
    it(`${name}: each category's mechanisms, unscaled, add up to the time the simulation charged to it`, () => {
      const r = one(setup)
      const latencyUs = r.latency_ms.mean! * 1000
      // What the engine charged per operation to each category it computes (not queueing, which is the remainder)...
      for (const k of ['guest', 'vm_exits', 'page_walks', 'device_emulation', 'hypervisor_io', 'device_service'] as const) {
        const measuredUs = ((r.breakdown_pct[k] ?? 0) / 100) * latencyUs
        // ...against count × cost of the mechanisms listed for it, before any scaling to shares.
        const analyticUs = r.explain!.filter((e) => e.category === k).reduce((s, e) => s + e.per_op * e.cost_us, 0)
        if (measuredUs < 1e-3 * latencyUs) continue
        expect(Math.abs(analyticUs - measuredUs) / measuredUs, `${name}: ${k}`).toBeLessThan(0.03)
      }
      for (const e of r.explain!) {
        expect(e.source.trim().length, e.mechanism).toBeGreaterThan(3)
        expect(e.per_op).toBeGreaterThanOrEqual(0)
        expect(e.cost_us).toBeGreaterThanOrEqual(0)
      }
    })
  }

  it('the parts of an operation add up to its measured response time', () => {
    const r = one(cases['disk-bound under Hyper-V'])
    // Time per operation by category: Σ (share × mean latency) is the latency, and the
    // device's service is what a 7,200 rpm disk takes (several ms), not queueing.
    expect(r.breakdown_pct.device_service!).toBeGreaterThan(50)
    expect(r.breakdown_pct.queueing).toBeLessThan(5)
    const service = r.explain!.find((e) => e.category === 'device_service' && e.mechanism.startsWith('h1/d0'))!
    expect(service.cost_us).toBeGreaterThan(3000)
    expect(service.cost_us).toBeLessThan(20000)
  })

  it('reports queueing by resource: VMs sharing a disk wait for that disk', () => {
    const rs = run({
      hypervisor: 'esx-3.5',
      cpu: 'core2-penryn',
      vms: 6,
      workload: { preset: 'disk-random', kb: 8, read_pct: 70, arrival: { process: 'closed', clients: 1, think_ms: 20 } }
    })
    for (const r of rs) {
      expect(r.breakdown_pct.queueing).toBeGreaterThan(30)
      // The waits measured at each resource account for the whole unexplained remainder of the response time.
      const latencyUs = r.latency_ms.mean! * 1000
      for (const e of r.explain!.filter((x) => x.category === 'queueing' || x.category === 'device_service')) {
        if (e.share_pct < 1) continue
        expect(Math.abs((e.share_pct / 100) * latencyUs - e.per_op * e.cost_us) / (e.per_op * e.cost_us), e.mechanism).toBeLessThan(0.05)
      }
      const waits = r.explain!.filter((e) => e.category === 'queueing')
      const disk = waits.find((e) => e.mechanism.includes('h1/d0'))!
      expect(disk.share_pct).toBeGreaterThan(0.9 * r.breakdown_pct.queueing)
    }
  })

  it('counts VM exits by reason, with the CPU\'s round trip as a mechanism of its own', () => {
    const r = one({ hypervisor: 'xen-3.0', cpu: 'core2-penryn', workload: 'forkwait' })
    expect(r.techniques.cpu).toBe('hw')
    const exits = r.explain!.filter((e) => e.category === 'vm_exits')
    // A guest page fault under VT-x with shadow paging exits twice: the intercepted #PF and the guest's PTE write.
    expect(exits.some((e) => e.mechanism.startsWith('page faults') && e.exits === 2)).toBe(true)
    expect(exits.some((e) => e.mechanism.startsWith('hidden page faults'))).toBe(true)
    const roundTrips = exits.find((e) => e.mechanism.startsWith('VM exit round trips'))!
    expect(roundTrips.source).toMatch(/Penryn 858/)
    // Every exit counted once: those of the events (the round trips' line carries their time, not a second count),
    // plus the few of timer ticks and devices.
    expect(r.exits_per_op!).toBeGreaterThanOrEqual(roundTrips.per_op * 0.999)
    expect(r.exits_per_op!).toBeLessThan(roundTrips.per_op * 1.05)
    expect(roundTrips.exits).toBe(0)
  })

  it('splits waiting for CPU into the host\'s cores (ready time) and the VM\'s own vCPUs', () => {
    const exp = experiment({
      duration_s: 4,
      warmup_s: 1,
      sample_ms: 1000,
      hosts: [{ id: 'h1', cpu: 'core2-merom', sockets: 1, hypervisor: 'xen-3.4' }],
      vms: Array.from({ length: 4 }, (_, i) => ({ id: `v${i}`, host: 'h1', vcpus: 1, guest: { os: 'linux' as const, paravirt: true }, workload: { preset: 'cpu-int', arrival: { process: 'closed', clients: 2, think_ms: 0 } } as const }))
    })
    const r = runToEnd(exp, 3).result.vms.v0!
    const waits = r.explain!.filter((e) => e.category === 'queueing')
    expect(waits.find((e) => e.mechanism.includes('core of h1'))!.share_pct).toBeGreaterThan(10)
    expect(waits.find((e) => e.mechanism.includes("VM's own vCPUs"))!.share_pct).toBeGreaterThan(10)
    // Four single-vCPU VMs on two cores: half the time ready, and all of it contention, not tax.
    expect(r.overhead_split_pct!.contention).toBeGreaterThan(30)
  })
})
