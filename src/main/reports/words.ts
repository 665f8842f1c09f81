/**
 * An experiment told in sentences for a report: how long it runs and what it
 * measures against, each host with its CPU, memory, hypervisor and adapters,
 * each VM with the techniques it got (after `auto`), its workload, virtual
 * disks and NICs down to the physical device, the storage behind the
 * volumes, and the timeline. Names come from the catalog, ids from the file.
 */
import { catalog, defaultFormatFor, diskDevice, nicDevice, raidLevels } from '../../shared/catalog'
import type { Arrival, Experiment, Host, Vm, Workload } from '../../shared/experiment'
import { formatCount, formatNumber } from '../../shared/format'
import type { RunResult } from '../../shared/result'

export interface VmWords {
  id: string
  /** `2 vCPUs, 8 GB, Linux guest`. */
  sizing: string
  /** `CPU hardware assist (VT-x/AMD-V), MMU nested paging (EPT/RVI)`. */
  techniques: string
  workload: string
  disks: string[]
  nics: string[]
  /** All of the above as one sentence. */
  text: string
}

export interface HostWords {
  id: string
  headline: string
  details: string[]
  vms: VmWords[]
}

export interface ExperimentWords {
  run: string
  hosts: HostWords[]
  storage: string[]
  workloads: string[]
  events: string[]
}

const CPU_WORDS: Record<string, string> = {
  native: 'none (bare metal)',
  bt: 'binary translation',
  hw: 'hardware assist (VT-x/AMD-V)',
  pv: 'paravirtualization'
}
const MMU_WORDS: Record<string, string> = {
  native: 'native page tables',
  shadow: 'shadow page tables',
  nested: 'nested paging (EPT/RVI)',
  direct: 'direct paging (PV)'
}
const VOLUME_WORDS: Record<string, string> = {
  vmfs: 'VMFS datastore',
  ntfs: 'NTFS volume holding VHDs',
  csv: 'Cluster Shared Volume',
  ext3: 'ext3 file system holding images',
  lvm: 'LVM volume group'
}

export function cpuTechniqueWords(t: string): string {
  return CPU_WORDS[t] ?? t
}

export function mmuTechniqueWords(t: string): string {
  return MMU_WORDS[t] ?? t
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

function list(items: string[]): string {
  return items.length === 0 ? 'none' : items.join(', ')
}

export function arrivalWords(a: Arrival): string {
  if (a.process === 'poisson') return `open Poisson arrivals at ${formatCount(a.rate_per_s)} per second`
  return `${plural(a.clients, 'client')} in a closed loop${a.think_ms > 0 ? ` with ${formatCount(a.think_ms)} ms think time` : ''}`
}

export function workloadWords(w: Workload): string {
  if (typeof w === 'string') return `${catalog.workloads[w]?.name ?? w} (${w})`
  if ('preset' in w) {
    const name = catalog.workloads[w.preset]?.name ?? w.preset
    const params = Object.entries(w)
      .filter(([k, v]) => k !== 'preset' && k !== 'arrival' && v !== undefined)
      .map(([k, v]) => `${k} ${String(v)}`)
    const parts = [...params, ...(w.arrival ? [arrivalWords(w.arrival)] : [])]
    return `${name} (${w.preset})${parts.length > 0 ? ` with ${parts.join(', ')}` : ''}`
  }
  const p = w.per_op
  const demands = [
    `${formatCount(p.instructions)} instructions`,
    p.syscalls > 0 ? plural(p.syscalls, 'system call') : '',
    p.page_faults > 0 ? plural(p.page_faults, 'page fault') : '',
    p.pte_updates > 0 ? plural(p.pte_updates, 'page-table write') : '',
    p.context_switches > 0 ? plural(p.context_switches, 'context switch', 'context switches') : '',
    p.tlb_misses_per_kinstr > 0 ? `${formatCount(p.tlb_misses_per_kinstr)} TLB misses per 1,000 instructions` : '',
    p.io_accesses > 0 ? plural(p.io_accesses, 'I/O-port access', 'I/O-port accesses') : '',
    ...p.disk.map((d) => `${formatCount(d.count)} × ${formatCount(d.kb)} KB ${d.pattern} ${d.kind}s`),
    ...p.net.map((n) => `${formatCount(n.count)} × ${formatCount(n.bytes)} B ${n.direction === 'tx' ? 'sent' : 'received'}`)
  ].filter((x) => x !== '')
  return `custom: ${arrivalWords(w.arrival)}; per operation ${demands.join(', ')}`
}

function hostDiskWords(d: Host['disks'][number]): string {
  if (d.model === 'custom') {
    const s = d.service_ms
    const dist = s ? `${s.dist} service${'mean' in s ? `, mean ${formatCount(s.mean)} ms` : ''}` : 'custom service'
    return `${d.id} (custom: ${plural(d.servers ?? 1, 'server')}, ${dist})`
  }
  return `${d.id} (${catalog.disks[d.model]?.name ?? d.model})`
}

function hostWords(exp: Experiment, host: Host, result: RunResult): HostWords {
  const cpu = catalog.cpus[host.cpu]
  const hv = catalog.hypervisors[host.hypervisor]
  const cores = cpu ? `${plural(host.sockets, 'socket')} × ${plural(cpu.cores, 'core')} at ${formatNumber(cpu.ghz, 2)} GHz` : `${plural(host.sockets, 'socket')}`
  const headline = `${cpu?.name ?? host.cpu}, ${cores}, ${formatCount(host.memory_gb)} GB; ${hv?.family === 'native' ? 'bare metal, no hypervisor' : (hv?.name ?? host.hypervisor)}`
  const details: string[] = []
  if (hv?.family !== 'native') {
    const forced = host.cpu_virt !== 'auto' || host.mmu_virt !== 'auto'
    details.push(
      forced
        ? `Techniques set by the file: CPU ${host.cpu_virt}, MMU ${host.mmu_virt}${host.large_pages ? '; large pages' : ''}.`
        : `Techniques chosen by the hypervisor for this CPU (auto)${host.large_pages ? '; large pages' : ''}.`
    )
  }
  if (host.nics.length > 0) details.push(`NICs: ${list(host.nics.map((n) => `${n.id} ${formatCount(n.gbps)} Gb/s${n.sriov ? ' (SR-IOV)' : ''}`))}.`)
  if (host.hbas.length > 0) {
    details.push(`HBAs: ${list(host.hbas.map((h) => `${h.id} ${h.kind.toUpperCase()} ${formatCount(h.gbps)} Gb/s, queue depth ${h.queue_depth}`))}.`)
  }
  if (host.disks.length > 0) details.push(`Local disks: ${list(host.disks.map(hostDiskWords))}.`)
  const vms = exp.vms.filter((v) => v.host === host.id).map((v) => vmWords(exp, v, result))
  return { id: host.id, headline, details, vms }
}

function vmDiskWords(exp: Experiment, d: Vm['disks'][number]): string {
  const dev = diskDevice(d.model)
  const name = `${dev?.name ?? d.model} (${dev?.path ?? 'unknown'})`
  const volume = exp.volumes.find((v) => v.id === d.on)
  if (!volume) return `${name} directly on ${d.on}`
  const format = d.format ?? defaultFormatFor(volume.kind)
  const formatName = catalog.formats[format]?.name ?? format
  return `${name}, ${formatCount(d.gb)} GB ${formatName} on ${volume.id} (${VOLUME_WORDS[volume.kind] ?? volume.kind} on ${volume.on})`
}

function vmWords(exp: Experiment, vm: Vm, result: RunResult): VmWords {
  const r = result.vms[vm.id]
  const techniques = r ? `CPU ${cpuTechniqueWords(r.techniques.cpu)}, MMU ${mmuTechniqueWords(r.techniques.mmu)}` : 'techniques not recorded'
  const sizing = `${plural(vm.vcpus, 'vCPU')}, ${formatCount(vm.memory_gb)} GB, ${vm.guest.os === 'linux' ? 'Linux' : 'Windows'} guest${vm.guest.paravirt ? ' (paravirtualized)' : ''}`
  const workload = workloadWords(vm.workload)
  const disks = vm.disks.map((d) => vmDiskWords(exp, d))
  const nics = vm.nics.map((n) => `${nicDevice(n.model)?.name ?? n.model} (${nicDevice(n.model)?.path ?? 'unknown'}) on ${n.uplink}`)
  const parts = [`${sizing}; ${techniques}`, `workload ${workload}`]
  if (disks.length > 0) parts.push(`disk${disks.length > 1 ? 's' : ''}: ${disks.join('; ')}`)
  if (nics.length > 0) parts.push(`NIC${nics.length > 1 ? 's' : ''}: ${nics.join('; ')}`)
  return { id: vm.id, sizing, techniques, workload, disks, nics, text: `${parts.join('. ')}.` }
}

function storageWords(exp: Experiment): string[] {
  const out: string[] = []
  for (const a of exp.arrays) {
    const disk = a.disks.model === 'custom' ? 'custom disks' : (catalog.disks[a.disks.model]?.name ?? a.disks.model)
    const raid = raidLevels[a.disks.raid]?.name ?? a.disks.raid
    const cache = a.cache.gb > 0 ? `${formatCount(a.cache.gb)} GB cache (${formatNumber(a.cache.read_hit * 100, 0)} % read hits, ${a.cache.write_back ? 'write-back' : 'write-through'})` : 'no cache'
    const luns = a.luns.map((l) => `${l.id} ${formatCount(l.gb)} GB`)
    const paths = a.paths.map((p) => `${p.host} via ${p.via}`)
    out.push(
      `${a.id}: ${a.protocol === 'fc' ? 'Fibre Channel' : 'iSCSI'} array of ${a.disks.count} × ${disk} in ${raid}, ${cache}, LUN queue depth ${a.lun_queue_depth}; LUNs ${list(luns)}; paths ${list(paths)}.`
    )
  }
  for (const v of exp.volumes) {
    const shared = v.hosts && v.hosts.length > 0 ? `, used by ${list(v.hosts)}` : ''
    const coordinator = v.coordinator ? `, coordinator ${v.coordinator}` : ''
    out.push(`${v.id}: ${VOLUME_WORDS[v.kind] ?? v.kind} on ${v.on}${shared}${coordinator}.`)
  }
  return out
}

function workloadList(exp: Experiment): string[] {
  const ids = new Set<string>()
  for (const vm of exp.vms) {
    const w = vm.workload
    const id = typeof w === 'string' ? w : 'preset' in w ? w.preset : null
    if (id) ids.add(id)
  }
  return [...ids].flatMap((id) => {
    const w = catalog.workloads[id]
    return w ? [`${w.name} (${id}): ${w.description}`] : []
  })
}

function eventWords(exp: Experiment, result: RunResult): string[] {
  return exp.events.map((e, i) => {
    const what =
      e.do === 'migrate'
        ? `migrate ${e.vm} to ${e.to}`
        : e.do === 'fail-path' || e.do === 'restore-path'
          ? `${e.do} between ${e.array} and ${e.host}`
          : `${e.do} ${e.vm}`
    const outcome = result.events[i]
    const said = outcome ? (outcome.ok ? (outcome.summary ?? 'done') : `refused: ${outcome.reason ?? 'no reason given'}`) : 'no outcome recorded'
    return `at ${formatNumber(e.at_s, 1)} s: ${what} — ${said}`
  })
}

function runWords(exp: Experiment): string {
  const warm = exp.warmup_s > 0 ? `, the first ${formatCount(exp.warmup_s)} s excluded from the summary as warm-up` : ''
  const base =
    exp.baseline === 'native'
      ? 'Each VM is also simulated alone on the same hardware without a hypervisor (the native baseline) and alone under its hypervisor, so its overhead splits into virtualization tax and contention.'
      : 'No native baseline was simulated (baseline: none), so no overhead is computed.'
  return `${formatCount(exp.duration_s)} simulated seconds${warm}, sampled every ${formatCount(exp.sample_ms)} ms. ${base}`
}

export function describeExperiment(exp: Experiment, result: RunResult): ExperimentWords {
  return {
    run: runWords(exp),
    hosts: exp.hosts.map((h) => hostWords(exp, h, result)),
    storage: storageWords(exp),
    workloads: workloadList(exp),
    events: eventWords(exp, result)
  }
}
