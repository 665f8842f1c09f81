/** The sweep block: points, seeds, paths that match or do not, and points that are not valid experiments. */
import { describe, expect, it } from 'vitest'
import { parseExperiment, planSweep, pointDocument, replicationSeeds, type Experiment } from '../../src/shared/experiment'
import type { Issue } from '../../src/shared/errors'
import { baseExperiment } from '../helpers'

type Mutable = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The base experiment with a second host and VM, and `sweep` set. */
function withSweep(sweep: unknown, mutate: (e: Mutable) => void = () => undefined): Mutable {
  const e = baseExperiment() as Mutable
  e.hosts.push({ ...structuredClone(e.hosts[0]), id: 'h2' })
  e.arrays[0].paths.push({ host: 'h2', via: 'fc0' })
  e.volumes[1].hosts.push('h2')
  e.vms.push({ ...structuredClone(e.vms[0]), id: 'db1', host: 'h2', workload: { preset: 'oltp', arrival: { process: 'closed', clients: 4 } } })
  e.sweep = sweep
  mutate(e)
  return e
}

function accepted(doc: Mutable): Experiment {
  const out = parseExperiment(doc)
  if (!out.ok) throw new Error(`refused: ${JSON.stringify(out.issues, null, 1)}`)
  return out.experiment
}

function refused(doc: Mutable): Issue[] {
  const out = parseExperiment(doc)
  if (out.ok) throw new Error('expected the sweep to be refused')
  return out.issues
}

function expectIssue(issues: Issue[], path: string, fragment: RegExp): void {
  const hit = issues.find((i) => i.path === path && fragment.test(i.message))
  expect(hit, `no issue at ${path} matching ${fragment}; got ${JSON.stringify(issues, null, 1)}`).toBeDefined()
}

describe('sweep plan', () => {
  it('spans every combination, the first parameter slowest, with labels and point names', () => {
    const exp = accepted(
      withSweep({
        parameters: [
          { path: 'hosts[*].hypervisor', values: ['esx-4.0', 'esx-4.1'] },
          { path: 'vms[db1].workload.arrival.clients', values: [1, 8, 32] }
        ],
        replications: 3
      })
    )
    const planned = planSweep(exp)
    if (!planned.ok) throw new Error('plan refused')
    const { plan } = planned
    expect(plan.points.map((p) => p.label)).toEqual([
      'hypervisor=esx-4.0, clients=1',
      'hypervisor=esx-4.0, clients=8',
      'hypervisor=esx-4.0, clients=32',
      'hypervisor=esx-4.1, clients=1',
      'hypervisor=esx-4.1, clients=8',
      'hypervisor=esx-4.1, clients=32'
    ])
    expect(plan.parameters[0]?.places).toEqual([['hosts', 0, 'hypervisor'], ['hosts', 1, 'hypervisor']])
    const doc = pointDocument(exp, plan, plan.points[4]!)
    const point = accepted(doc as Mutable)
    expect(point.hosts.map((h) => h.hypervisor)).toEqual(['esx-4.1', 'esx-4.1'])
    expect(point.vms[1]?.workload).toMatchObject({ arrival: { clients: 8 } })
    expect(point.name).toBe('base [hypervisor=esx-4.1, clients=8]')
    expect(point.sweep).toBeUndefined()
    // The experiment itself is untouched by making a point.
    expect(exp.hosts[0]?.hypervisor).toBe('esx-4.0')
    expect(exp.vms[1]?.workload).toMatchObject({ arrival: { clients: 4 } })
  })

  it('derives one seed per replication from the experiment seed, the same for every point', () => {
    const exp = accepted(withSweep({ parameters: [{ path: 'vms[vm1].vcpus', values: [1, 2] }], replications: 4 }, (e) => (e.seed = 42)))
    const planned = planSweep(exp)
    expect(planned.ok && planned.plan.seeds).toEqual(replicationSeeds(42, 4))
    const seeds = replicationSeeds(42, 4)
    expect(seeds[0]).toBe(42)
    expect(new Set(seeds).size).toBe(4)
    expect(replicationSeeds(42, 6).slice(0, 4)).toEqual(seeds)
    expect(replicationSeeds(43, 4)).not.toEqual(seeds)
    for (const s of replicationSeeds(4_294_967_295, 50)) expect(Number.isInteger(s) && s >= 0 && s <= 4_294_967_295).toBe(true)
  })

  it('replicates one experiment when there are no parameters', () => {
    const exp = accepted(withSweep({ replications: 5 }))
    const planned = planSweep(exp)
    expect(planned.ok && planned.plan.points).toEqual([{ point: 1, values: [], label: 'the experiment as written' }])
    expect(planned.ok && pointDocument(exp, planned.plan, planned.plan.points[0]!).name).toBe('base')
  })

  it('sets an optional field the experiment leaves out, and labels a shared field name by its whole path', () => {
    const exp = accepted(
      withSweep({
        parameters: [
          { path: 'vms[vm1].disks[0].format', values: ['thick', 'thin'] },
          { path: 'vms[vm1].vcpus', values: [1, 2] },
          { path: 'vms[db1].vcpus', values: [1, 4] }
        ]
      }, (e) => delete e.vms[0].disks[0].format)
    )
    const planned = planSweep(exp)
    expect(planned.ok && planned.plan.points[0]?.label).toBe('format=thick, vms[vm1].vcpus=1, vms[db1].vcpus=1')
  })
})

describe('sweep refusals', () => {
  it('names a path that matches nothing, and where it stopped matching', () => {
    const at = 'sweep.parameters[0].path'
    const one = (path: string, values: unknown[] = [1, 2]) => refused(withSweep({ parameters: [{ path, values }] }))
    expectIssue(one('vms[db9].vcpus'), at, /"vms\[db9\]\.vcpus" matches nothing: vms has no item with id "db9" \(ids: vm1, db1\)/)
    expectIssue(one('hosts[*].hypervisr', ['esx-4.0']), at, /hosts\[0\] has no field "hypervisr" \(fields: id, cpu, .*hypervisor/)
    expectIssue(one('vms[vm1].workload.arrival.clients'), at, /vms\[0\]\.workload is the catalog name "oltp"; write it as \{ preset: oltp \}/)
    expectIssue(one('vms[vm1].swap.on', ['ds1']), at, /vms\[0\]\.swap is not in the experiment, so nothing inside it can be set/)
    expectIssue(one('hosts[7].sockets'), at, /hosts has 2 items, so \[7\] is past its end/)
    expectIssue(one('vms[vm1].disks[*].gb[0]'), at, /vms\[0\]\.disks\[0\]\.gb is the number 20, not a list/)
    expectIssue(one('vms[vm1].nics[n0].model', ['e1000']), at, /the items of vms\[0\]\.nics have no ids/)
    expectIssue(one('events[*].at_s'), at, /events is an empty list/)
    expectIssue(one('bogus'), at, /an experiment has no field "bogus"/)
  })

  it('says what is wrong with a path that is not one', () => {
    const one = (path: string) => refused(withSweep({ parameters: [{ path, values: [1, 2] }] }))
    expectIssue(one('[db1].vcpus'), 'sweep.parameters[0].path', /begin with a field name/)
    expectIssue(one('vms[db1.vcpus'), 'sweep.parameters[0].path', /"\[" without its "\]"/)
    expectIssue(one('vms[$].vcpus'), 'sweep.parameters[0].path', /brackets hold an id/)
    expectIssue(one('vms[db1]vcpus'), 'sweep.parameters[0].path', /where "\." or "\[" should come/)
  })

  it('refuses fields a sweep may not vary, a place two parameters set, and repeated values', () => {
    expectIssue(refused(withSweep({ parameters: [{ path: 'seed', values: [1, 2] }] })), 'sweep.parameters[0].path', /cannot vary seed: replications vary the seed/)
    expectIssue(refused(withSweep({ parameters: [{ path: 'format', values: ['x'] }] })), 'sweep.parameters[0].path', /cannot vary format/)
    expectIssue(
      refused(withSweep({ parameters: [{ path: 'vms[*].vcpus', values: [1, 2] }, { path: 'vms[db1].vcpus', values: [2, 4] }] })),
      'sweep.parameters[1].path',
      /sets vms\[1\]\.vcpus, which "vms\[\*\]\.vcpus" also sets/
    )
    expectIssue(
      refused(withSweep({ parameters: [{ path: 'vms[db1].workload', values: ['oltp', 'web'] }, { path: 'vms[db1].workload.arrival', values: [{ process: 'closed', clients: 1 }] }] })),
      'sweep.parameters[1].path',
      /which "vms\[db1\]\.workload" also sets/
    )
    expectIssue(refused(withSweep({ parameters: [{ path: 'vms[vm1].vcpus', values: [1, 2, 1] }] })), 'sweep.parameters[0].values[2]', /repeats values\[0\] \(1\)/)
  })

  it('refuses a sweep that varies nothing, and one beyond the limits', () => {
    expectIssue(refused(withSweep({ replications: 1 })), 'sweep', /varies nothing/)
    const many = Array.from({ length: 40 }, (_, i) => i + 1)
    expectIssue(
      refused(withSweep({ parameters: [{ path: 'vms[vm1].memory_gb', values: many }, { path: 'vms[db1].memory_gb', values: many }] })),
      'sweep.parameters',
      /span 1,600 points; a sweep may have at most 1,000/
    )
    expectIssue(
      refused(withSweep({ parameters: [{ path: 'vms[vm1].vcpus', values: [1, 2, 3, 4, 5] }], replications: 2001 })),
      'sweep.replications',
      /must be at most 1000/
    )
    expectIssue(
      refused(withSweep({ parameters: [{ path: 'vms[vm1].vcpus', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }], replications: 1000 })),
      'sweep.replications',
      /11 points × 1000 replications = 11,000 runs; a sweep may have at most 10,000/
    )
  })

  it('checks every point as an experiment and names the values that make one invalid', () => {
    const issues = refused(
      withSweep({
        parameters: [
          { path: 'vms[db1].memory_gb', values: [2, 64] },
          { path: 'vms[db1].vcpus', values: [1, 2] }
        ]
      })
    )
    // Memory 64 fails at both vCPU counts: only the memory is named.
    expectIssue(issues, 'vms[1] (db1).memory_gb', /^when vms\[db1\]\.memory_gb = 64: the VM asks 64 GB, more than host "h2" has \(48 GB\)/)
    expect(issues).toHaveLength(1)
  })

  it('names the hypervisor that does not offer a VM\'s devices', () => {
    const issues = refused(withSweep({ parameters: [{ path: 'hosts[*].hypervisor', values: ['esx-3.5', 'esx-4.0'] }] }))
    expectIssue(issues, 'vms[0] (vm1).nics[0].model', /^when hosts\[\*\]\.hypervisor = esx-3\.5: VMware ESX 3\.5 offers no NIC "vmxnet3"/)
  })

  it('names a value the schema refuses, with the path of the field in the point', () => {
    const issues = refused(withSweep({ parameters: [{ path: 'hosts[*].cpu_virt', values: ['auto', 'magic'] }] }))
    expectIssue(issues, 'hosts[0] (h1).cpu_virt', /^when hosts\[\*\]\.cpu_virt = magic: must be one of "auto", "bt", "hw", "pv"/)
    expectIssue(issues, 'hosts[1] (h2).cpu_virt', /^when hosts\[\*\]\.cpu_virt = magic:/)
  })

  it('lists the points when no set of values describes them, and reports a problem of every point once, as it is', () => {
    const issues = refused(
      withSweep({
        parameters: [
          { path: 'vms[vm1].memory_gb', values: [2, 40] },
          { path: 'vms[db1].memory_gb', values: [2, 40] }
        ]
      }, (e) => (e.vms[1].host = 'h1'))
    )
    // h1 has 48 GB: 40 + 40, 40 + 2 … only the first is over. One point, named with its values.
    expectIssue(issues, 'vms[1] (db1).memory_gb', /^when vms\[vm1\]\.memory_gb = 40 and vms\[db1\]\.memory_gb = 40: host "h1" has 48 GB/)
    const everywhere = refused(withSweep({ parameters: [{ path: 'vms[vm1].vcpus', values: [1, 2] }] }, (e) => (e.vms[0].host = 'h9')))
    expectIssue(everywhere, 'vms[0] (vm1).host', /^host "h9" does not exist/)
  })
})

describe('sweep bounds on checking', () => {
  it('lists at most 100 problems of its points and counts the rest', () => {
    const values = Array.from({ length: 150 }, (_, i) => i + 1)
    const issues = refused(withSweep({ parameters: [{ path: 'duration_s', values }] }, (e) => (e.warmup_s = 1000)))
    expect(issues).toHaveLength(101)
    expectIssue(issues, 'warmup_s', /^when duration_s = 1: must be shorter than duration_s \(1 s\)/)
    expectIssue(issues, 'sweep', /^and 50 more problems at its points$/)
  })

  it('bounds points by the size of the experiment, since each point is checked whole', () => {
    const issues = refused(
      withSweep({ parameters: [{ path: 'vms[vm1].vcpus', values: [1, 2] }, { path: 'warmup_s', values: Array.from({ length: 200 }, (_, i) => i / 100) }] }, (e) => {
        for (let i = 0; i < 249; i++) e.vms.push({ ...structuredClone(e.vms[0]), id: `x${i}`, memory_gb: 0.1 })
        e.hosts[0].memory_gb = 4096
      })
    )
    expectIssue(issues, 'sweep.parameters', /span 400 points of 251 VMs; an experiment of 251 VMs may sweep at most 398 points/)
  })
})
