/**
 * Checks that need the whole document: ids unique within their kind, every
 * reference resolves (a VM's host, a disk's volume, a volume's LUN, an array
 * path's host and adapter), catalog names exist, and parts suit each other
 * (a volume kind suits its hosts' hypervisors; a device model is offered by
 * the VM's hypervisor). Each problem is reported at the path of the field.
 */
import { catalog, defaultFormatFor, volumeKinds, type FormatId, type VolumeKindId } from '../catalog'
import { resolveWorkload } from '../catalog/resolve'
import type { Issue } from '../errors'
import { LIMITS } from '../limits'
import type { Experiment, Host, Vm, Workload } from './schema'
import { formatPath } from './paths'
import { closest } from './suggest'
import { techniquesFor } from './techniques'
import { experimentEvents } from './events'

export { formatPath }

type Path = ReadonlyArray<string | number>

/**
 * The names a reference could have used, for the end of a message: the
 * closest one first when `given` looks like a typo of it, then the known ones.
 */
function names(ids: Iterable<string>, given?: string): string {
  const list = [...ids]
  if (list.length === 0) return 'none are defined'
  const hit = given === undefined ? null : closest(given, list)
  const shown = list.slice(0, 12).map((i) => `"${i}"`).join(', ')
  return `${hit === null ? '' : `did you mean "${hit}"? `}known: ${shown}${list.length > 12 ? ', …' : ''}`
}

export function checkReferences(exp: Experiment): Issue[] {
  return referenceProblems(exp).map((p) => ({ path: formatPath(p.path), message: p.message }))
}

/** A problem found by the whole-document checks, at the parts of its path. */
export interface ReferenceProblem {
  path: Array<string | number>
  message: string
}

export function referenceProblems(exp: Experiment): ReferenceProblem[] {
  const issues: ReferenceProblem[] = []
  const fail = (path: Path, message: string): void => {
    issues.push({ path: [...path], message })
  }

  const unique = <T extends { id: string }>(items: readonly T[], base: Path, what: string): Map<string, T> => {
    const seen = new Map<string, T>()
    items.forEach((item, i) => {
      if (seen.has(item.id)) fail([...base, i, 'id'], `${what} "${item.id}" is defined twice`)
      else seen.set(item.id, item)
    })
    return seen
  }

  const hosts = unique(exp.hosts, ['hosts'], 'host')
  const arrays = unique(exp.arrays, ['arrays'], 'array')
  const volumes = unique(exp.volumes, ['volumes'], 'volume')
  const vms = unique(exp.vms, ['vms'], 'VM')

  if (exp.warmup_s >= exp.duration_s) {
    fail(['warmup_s'], `must be shorter than duration_s (${exp.duration_s} s)`)
  }
  const windows = Math.ceil((exp.duration_s * 1000) / exp.sample_ms)
  if (windows * exp.vms.length > LIMITS.sampleRows) {
    fail(
      ['sample_ms'],
      `${windows} windows × ${exp.vms.length} VMs = ${windows * exp.vms.length} samples, over the limit of ${LIMITS.sampleRows}; raise sample_ms or shorten duration_s`
    )
  }

  // Hosts: catalog names, and each host's own device ids.
  exp.hosts.forEach((h, i) => {
    if (!catalog.cpus[h.cpu]) fail(['hosts', i, 'cpu'], `unknown CPU "${h.cpu}" (${names(Object.keys(catalog.cpus), h.cpu)})`)
    const hv = catalog.hypervisors[h.hypervisor]
    if (!hv) {
      fail(['hosts', i, 'hypervisor'], `unknown hypervisor "${h.hypervisor}" (${names(Object.keys(catalog.hypervisors), h.hypervisor)})`)
    } else {
      const cpu = catalog.cpus[h.cpu]
      if (h.cpu_virt !== 'auto' && !hv.cpuVirt.includes(h.cpu_virt)) {
        fail(['hosts', i, 'cpu_virt'], `${hv.name} does not offer "${h.cpu_virt}" (offers: ${hv.cpuVirt.join(', ') || 'none'})`)
      } else if (cpu && h.cpu_virt === 'hw' && !cpu.hwVirt) {
        fail(['hosts', i, 'cpu_virt'], `${cpu.name} has no VT-x/AMD-V, so "hw" is not possible`)
      }
      if (h.mmu_virt !== 'auto' && !hv.mmuVirt.includes(h.mmu_virt)) {
        fail(['hosts', i, 'mmu_virt'], `${hv.name} does not offer "${h.mmu_virt}" (offers: ${hv.mmuVirt.join(', ') || 'none'})`)
      } else if (cpu && h.mmu_virt === 'nested' && !cpu.nestedPaging) {
        fail(['hosts', i, 'mmu_virt'], `${cpu.name} has no EPT/RVI, so "nested" is not possible`)
      }
    }
    const devIds = new Set<string>()
    const own = (kind: 'nics' | 'hbas' | 'disks'): void => {
      h[kind].forEach((d, j) => {
        if (devIds.has(d.id)) fail(['hosts', i, kind, j, 'id'], `device "${d.id}" is defined twice on host "${h.id}"`)
        devIds.add(d.id)
      })
    }
    own('nics')
    own('hbas')
    own('disks')
    h.disks.forEach((d, j) => checkDiskModel(d.model, d.service_ms !== undefined, ['hosts', i, 'disks', j], fail))
  })

  // Arrays: disk model, paths to real hosts through a fitting adapter.
  exp.arrays.forEach((a, i) => {
    checkDiskModel(a.disks.model, a.disks.service_ms !== undefined, ['arrays', i, 'disks'], fail)
    unique(a.luns, ['arrays', i, 'luns'], 'LUN')
    a.paths.forEach((p, j) => {
      const host = hosts.get(p.host)
      if (!host) return fail(['arrays', i, 'paths', j, 'host'], `host "${p.host}" does not exist (${names(hosts.keys(), p.host)})`)
      const adapter = a.protocol === 'fc' ? host.hbas.find((x) => x.id === p.via && x.kind === 'fc') : findIscsiAdapter(host, p.via)
      if (!adapter) {
        const want = a.protocol === 'fc' ? 'FC HBA' : 'NIC or iSCSI HBA'
        fail(['arrays', i, 'paths', j, 'via'], `host "${p.host}" has no ${want} "${p.via}"`)
      }
    })
  })

  // Volumes: what they sit on, which hosts see them, and whether the kind suits those hosts.
  const volumeHosts = new Map<string, string[]>()
  exp.volumes.forEach((v, i) => {
    const target = resolveDevice(v.on, hosts, arrays)
    if (typeof target === 'string') return fail(['volumes', i, 'on'], target)
    let seenBy: string[]
    if (target.kind === 'host-disk') {
      seenBy = [target.host]
      if (v.hosts && v.hosts.some((h) => h !== target.host)) {
        fail(['volumes', i, 'hosts'], `a local disk of host "${target.host}" is not visible to other hosts`)
      }
    } else {
      seenBy = v.hosts ?? []
      if (seenBy.length === 0) fail(['volumes', i, 'hosts'], `name the hosts that use this SAN volume`)
      seenBy.forEach((hid, k) => {
        if (!hosts.has(hid)) return fail(['volumes', i, 'hosts', k], `host "${hid}" does not exist (${names(hosts.keys(), hid)})`)
        const array = arrays.get(target.array)
        if (array && !array.paths.some((p) => p.host === hid)) {
          fail(['volumes', i, 'hosts', k], `host "${hid}" has no path to array "${target.array}"`)
        }
      })
    }
    volumeHosts.set(v.id, seenBy)
    if (v.kind === 'csv') {
      if (target.kind !== 'lun') fail(['volumes', i, 'on'], 'a Cluster Shared Volume must sit on a SAN LUN')
      if (!v.coordinator) fail(['volumes', i, 'coordinator'], 'a Cluster Shared Volume needs a coordinator node')
      else if (!seenBy.includes(v.coordinator)) fail(['volumes', i, 'coordinator'], `"${v.coordinator}" is not one of the volume's hosts`)
    } else if (v.coordinator) {
      fail(['volumes', i, 'coordinator'], `only a csv volume has a coordinator (this one is ${v.kind})`)
    }
    seenBy.forEach((hid) => {
      const hv = catalog.hypervisors[hosts.get(hid)?.hypervisor ?? '']
      if (hv && !hv.volumeKinds.includes(v.kind)) {
        fail(['volumes', i, 'kind'], `${v.kind} does not suit host "${hid}" running ${hv.name} (it uses: ${hv.volumeKinds.join(', ')})`)
      }
    })
  })

  // VMs: host, devices offered by the hypervisor, disks on volumes their host sees, workload.
  const memoryByHost = new Map<string, number>()
  /** `host/nic` → the first VM NIC on it; a pass-through NIC takes the host NIC for itself. */
  const uplinkClaims = new Map<string, { vm: string; passthrough: boolean }>()
  /** `host/disk` or `array/lun` → what holds it whole: a volume, or a VM's pass-through disk. */
  const deviceOwners = new Map<string, string>()
  // Only a volume that holds something claims its device (an unused one is a name, not a tenant).
  const usedVolumes = new Set(exp.vms.flatMap((vm) => [...vm.disks.filter((d) => d.model !== 'passthrough' && !isDeviceRef(d.on)).map((d) => d.on), ...(vm.swap ? [vm.swap.on] : [])]))
  exp.volumes.forEach((v) => {
    if (usedVolumes.has(v.id) && !deviceOwners.has(v.on)) deviceOwners.set(v.on, `volume "${v.id}"`)
  })
  exp.vms.forEach((vm, i) => {
    const host = hosts.get(vm.host)
    if (!host) fail(['vms', i, 'host'], `host "${vm.host}" does not exist (${names(hosts.keys(), vm.host)})`)
    const hv = host ? catalog.hypervisors[host.hypervisor] : undefined
    if (host) {
      const total = (memoryByHost.get(host.id) ?? 0) + vm.memory_gb
      memoryByHost.set(host.id, total)
      if (vm.memory_gb > host.memory_gb) {
        fail(['vms', i, 'memory_gb'], `the VM asks ${vm.memory_gb} GB, more than host "${host.id}" has (${host.memory_gb} GB)`)
      } else if (total > host.memory_gb) {
        fail(['vms', i, 'memory_gb'], `host "${host.id}" has ${host.memory_gb} GB and its VMs ask ${total} GB (memory overcommit is not modelled)`)
      }
      const cpu = catalog.cpus[host.cpu]
      const cores = cpu ? cpu.cores * host.sockets : 0
      if (cpu && vm.vcpus > cores) {
        fail(
          ['vms', i, 'vcpus'],
          `${vm.vcpus} vCPUs is more than host "${host.id}" has cores (${host.sockets} × ${cpu.cores}-core ${cpu.name} = ${cores}); a VM cannot be bigger than its host`
        )
      }
      if (hv?.family === 'native' && exp.vms.filter((v) => v.host === host.id).length > 1) {
        fail(['vms', i, 'host'], `host "${host.id}" runs no hypervisor ("native"), so it holds one operating system, not several VMs`)
      }
    }
    let passthroughNics = 0
    vm.nics.forEach((n, j) => {
      if (n.model === 'passthrough' && hv && hv.nicModels.includes('passthrough')) {
        passthroughNics++
        const limit = hv.pciPassthroughPerVm
        if (limit !== null && passthroughNics > limit) {
          fail(
            ['vms', i, 'nics', j, 'model'],
            `${hv.name} lets one VM own at most ${limit} pass-through device${limit === 1 ? '' : 's'} (${hv.sources.pciPassthroughPerVm ?? 'catalog'}); this is its ${ordinal(passthroughNics)}`
          )
        }
      }
      if (host && hv) {
        const key = `${host.id}/${n.uplink}`
        const claim = uplinkClaims.get(key)
        const sriov = host.nics.find((x) => x.id === n.uplink)?.sriov ?? false
        if (claim && !sriov && (claim.passthrough || n.model === 'passthrough')) {
          const owner = claim.passthrough ? claim.vm : vm.id
          fail(
            ['vms', i, 'nics', j, 'uplink'],
            `host NIC "${n.uplink}" of "${host.id}" is passed through to VM "${owner}", so no other virtual NIC can use it (only an SR-IOV NIC, sriov: true, can be shared)`
          )
        } else if (!claim || n.model === 'passthrough') {
          uplinkClaims.set(key, { vm: vm.id, passthrough: n.model === 'passthrough' && !sriov })
        }
      }
      if (hv && !hv.nicModels.includes(n.model)) {
        fail(['vms', i, 'nics', j, 'model'], `${hv.name} offers no NIC "${n.model}" (offers: ${hv.nicModels.join(', ')})`)
      }
      if (host && !host.nics.some((x) => x.id === n.uplink)) {
        fail(['vms', i, 'nics', j, 'uplink'], `host "${host.id}" has no NIC "${n.uplink}" (${names(host.nics.map((x) => x.id), n.uplink)})`)
      }
    })
    vm.disks.forEach((d, j) => {
      const at = ['vms', i, 'disks', j] as const
      if (hv && !hv.diskModels.includes(d.model)) {
        fail([...at, 'model'], `${hv.name} offers no disk controller "${d.model}" (offers: ${hv.diskModels.join(', ')})`)
      }
      // A device named directly (`host/disk` or `array/lun`): the adapter assigned to the VM (`passthrough`), or a
      // raw mapping through the VM's virtual controller (RDM, a Hyper-V pass-through disk). No virtual-disk layer either way.
      if (d.model === 'passthrough' || isDeviceRef(d.on)) {
        const what = d.model === 'passthrough' ? 'a pass-through disk' : 'a raw device mapping'
        const target = resolveDevice(d.on, hosts, arrays)
        if (typeof target === 'string') return fail([...at, 'on'], `${what} names a device: ${target}`)
        if (target.kind === 'host-disk' && target.host !== vm.host) {
          fail([...at, 'on'], `"${d.on}" is a disk of another host than the VM's ("${vm.host}")`)
        }
        if (target.kind === 'lun') {
          const array = arrays.get(target.array)
          if (array && !array.paths.some((p) => p.host === vm.host)) {
            fail([...at, 'on'], `host "${vm.host}" has no path to array "${target.array}"`)
          }
        }
        const owner = deviceOwners.get(d.on)
        if (owner) fail([...at, 'on'], `"${d.on}" already belongs to ${owner}; ${what} takes a device whole`)
        else deviceOwners.set(d.on, `VM "${vm.id}" (${what.replace(/^an? /, '')})`)
        if (d.format && d.format !== 'raw') fail([...at, 'format'], `${what} has no virtual-disk format (omit it or say raw)`)
        if (d.allocated_pct !== undefined) fail([...at, 'allocated_pct'], `${what} has no virtual-disk layer to allocate`)
        return
      }
      const volume = volumes.get(d.on)
      if (!volume) return fail([...at, 'on'], `volume "${d.on}" does not exist (${names(volumes.keys(), d.on)})`)
      if (!(volumeHosts.get(volume.id) ?? []).includes(vm.host)) {
        fail([...at, 'on'], `volume "${d.on}" is not visible to host "${vm.host}"`)
      }
      if (d.format !== undefined) {
        if (!catalog.formats[d.format]) {
          fail([...at, 'format'], `unknown disk format "${d.format}" (${names(Object.keys(catalog.formats), d.format)})`)
        } else if (!formatsFor(volume.kind).includes(d.format)) {
          fail([...at, 'format'], `format "${d.format}" does not suit a ${volume.kind} volume (use: ${formatsFor(volume.kind).join(', ')})`)
        }
      }
      const format = catalog.formats[d.format ?? defaultFormatFor(volume.kind)]
      if (d.allocated_pct !== undefined && format && format.allocationKb === 0) {
        const growable = Object.values(catalog.formats).filter((f) => f.allocationKb > 0).map((f) => f.id)
        fail([...at, 'allocated_pct'], `format "${format.id}" is preallocated, so nothing is left to allocate (allocated_pct applies to ${growable.join(', ')})`)
      }
    })
    if (vm.swap && !volumes.has(vm.swap.on)) fail(['vms', i, 'swap', 'on'], `volume "${vm.swap.on}" does not exist (${names(volumes.keys(), vm.swap.on)})`)
    const workloadOk = checkWorkload(vm.workload, ['vms', i, 'workload'], fail)
    if (host && hv) checkTechniques(host, exp.hosts.indexOf(host), vm, i, fail)
    if (workloadOk) checkDemands(vm, i, exp.duration_s, fail)
  })

  // Events: what they name must exist.
  exp.events.forEach((e, i) => {
    if (e.at_s > exp.duration_s) fail(['events', i, 'at_s'], `is after the end of the run (${exp.duration_s} s)`)
    if ('vm' in e && !vms.has(e.vm)) fail(['events', i, 'vm'], `VM "${e.vm}" does not exist (${names(vms.keys(), e.vm)})`)
    if ('to' in e && !hosts.has(e.to)) fail(['events', i, 'to'], `host "${e.to}" does not exist (${names(hosts.keys(), e.to)})`)
    else if ('to' in e && vms.get(e.vm)?.host === e.to && !exp.events.some((x, j) => j < i && x.do === 'migrate' && x.vm === e.vm)) {
      fail(['events', i, 'to'], `VM "${e.vm}" already runs on host "${e.to}"`)
    }
    if (e.do === 'set-workload') checkWorkload(e.workload, ['events', i, 'workload'], fail)
    if ('array' in e && !arrays.has(e.array)) fail(['events', i, 'array'], `array "${e.array}" does not exist (${names(arrays.keys(), e.array)})`)
    if ('host' in e && !hosts.has(e.host)) fail(['events', i, 'host'], `host "${e.host}" does not exist (${names(hosts.keys(), e.host)})`)
    // A path event acts on a path that exists: the host reaches the array.
    if (experimentEvents[e.do].subject === 'path' && 'array' in e && arrays.has(e.array) && hosts.has(e.host)) {
      if (!arrays.get(e.array)!.paths.some((p) => p.host === e.host)) fail(['events', i, 'host'], `host "${e.host}" has no path to array "${e.array}"`)
    }
  })

  return issues
}

/** A disk's `on` names a device (`host/disk`, `array/lun`) rather than a volume (ids have no "/"). */
export function isDeviceRef(on: string): boolean {
  return on.includes('/')
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'
  return `${n}${suffix}`
}

/** Virtual-disk formats a volume kind can hold (catalog volumes). */
export function formatsFor(kind: VolumeKindId): FormatId[] {
  return volumeKinds[kind].formats
}

function findIscsiAdapter(host: Host, via: string): unknown {
  return host.nics.find((n) => n.id === via) ?? host.hbas.find((x) => x.id === via && x.kind === 'iscsi')
}

export type DeviceRef = { kind: 'host-disk'; host: string; disk: string } | { kind: 'lun'; array: string; lun: string }

/** Resolves `host/disk` or `array/lun`; a string return is the reason it does not resolve. */
export function resolveDevice(
  on: string,
  hosts: ReadonlyMap<string, Host>,
  arrays: ReadonlyMap<string, Experiment['arrays'][number]>
): DeviceRef | string {
  const parts = on.split('/')
  if (parts.length !== 2 || !parts[0] || !parts[1]) return `"${on}" should be "host/disk" or "array/lun"`
  const [owner, dev] = parts as [string, string]
  const host = hosts.get(owner)
  if (host) {
    return host.disks.some((d) => d.id === dev)
      ? { kind: 'host-disk', host: owner, disk: dev }
      : `host "${owner}" has no disk "${dev}" (${names(host.disks.map((d) => d.id), dev)})`
  }
  const array = arrays.get(owner)
  if (array) {
    return array.luns.some((l) => l.id === dev)
      ? { kind: 'lun', array: owner, lun: dev }
      : `array "${owner}" has no LUN "${dev}" (${names(array.luns.map((l) => l.id), dev)})`
  }
  return `no host or array "${owner}" (${names([...hosts.keys(), ...arrays.keys()], owner)})`
}

function checkDiskModel(model: string, hasServiceTime: boolean, at: Path, fail: (p: Path, m: string) => void): void {
  if (model === 'custom') {
    if (!hasServiceTime) fail([...at, 'service_ms'], 'a custom device needs a service_ms distribution')
    return
  }
  if (!catalog.disks[model]) fail([...at, 'model'], `unknown disk model "${model}" (${names([...Object.keys(catalog.disks), 'custom'], model)})`)
  if (hasServiceTime) fail([...at, 'service_ms'], `only a custom device takes service_ms (this one is "${model}")`)
}

/** True when the workload names things that exist, so it can be resolved. */
function checkWorkload(w: Workload, at: Path, fail: (p: Path, m: string) => void): boolean {
  if (typeof w === 'string') {
    if (catalog.workloads[w]) return true
    fail(at, `unknown workload "${w}" (${names(Object.keys(catalog.workloads), w)})`)
    return false
  }
  if ('kind' in w) return true
  const preset = catalog.workloads[w.preset]
  if (!preset) {
    fail([...at, 'preset'], `unknown workload "${w.preset}" (${names(Object.keys(catalog.workloads), w.preset)})`)
    return false
  }
  let ok = true
  for (const key of Object.keys(w)) {
    if (key === 'preset' || key === 'arrival') continue
    if (!preset.params.includes(key)) {
      fail([...at, key], `workload "${w.preset}" takes no "${key}" (it takes: ${[...preset.params, 'arrival'].join(', ')})`)
      ok = false
    }
  }
  return ok
}

/** The CPU and MMU techniques the VM would get must exist on its host's CPU and hypervisor. */
function checkTechniques(host: Host, hostIndex: number, vm: Vm, i: number, fail: (p: Path, m: string) => void): void {
  const hv = catalog.hypervisors[host.hypervisor]
  const cpu = catalog.cpus[host.cpu]
  if (!hv || !cpu) return
  const out = techniquesFor(host, hv, cpu, vm)
  if (!('reason' in out)) return
  if (out.field === 'guest') return fail(['vms', i, 'guest', 'paravirt'], out.reason)
  fail(['hosts', hostIndex, out.field], `${out.reason} (VM "${vm.id}")`)
}

/** A workload's demands must be servable by the VM and must take time. */
function checkDemands(vm: Vm, i: number, durationS: number, fail: (p: Path, m: string) => void): void {
  const w = resolveWorkload(vm.workload)
  const p = w.per_op
  if (typeof vm.workload === 'object' && 'preset' in vm.workload && vm.workload.working_set_mb !== undefined && vm.workload.working_set_mb > vm.memory_gb * 1024) {
    fail(['vms', i, 'workload', 'working_set_mb'], `${vm.workload.working_set_mb} MB does not fit in the VM's ${vm.memory_gb} GB of memory (memory_gb)`)
  }
  if (p.disk.some((d) => d.count > 0) && vm.disks.length === 0) {
    fail(['vms', i, 'disks'], `its workload issues disk I/O, but the VM has no disks`)
  }
  if (p.net.some((n) => n.count > 0) && vm.nics.length === 0) {
    fail(['vms', i, 'nics'], `its workload sends or receives network traffic, but the VM has no NIC`)
  }
  if (w.arrival.process === 'poisson' && w.arrival.rate_per_s * durationS > LIMITS.opsPerVm) {
    const asked = w.arrival.rate_per_s * durationS
    fail(
      ['vms', i, 'workload', 'arrival', 'rate_per_s'],
      `${asked.toExponential(1)} operations over ${durationS} s is more than one run simulates (${LIMITS.opsPerVm.toExponential(0)}); lower the rate or the duration`
    )
  }
  const work =
    p.instructions + p.syscalls + p.page_faults + p.pte_updates + p.context_switches + p.io_accesses +
    p.disk.reduce((s, d) => s + d.count, 0) + p.net.reduce((s, n) => s + n.count, 0) + w.peer_us
  if (work === 0 && w.arrival.process === 'closed' && w.arrival.think_ms === 0) {
    fail(
      ['vms', i, 'workload'],
      'its operations take no time (no instructions, no I/O) and its clients do not think, so it would complete operations endlessly at one instant'
    )
  }
}
