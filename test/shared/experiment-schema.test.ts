import { describe, expect, it } from 'vitest'
import { formatPath, parseExperiment, parseExperimentText, parsePath } from '../../src/shared/experiment'
import type { Issue } from '../../src/shared/errors'
import { baseExperiment, toYaml } from '../helpers'

type Mutable = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

function issuesOf(mutate: (e: Mutable) => void): Issue[] {
  const exp = baseExperiment() as Mutable
  mutate(exp)
  const out = parseExperimentText(toYaml(exp))
  if (out.ok) throw new Error('expected the experiment to be refused')
  return out.issues
}

function expectIssue(issues: Issue[], path: string, fragment: RegExp): void {
  // Paths name the id of each listed item (`vms[0] (vm1).host`); compare them without.
  const hit = issues.find((i) => formatPath(parsePath(i.path)) === path)
  expect(hit, `no issue at ${path}; got ${JSON.stringify(issues)}`).toBeDefined()
  expect(hit?.message).toMatch(fragment)
}

describe('experiment schema', () => {
  it('accepts the base experiment and fills documented defaults', () => {
    const out = parseExperiment(baseExperiment())
    expect(out.ok).toBe(true)
    if (!out.ok) return
    expect(out.experiment.warmup_s).toBe(0)
    expect(out.experiment.baseline).toBe('native')
    expect(out.experiment.hosts[0]?.cpu_virt).toBe('auto')
    expect(out.experiment.vms[0]?.guest).toEqual({ os: 'linux', paravirt: false })
  })

  it('reads JSON as well as YAML', () => {
    expect(parseExperimentText(JSON.stringify(baseExperiment())).ok).toBe(true)
  })

  it('refuses a wrong type, naming the field', () => {
    expectIssue(issuesOf((e) => (e.vms[0].vcpus = 'two')), 'vms[0].vcpus', /must be a number, not the text "two"/)
    expectIssue(issuesOf((e) => (e.duration_s = true)), 'duration_s', /must be a number/)
    expectIssue(issuesOf((e) => (e.hosts = {})), 'hosts', /must be an array/)
  })

  it('refuses a missing required field', () => {
    expectIssue(issuesOf((e) => delete e.hosts[0].cpu), 'hosts[0].cpu', /is required/)
  })

  it('refuses unknown keys at every level, naming the key', () => {
    expectIssue(issuesOf((e) => (e.colour = 'red')), 'colour', /unknown field/)
    expectIssue(issuesOf((e) => (e.hosts[0].cpux = 'nehalem')), 'hosts[0].cpux', /unknown field/)
    expectIssue(issuesOf((e) => (e.vms[0].disks[0].size = 3)), 'vms[0].disks[0].size', /unknown field/)
  })

  it('refuses a bad enum value and lists the accepted ones', () => {
    expectIssue(issuesOf((e) => (e.hosts[0].cpu_virt = 'magic')), 'hosts[0].cpu_virt', /one of "auto", "bt", "hw", "pv"/)
  })

  it('refuses dangling references', () => {
    expectIssue(issuesOf((e) => (e.vms[0].host = 'h9')), 'vms[0].host', /host "h9" does not exist/)
    expectIssue(issuesOf((e) => (e.vms[0].disks[0].on = 'ds9')), 'vms[0].disks[0].on', /volume "ds9" does not exist/)
    expectIssue(issuesOf((e) => (e.volumes[1].on = 'eva/lun7')), 'volumes[1].on', /array "eva" has no LUN "lun7"/)
    expectIssue(issuesOf((e) => (e.volumes[0].on = 'h1/d5')), 'volumes[0].on', /host "h1" has no disk "d5"/)
    expectIssue(issuesOf((e) => (e.arrays[0].paths[0].via = 'fc9')), 'arrays[0].paths[0].via', /host "h1" has no FC HBA "fc9"/)
    expectIssue(issuesOf((e) => (e.vms[0].nics[0].uplink = 'n5')), 'vms[0].nics[0].uplink', /has no NIC "n5"/)
    expectIssue(
      issuesOf((e) => (e.events = [{ at_s: 1, do: 'migrate', vm: 'vm1', to: 'h7' }])),
      'events[0].to',
      /host "h7" does not exist/
    )
  })

  it('refuses unknown catalog names', () => {
    expectIssue(issuesOf((e) => (e.hosts[0].cpu = 'pentium-pro')), 'hosts[0].cpu', /unknown CPU "pentium-pro"/)
    expectIssue(issuesOf((e) => (e.hosts[0].hypervisor = 'vmware-workstation')), 'hosts[0].hypervisor', /unknown hypervisor/)
    expectIssue(issuesOf((e) => (e.vms[0].workload = 'bitcoin')), 'vms[0].workload', /unknown workload "bitcoin"/)
    expectIssue(issuesOf((e) => (e.hosts[0].disks[0].model = 'floppy')), 'hosts[0].disks[0].model', /unknown disk model/)
  })

  it('resolves only real catalog ids, never names an object inherits', () => {
    expectIssue(issuesOf((e) => (e.hosts[0].hypervisor = 'constructor')), 'hosts[0].hypervisor', /unknown hypervisor "constructor"/)
    expectIssue(issuesOf((e) => (e.hosts[0].cpu = 'toString')), 'hosts[0].cpu', /unknown CPU "toString"/)
    expectIssue(issuesOf((e) => (e.vms[0].workload = 'hasOwnProperty')), 'vms[0].workload', /unknown workload/)
    expectIssue(issuesOf((e) => (e.hosts[0].disks[0].model = '__proto__')), 'hosts[0].disks[0].model', /unknown disk model/)
    expectIssue(issuesOf((e) => (e.vms[0].disks[0].format = 'valueOf')), 'vms[0].disks[0].format', /must be one of "thick", "thin"/)
  })

  it('names non-finite numbers and refuses documents nested too deeply', () => {
    const inf = parseExperimentText(toYaml(baseExperiment()).replace('duration_s: 10', 'duration_s: .inf'))
    expect(inf.ok).toBe(false)
    if (!inf.ok) expect(inf.issues).toContainEqual({ path: 'duration_s', message: 'must be a number, not Infinity' })
    const deep = parseExperimentText('{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000))
    expect(deep.ok).toBe(false)
    if (!deep.ok) expect(deep.issues[0]?.message).toMatch(/nested too deeply/)
  })

  it('refuses parts that do not suit each other', () => {
    expectIssue(issuesOf((e) => (e.volumes[0].kind = 'csv')), 'volumes[0].on', /must sit on a SAN LUN/)
    expectIssue(issuesOf((e) => (e.volumes[0].kind = 'ntfs')), 'volumes[0].kind', /ntfs does not suit host "h1"/)
    expectIssue(issuesOf((e) => (e.vms[0].disks[0].format = 'dynamic-vhd')), 'vms[0].disks[0].format', /does not suit a vmfs volume/)
    expectIssue(issuesOf((e) => (e.vms[0].disks[0].model = 'virtio-blk')), 'vms[0].disks[0].model', /offers no disk controller "virtio-blk"/)
    expectIssue(
      issuesOf((e) => (e.vms[0].workload = { preset: 'cpu-int', mtu: 9000 })),
      'vms[0].workload.mtu',
      /takes no "mtu"/
    )
    expectIssue(issuesOf((e) => (e.vms[0].memory_gb = 100)), 'vms[0].memory_gb', /the VM asks 100 GB, more than host "h1" has \(48 GB\)/)
    expectIssue(
      issuesOf((e) => e.vms.push({ ...e.vms[0], id: 'vm2', memory_gb: 47 })),
      'vms[1].memory_gb',
      /has 48 GB and its VMs ask \d+ GB/
    )
  })

  it('maps a device through a virtual controller (raw mapping) without a virtual-disk layer', () => {
    const exp = baseExperiment() as Mutable
    const host = exp.hosts[0].id
    const disk = exp.hosts[0].disks[0].id
    exp.vms[0].disks[0].on = `${host}/${disk}`
    delete exp.vms[0].disks[0].format
    const ok = parseExperimentText(toYaml(exp))
    expect(ok.ok, JSON.stringify(ok.ok ? [] : ok.issues)).toBe(true)
    const at = 'vms[0].disks[0]'
    expectIssue(issuesOf((e) => { e.vms[0].disks[0].on = `${e.hosts[0].id}/${e.hosts[0].disks[0].id}`; e.vms[0].disks[0].format = 'thin' }), `${at}.format`, /a raw device mapping has no virtual-disk format/)
    expectIssue(issuesOf((e) => { e.vms[0].disks[0].on = `${e.hosts[0].id}/${e.hosts[0].disks[0].id}`; delete e.vms[0].disks[0].format; e.vms[0].disks[0].allocated_pct = 50 }), `${at}.allocated_pct`, /no virtual-disk layer to allocate/)
    expectIssue(issuesOf((e) => { e.vms[0].disks[0].on = 'nohost/d9'; delete e.vms[0].disks[0].format }), `${at}.on`, /a raw device mapping names a device/)
  })

  it('refuses techniques the VM could not get, at the field to change', () => {
    expectIssue(issuesOf((e) => (e.hosts[0].cpu_virt = 'pv')), 'vms[0].guest.paravirt', /needs a paravirtualized guest/)
    expectIssue(
      issuesOf((e) => ((e.hosts[0].cpu_virt = 'bt'), (e.hosts[0].mmu_virt = 'nested'))),
      'hosts[0].mmu_virt',
      /nested paging needs cpu_virt "hw"/
    )
  })

  it('refuses workloads the VM cannot serve or that would never advance time', () => {
    expectIssue(issuesOf((e) => (e.vms[0].disks = [])), 'vms[0].disks', /issues disk I\/O, but the VM has no disks/)
    expectIssue(issuesOf((e) => ((e.vms[0].workload = 'net-rr'), (e.vms[0].nics = []))), 'vms[0].nics', /network traffic, but the VM has no NIC/)
    expectIssue(
      issuesOf((e) => ((e.duration_s = 86_400), (e.sample_ms = 1000), (e.vms[0].workload = { preset: 'oltp', arrival: { process: 'poisson', rate_per_s: 1e7 } }))),
      'vms[0].workload.arrival.rate_per_s',
      /more than one run simulates/
    )
    expectIssue(
      issuesOf((e) => (e.vms[0].workload = { kind: 'custom', arrival: { process: 'closed', clients: 2 }, per_op: {} })),
      'vms[0].workload',
      /take no time/
    )
  })

  it('refuses migrating a VM to the host it is on', () => {
    expectIssue(
      issuesOf((e) => (e.events = [{ at_s: 1, do: 'migrate', vm: 'vm1', to: 'h1' }])),
      'events[0].to',
      /already runs on host "h1"/
    )
  })

  it('takes every real link and memory size, and refuses what no link or VM has', () => {
    const withWorkload = (w: unknown) => {
      const exp = baseExperiment() as Mutable
      exp.vms[0].workload = w
      exp.vms[0].nics = exp.vms[0].nics ?? []
      return parseExperimentText(toYaml(exp))
    }
    // 68 bytes is the smallest IPv4 MTU (RFC 791); 576 is only the reassembly minimum.
    expect(withWorkload({ preset: 'net-rr' }).ok).toBe(true)
    const smallest = withWorkload({ preset: 'net-stream', mtu: 68 })
    expect(smallest.ok || smallest.issues.every((i) => !i.path.endsWith('mtu')), JSON.stringify(smallest.ok ? [] : smallest.issues)).toBe(true)
    expectIssue(issuesOf((e) => (e.vms[0].workload = { preset: 'net-stream', mtu: 67 })), 'vms[0].workload.mtu', /68/)
    expectIssue(issuesOf((e) => (e.vms[0].workload = { preset: 'net-stream', mtu: 9217 })), 'vms[0].workload.mtu', /9216/)
    // A working set must fit in the VM's memory.
    expectIssue(issuesOf((e) => { e.vms[0].memory_gb = 2; e.vms[0].workload = { preset: 'memory-tlb', working_set_mb: 4096 } }), 'vms[0].workload.working_set_mb', /does not fit in the VM's 2 GB/)
  })

  it('refuses duplicate ids', () => {
    expectIssue(issuesOf((e) => e.vms.push({ ...e.vms[0] })), 'vms[1].id', /VM "vm1" is defined twice/)
  })

  it('refuses negative and absurd sizes', () => {
    expectIssue(issuesOf((e) => (e.duration_s = -5)), 'duration_s', /greater than 0/)
    expectIssue(issuesOf((e) => (e.duration_s = 1e9)), 'duration_s', /at most 86400/)
    expectIssue(issuesOf((e) => (e.vms[0].disks[0].gb = -1)), 'vms[0].disks[0].gb', /greater than 0/)
    expectIssue(issuesOf((e) => (e.vms[0].vcpus = 1e9)), 'vms[0].vcpus', /at most 64/)
    expectIssue(issuesOf((e) => (e.arrays[0].disks.count = 1e9)), 'arrays[0].disks.count', /at most 1024/)
    expectIssue(
      issuesOf((e) => {
        e.vms = Array.from({ length: 1025 }, (_, i) => ({ ...e.vms[0], id: `vm${i}`, memory_gb: 0.01 }))
      }),
      'vms',
      /too many items \(at most 1024\)/
    )
    expectIssue(issuesOf((e) => (e.warmup_s = 10)), 'warmup_s', /shorter than duration_s/)
    expectIssue(issuesOf((e) => ((e.duration_s = 86400), (e.sample_ms = 10))), 'sample_ms', /over the limit/)
  })

  it('refuses malformed YAML with the line, and empty files', () => {
    const out = parseExperimentText('format: hyperlab/experiment@1\nname: [unclosed\nhosts: {')
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.issues[0]?.path).toBe('(file)')
    expect(out.issues[0]?.message).toMatch(/not valid YAML or JSON: line \d+, column \d+/)
    const empty = parseExperimentText('   \n')
    expect(empty.ok).toBe(false)
  })

  it('refuses a YAML alias bomb with a sentence, not a crash', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 8; i++) levels.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10).fill('*' + 'abcdefgh'[i - 1]).join(', ')}]`)
    const out = parseExperimentText(levels.join('\n'))
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.issues[0]).toMatchObject({ path: '(file)', message: expect.stringMatching(/^cannot be read: .*alias/i) })
  })

  it('refuses a document of the wrong format version', () => {
    expectIssue(issuesOf((e) => (e.format = 'hyperlab/experiment@2')), 'format', /must be "hyperlab\/experiment@1"/)
  })

  it('reports the form a workload object was meant to have', () => {
    expectIssue(
      issuesOf((e) => (e.vms[0].workload = { kind: 'custom', arrival: { process: 'poisson', rate_per_s: -3 }, per_op: {} })),
      'vms[0].workload.arrival.rate_per_s',
      /greater than 0/
    )
  })

  it('names the id of each listed item in a path', () => {
    const issues = issuesOf((e) => (e.vms[0].disks[0].on = 'ds9'))
    expect(issues.map((i) => i.path)).toContain('vms[0] (vm1).disks[0].on')
    expect(parsePath('vms[3] (iscsi-db).disks[0].on')).toEqual(['vms', 3, 'disks', 0, 'on'])
  })

  it('suggests the key a misspelled one was meant to be', () => {
    expectIssue(issuesOf((e) => ((e.vms[0].vcpu = 2), delete e.vms[0].vcpus)), 'vms[0].vcpu', /unknown field; did you mean "vcpus"\?/)
    expectIssue(issuesOf((e) => (e.hosts[0].hypervsor = 'esx-4.0')), 'hosts[0].hypervsor', /did you mean "hypervisor"/)
    expectIssue(issuesOf((e) => (e.colour = 'red')), 'colour', /^unknown field$/)
  })

  it('suggests the catalog id or document id a misspelled reference was meant to be', () => {
    expectIssue(issuesOf((e) => (e.hosts[0].cpu = 'nehalem')), 'hosts[0].cpu', /did you mean "nehalem-x5570"\?/)
    expectIssue(issuesOf((e) => (e.vms[0].disks[0].on = 'ds2')), 'vms[0].disks[0].on', /did you mean "ds1"\?/)
  })

  it('reports schema and reference problems together, in one pass', () => {
    const issues = issuesOf((e) => {
      e.vms[0].vcpux = 2 // schema: unknown key
      e.hosts[0].cpu_virt = 'magic' // schema: bad enum
      e.vms[0].disks[0].on = 'ds9' // reference: no such volume
      e.volumes[1].hosts = ['h7'] // reference: no such host
    })
    expectIssue(issues, 'vms[0].vcpux', /unknown field/)
    expectIssue(issues, 'hosts[0].cpu_virt', /one of/)
    expectIssue(issues, 'vms[0].disks[0].on', /volume "ds9" does not exist/)
    expectIssue(issues, 'volumes[1].hosts[0]', /host "h7" does not exist/)
  })

  it('reports no reference problem that only a mended field could cause', () => {
    // The host's memory is unreadable: its VM's memory cannot be judged against it.
    const issues = issuesOf((e) => ((e.hosts[0].memory_gb = 'lots'), (e.vms[0].memory_gb = 60)))
    expectIssue(issues, 'hosts[0].memory_gb', /must be a number/)
    expect(issues.map((i) => formatPath(parsePath(i.path)))).not.toContain('vms[0].memory_gb')
    // A VM whose host is unreadable: nothing about the VM is blamed on the placeholder.
    const noHost = issuesOf((e) => (e.vms[0].host = 42))
    expect(noHost.map((i) => formatPath(parsePath(i.path)))).toEqual(['vms[0].host'])
    // An event of no known kind is reported once, and the events after it keep their index.
    const events = issuesOf((e) => (e.events = [{ at_s: 1, do: 'explode' }, { at_s: 2, do: 'start', vm: 'vm7' }]))
    expectIssue(events, 'events[0].do', /one of/)
    expectIssue(events, 'events[1].vm', /VM "vm7" does not exist/)
  })

  it('refuses a VM bigger than its host', () => {
    expectIssue(issuesOf((e) => (e.vms[0].vcpus = 9)), 'vms[0].vcpus', /9 vCPUs is more than host "h1" has cores \(2 × 4-core .* = 8\)/)
  })

  it('refuses EPT on a Pentium 4, pvscsi under Xen, and a CSV on a host with no path to its LUN', () => {
    expectIssue(issuesOf((e) => ((e.hosts[0].cpu = 'pentium4-672'), (e.hosts[0].mmu_virt = 'nested'))), 'hosts[0].mmu_virt', /no EPT\/RVI/)
    expectIssue(
      issuesOf((e) => {
        e.hosts[0].hypervisor = 'xen-3.4'
        e.volumes = [{ id: 'img', kind: 'ext3', on: 'h1/d0' }]
        e.vms[0].disks = [{ model: 'pvscsi', on: 'img' }]
        e.vms[0].nics = [{ model: 'xen-netfront', uplink: 'n0' }]
      }),
      'vms[0].disks[0].model',
      /Xen 3.4 offers no disk controller "pvscsi"/
    )
    expectIssue(
      issuesOf((e) => {
        e.hosts[0].hypervisor = 'hyperv-2008r2'
        e.hosts.push({ ...e.hosts[0], id: 'h2' })
        e.volumes = [{ id: 'csv1', kind: 'csv', on: 'eva/lun1', hosts: ['h1', 'h2'], coordinator: 'h1' }]
        e.vms[0].disks = [{ model: 'hyperv-synthetic', on: 'csv1' }]
        e.vms[0].nics = [{ model: 'hyperv-synthetic', uplink: 'n0' }]
      }),
      'volumes[0].hosts[1]',
      /host "h2" has no path to array "eva"/
    )
  })

  it('refuses more pass-through NICs than the hypervisor lets a VM own, and a passed-through NIC shared', () => {
    const three = issuesOf((e) => {
      e.hosts[0].nics = [1, 2, 3].map((n) => ({ id: `n${n}`, gbps: 10 }))
      e.vms[0].nics = [1, 2, 3].map((n) => ({ model: 'passthrough', uplink: `n${n}` }))
    })
    expectIssue(three, 'vms[0].nics[2].model', /at most 2 pass-through devices .*VMDirectPath.*its 3rd/)
    const shared = issuesOf((e) => {
      e.vms[0].nics = [{ model: 'passthrough', uplink: 'n0' }]
      e.vms.push({ ...e.vms[0], id: 'vm2', memory_gb: 1, nics: [{ model: 'vmxnet3', uplink: 'n0' }] })
    })
    expectIssue(shared, 'vms[1].nics[0].uplink', /passed through to VM "vm1"/)
  })

  it('refuses a pass-through disk on a device that already holds a volume', () => {
    const onUsed = issuesOf((e) => {
      e.vms[0].disks = [{ model: 'pvscsi', on: 'local1' }, { model: 'passthrough', on: 'h1/d0' }]
    })
    expectIssue(onUsed, 'vms[0].disks[1].on', /already belongs to volume "local1"/)
    const twice = issuesOf((e) => {
      e.arrays[0].luns.push({ id: 'lun2', gb: 100 })
      for (const id of ['vm2', 'vm3']) e.vms.push({ ...e.vms[0], id, memory_gb: 1, disks: [{ model: 'passthrough', on: 'eva/lun2' }] })
    })
    expectIssue(twice, 'vms[2].disks[0].on', /already belongs to VM "vm2"/)
  })
})
