/** The registry of experiment events: the schema, the checks, the engine, the baselines and the result all follow its flags. */
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import { EVENT_KINDS, experimentEvents, notModelledReason } from '../../src/shared/experiment'
import { eventSchema } from '../../src/shared/experiment/schema'
import { experiment, shortRun } from '../engine/helpers'

describe('experiment events', () => {
  it('the schema takes exactly the registry\'s kinds', () => {
    const sample: Record<string, object> = { vm: { vm: 'v' }, path: { array: 'a', host: 'h' } }
    for (const kind of EVENT_KINDS) {
      const spec = experimentEvents[kind]
      const extra = kind === 'migrate' ? { to: 'h2' } : kind === 'set-workload' ? { workload: 'oltp' } : {}
      expect(eventSchema.safeParse({ at_s: 1, do: kind, ...sample[spec.subject], ...extra }).success, kind).toBe(true)
    }
    expect(eventSchema.safeParse({ at_s: 1, do: 'teleport', vm: 'v' }).success).toBe(false)
  })

  it('every kind is modelled: the run carries each event out or refuses it with its own reason', () => {
    expect(EVENT_KINDS.every((k) => experimentEvents[k].modelled)).toBe(true)
    const exp = experiment({
      ...shortRun(4),
      hosts: [{ id: 'h1', cpu: 'nehalem-x5570', hypervisor: 'esx-4.0' }, { id: 'h2', cpu: 'nehalem-x5570', hypervisor: 'esx-4.0' }],
      vms: [{ id: 'a', host: 'h1', workload: 'cpu-int' }, { id: 'b', host: 'h1', workload: 'cpu-int' }],
      events: [
        { at_s: 2, do: 'start', vm: 'b' },
        { at_s: 3, do: 'stop', vm: 'a' },
        { at_s: 2, do: 'migrate', vm: 'a', to: 'h2' },
        { at_s: 2, do: 'snapshot', vm: 'a' }
      ]
    })
    const { result } = runToEnd(exp, 3)
    expect(result.events.map((e) => e.ok)).toEqual([true, true, false, false])
    // Neither host has a NIC to carry a migration; a VM without disks has nothing to snapshot.
    expect(result.events[2]!.reason).toMatch(/no NIC for the migration network/)
    expect(result.events[3]!.reason).toMatch(/has no disks/)
    for (const e of result.events) expect(e.reason ?? '').not.toBe(notModelledReason(e.do as keyof typeof experimentEvents))
    // b is off until its start at 2 s, a stops at 3 s: b completes less than a over the 3 s after the warm-up.
    expect(result.vms.b!.ops).toBeLessThan(result.vms.a!.ops * 1.2)
    expect(result.vms.b!.ops).toBeGreaterThan(0)
  })

  it('a path event names a path that exists', () => {
    const exp = {
      ...shortRun(4),
      hosts: [{ id: 'h1', cpu: 'nehalem-x5570', hypervisor: 'esx-4.0', hbas: [{ id: 'fc0', kind: 'fc' as const, gbps: 4 }] }, { id: 'h2', cpu: 'nehalem-x5570', hypervisor: 'esx-4.0' }],
      arrays: [{ id: 'eva', protocol: 'fc' as const, disks: { model: 'hdd-15k', count: 4, raid: 'raid10' as const }, luns: [{ id: 'l1', gb: 100 }], paths: [{ host: 'h1', via: 'fc0' }] }],
      vms: [{ id: 'a', host: 'h1', workload: 'cpu-int' }],
      events: [{ at_s: 1, do: 'fail-path' as const, array: 'eva', host: 'h2' }]
    }
    expect(() => experiment(exp)).toThrow(/has no path to array/)
  })
})
