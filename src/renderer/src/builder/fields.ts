/**
 * What the property panel shows for each kind of element: every field of the
 * experiment format, its unit, a one-line explanation, and for catalog
 * choices (CPUs, hypervisors, device models, disks, RAID levels, workloads)
 * a one-line summary of each choice and the source its numbers come from.
 * Choices that depend on the rest of the experiment (the NIC models a VM's
 * hypervisor offers, the volumes its host sees) are computed from it.
 */
import { catalog, diskDevice, formatsFor, nicDevice, type VolumeKindId } from '../api/shared'
import { isRec, list, loose, str, strings, type Rec } from './loose'

export interface Choice {
  value: string
  label: string
  /** One line: what this choice is. */
  explanation: string
  /** Where its numbers come from (a citation, or `estimate: why`); empty for plain options. */
  source: string
}

export type FieldKind = 'text' | 'longtext' | 'id' | 'number' | 'integer' | 'boolean' | 'select' | 'multiselect'

export interface FieldSpec {
  /** Path within the element, e.g. `['guest', 'paravirt']`. */
  key: (string | number)[]
  label: string
  kind: FieldKind
  help: string
  unit?: string
  /** Shown when the field is not set (its default). */
  placeholder?: string
  /** Choices for select fields, computed from the experiment. */
  choices?: Choice[]
  /** The field may be left out (cleared). */
  optional?: boolean
}

function firstSource(sources: Record<string, unknown> | undefined, ...keys: string[]): string {
  if (!sources) return ''
  for (const k of keys) if (typeof sources[k] === 'string') return sources[k] as string
  const any = Object.values(sources).find((v) => typeof v === 'string')
  return typeof any === 'string' ? any : ''
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no')

export function cpuChoices(): Choice[] {
  return Object.values(catalog.cpus).map((c) => ({
    value: c.id,
    label: c.name,
    explanation: `${c.year} · ${c.ghz} GHz · ${c.cores} cores/socket · VT-x/AMD-V ${yesNo(c.hwVirt)} · EPT/RVI ${yesNo(c.nestedPaging)}${c.exitRoundTripCycles ? ` · VM exit ${c.exitRoundTripCycles.toLocaleString('en')} cycles` : ''}`,
    source: firstSource(c.sources, 'exitRoundTripCycles', 'ghz')
  }))
}

export function hypervisorChoices(): Choice[] {
  return Object.values(catalog.hypervisors).map((h) => ({
    value: h.id,
    label: h.name,
    explanation:
      h.family === 'native'
        ? 'no hypervisor: the one "VM" is the operating system on the hardware (the baseline)'
        : `${h.year} · CPU: ${h.cpuVirt.join(', ')} · MMU: ${h.mmuVirt.join(', ')} · device models in the ${h.ioArchitecture}`,
    source: firstSource(h.sources, 'cpuVirt', 'year')
  }))
}

export function diskModelChoices(): Choice[] {
  const models = Object.values(catalog.disks).map((d) => ({
    value: d.id,
    label: d.name,
    explanation: d.kind === 'ssd' ? `SSD · ${d.accessMs} ms access · ${d.transferMBs} MB/s` : `${d.seekMs} ms seek · ${d.rotationMs} ms per turn · ${d.transferMBs} MB/s`,
    source: firstSource(d.sources, 'seekMs', 'accessMs', 'transferMBs')
  }))
  return [...models, { value: 'custom', label: 'Custom service time', explanation: 'a given service-time distribution (set service_ms in the text view)', source: '' }]
}

function deviceChoice(model: string, kind: 'nic' | 'disk'): Choice {
  const d = kind === 'nic' ? nicDevice(model) : diskDevice(model)
  if (!d) return { value: model, label: model, explanation: '', source: '' }
  const how =
    d.path === 'emulated'
      ? `emulated: ${d.exitsPerRequest} trapped accesses (VM exits) per request`
      : d.path === 'paravirtual'
        ? `paravirtual: one notification per batch of up to ${d.batchMax}`
        : 'pass-through: the native driver path; only interrupts exit'
  return { value: model, label: d.name, explanation: how, source: firstSource(d.sources as Record<string, unknown>, 'exitsPerRequest', 'batchMax') }
}

export function nicModelChoices(hypervisor: string): Choice[] {
  const models = catalog.hypervisors[hypervisor]?.nicModels ?? Object.values(catalog.devices).filter((d) => d.kind === 'nic').map((d) => d.model)
  return models.map((m) => deviceChoice(m, 'nic'))
}

export function diskControllerChoices(hypervisor: string): Choice[] {
  const models = catalog.hypervisors[hypervisor]?.diskModels ?? Object.values(catalog.devices).filter((d) => d.kind === 'disk-controller').map((d) => d.model)
  return models.map((m) => deviceChoice(m, 'disk'))
}

export function workloadChoices(): Choice[] {
  return Object.values(catalog.workloads).map((w) => ({ value: w.id, label: w.name, explanation: w.description, source: firstSource(w.sources, 'instructions') }))
}

export function raidChoices(): Choice[] {
  return Object.values(catalog.storage)
    .filter((s) => s.kind === 'raid')
    .map((s) => ({ value: s.id, label: s.name, explanation: 'writePenalty' in s ? `a small write costs ${s.writePenalty} back-end I/O${s.writePenalty === 1 ? '' : 's'}` : '', source: firstSource(s.sources as Record<string, unknown>, 'writePenalty') }))
}

export function formatChoices(volumeKind: string): Choice[] {
  // An unknown kind is a validation problem reported elsewhere; it offers no formats here.
  if (!(volumeKind in catalog.volumes)) return []
  return formatsFor(volumeKind as VolumeKindId).map((id) => {
    const f = catalog.formats[id]
    return {
      value: id,
      label: f?.name ?? id,
      explanation: f ? (f.allocationKb > 0 ? `grows on first write: ${f.allocationKb} KB allocated, ${f.zeroFillKb} KB zeroed, ${f.metadataWrites} metadata write(s)` : 'preallocated: no allocation on first write') : '',
      source: f ? firstSource(f.sources as Record<string, unknown>, f.allocationKb > 0 ? 'allocationKb' : 'layerCycles') : ''
    }
  })
}

const plain = (value: string, label: string, explanation: string): Choice => ({ value, label, explanation, source: '' })

const CPU_VIRT: Choice[] = [
  plain('auto', 'auto', "the hypervisor's default on this CPU"),
  plain('bt', 'binary translation', 'the VMM rewrites privileged guest code (VMware)'),
  plain('hw', 'hardware (VT-x/AMD-V)', 'privileged operations trap to the hypervisor (VM exits)'),
  plain('pv', 'paravirtual', 'the guest kernel calls the hypervisor (Xen PV, VMI); needs a paravirtualized guest')
]
const MMU_VIRT: Choice[] = [
  plain('auto', 'auto', "the hypervisor's default on this CPU"),
  plain('shadow', 'shadow page tables', 'page faults and page-table writes trap to the VMM'),
  plain('nested', 'nested paging (EPT/RVI)', 'no traps, but a TLB miss walks two dimensions (up to 24 references)')
]
const VOLUME_KINDS: Choice[] = [
  plain('vmfs', 'VMFS datastore', 'VMware ESX file system; thick or thin VMDKs'),
  plain('ntfs', 'NTFS volume', 'a Hyper-V host volume holding fixed or dynamic VHDs'),
  plain('csv', 'Cluster Shared Volume', 'Hyper-V R2: one NTFS LUN shared by a cluster; a coordinator owns metadata'),
  plain('ext3', 'ext3 image files', 'Xen/KVM disk images (raw or qcow2) on a file system'),
  plain('lvm', 'LVM logical volumes', 'Xen/KVM disks as logical volumes (raw or qcow2)')
]

export function hostFields(): FieldSpec[] {
  return [
    { key: ['id'], label: 'Name', kind: 'id', help: 'Unique among hosts; VMs, volumes and paths refer to it by this name.' },
    { key: ['cpu'], label: 'CPU', kind: 'select', help: 'The processor: generation, clock, cores and which virtualization extensions it has.', choices: cpuChoices() },
    { key: ['sockets'], label: 'Sockets', kind: 'integer', help: 'Processors in the server (1–8).', placeholder: '1' },
    { key: ['memory_gb'], label: 'Memory', kind: 'number', unit: 'GB', help: 'Physical memory; the VMs on the host may not ask for more together.', placeholder: '64' },
    { key: ['hypervisor'], label: 'Hypervisor', kind: 'select', help: 'What runs on the hardware: which techniques, devices and volume kinds VMs can use.', choices: hypervisorChoices() },
    { key: ['cpu_virt'], label: 'CPU virtualization', kind: 'select', help: 'How guest privileged code runs.', choices: CPU_VIRT, placeholder: 'auto', optional: true },
    { key: ['mmu_virt'], label: 'MMU virtualization', kind: 'select', help: 'How guest page tables are virtualized.', choices: MMU_VIRT, placeholder: 'auto', optional: true },
    { key: ['large_pages'], label: 'Large pages', kind: 'boolean', help: '2 MB pages for guest memory: shorter page walks, fewer TLB misses.', optional: true }
  ]
}

export function hostNicFields(): FieldSpec[] {
  return [
    { key: ['id'], label: 'Name', kind: 'id', help: 'Unique on the host; VM NICs and iSCSI paths name it.' },
    { key: ['gbps'], label: 'Speed', kind: 'number', unit: 'Gb/s', help: 'Link rate of the physical NIC.' },
    { key: ['sriov'], label: 'SR-IOV', kind: 'boolean', help: 'The NIC offers virtual functions, so several pass-through VM NICs can share it.', optional: true }
  ]
}

export function hbaFields(): FieldSpec[] {
  return [
    { key: ['id'], label: 'Name', kind: 'id', help: 'Unique on the host; storage paths name it.' },
    { key: ['kind'], label: 'Kind', kind: 'select', help: 'Fibre Channel or a hardware iSCSI initiator.', choices: [plain('fc', 'Fibre Channel', 'FC HBA: the protocol runs on the adapter'), plain('iscsi', 'iSCSI HBA', 'iSCSI offload adapter: no software-initiator CPU')] },
    { key: ['gbps'], label: 'Speed', kind: 'number', unit: 'Gb/s', help: 'Link rate (FC 2, 4 or 8 Gb; iSCSI 1 or 10 GbE).' },
    { key: ['queue_depth'], label: 'Queue depth', kind: 'integer', help: 'Commands the adapter keeps outstanding.', placeholder: '32', optional: true }
  ]
}

export function hostDiskFields(): FieldSpec[] {
  return [
    { key: ['id'], label: 'Name', kind: 'id', help: 'Unique on the host; volumes and pass-through disks name it as host/disk.' },
    { key: ['model'], label: 'Model', kind: 'select', help: 'The drive: seek, rotation and transfer rate from the catalog.', choices: diskModelChoices() },
    { key: ['servers'], label: 'Servers', kind: 'integer', help: 'Requests served at once (custom devices only).', optional: true }
  ]
}

export function arrayFields(): FieldSpec[] {
  return [
    { key: ['id'], label: 'Name', kind: 'id', help: 'Unique among arrays; volumes name its LUNs as array/lun.' },
    { key: ['protocol'], label: 'Protocol', kind: 'select', help: 'How hosts reach it: FC through an HBA, iSCSI through a NIC or iSCSI HBA.', choices: [plain('fc', 'Fibre Channel', 'reached through FC HBAs'), plain('iscsi', 'iSCSI', 'reached through NICs (software initiator) or iSCSI HBAs')] },
    { key: ['disks', 'model'], label: 'Disk model', kind: 'select', help: 'The spindles (or SSDs) behind the controller.', choices: diskModelChoices() },
    { key: ['disks', 'count'], label: 'Disks', kind: 'integer', help: 'How many drives the LUNs are striped over.' },
    { key: ['disks', 'raid'], label: 'RAID', kind: 'select', help: 'Redundancy and its write penalty.', choices: raidChoices() },
    { key: ['cache', 'gb'], label: 'Cache', kind: 'number', unit: 'GB', help: 'Controller cache.', optional: true },
    { key: ['cache', 'read_hit'], label: 'Read hits', kind: 'number', help: 'Share of reads served from the cache (0–1).', optional: true },
    { key: ['cache', 'write_back'], label: 'Write-back', kind: 'boolean', help: 'Writes are acknowledged once in (battery-backed) cache.', optional: true },
    { key: ['lun_queue_depth'], label: 'LUN queue depth', kind: 'integer', help: 'Active commands per LUN.', placeholder: '256', optional: true }
  ]
}

export function lunFields(): FieldSpec[] {
  return [
    { key: ['id'], label: 'Name', kind: 'id', help: 'Unique on the array.' },
    { key: ['gb'], label: 'Size', kind: 'number', unit: 'GB', help: 'Capacity of the LUN.' }
  ]
}

/** Where a volume can sit: every LUN and every local disk. */
function deviceChoices(exp: ReturnType<typeof loose>): Choice[] {
  return [
    ...exp.arrays.flatMap((a) => list(a.luns).map((l) => plain(`${str(a.id)}/${str(l.id)}`, `${str(a.id)}/${str(l.id)}`, `LUN of ${str(a.protocol).toUpperCase()} array ${str(a.id)}, ${str(l.gb)} GB`))),
    ...exp.hosts.flatMap((h) => list(h.disks).map((d) => plain(`${str(h.id)}/${str(d.id)}`, `${str(h.id)}/${str(d.id)}`, `local ${str(d.model)} disk of host ${str(h.id)}`)))
  ]
}

function hostChoices(exp: ReturnType<typeof loose>): Choice[] {
  return exp.hosts.map((h) => plain(str(h.id), str(h.id), `${catalog.hypervisors[str(h.hypervisor)]?.name ?? str(h.hypervisor)} on ${catalog.cpus[str(h.cpu)]?.name ?? str(h.cpu)}`))
}

export function volumeFields(value: unknown, volume: Rec): FieldSpec[] {
  const exp = loose(value)
  const fields: FieldSpec[] = [
    { key: ['id'], label: 'Name', kind: 'id', help: 'Unique among volumes; VM disks name it.' },
    { key: ['kind'], label: 'Kind', kind: 'select', help: 'The file system; it must suit the hypervisor of every host that uses it.', choices: VOLUME_KINDS },
    { key: ['on'], label: 'On', kind: 'select', help: 'The LUN (array/lun) or local disk (host/disk) it lives on.', choices: deviceChoices(exp) }
  ]
  if (str(volume.on).includes('/') && exp.arrays.some((a) => str(volume.on).startsWith(`${str(a.id)}/`))) {
    fields.push({ key: ['hosts'], label: 'Hosts', kind: 'multiselect', help: 'Hosts that mount this SAN volume; each needs a path to the array.', choices: hostChoices(exp) })
  }
  if (volume.kind === 'csv') {
    fields.push({ key: ['coordinator'], label: 'Coordinator', kind: 'select', help: 'The node that owns the CSV metadata; the others send it their metadata updates.', choices: hostChoices(exp).filter((c) => strings(volume.hosts).includes(c.value)) })
  }
  return fields
}

export function vmFields(value: unknown): FieldSpec[] {
  const exp = loose(value)
  return [
    { key: ['id'], label: 'Name', kind: 'id', help: 'Unique among VMs; results and events name it.' },
    { key: ['host'], label: 'Host', kind: 'select', help: 'The host it runs on.', choices: hostChoices(exp) },
    { key: ['vcpus'], label: 'vCPUs', kind: 'integer', help: 'Virtual CPUs (1–64, at most the host’s cores).', placeholder: '1' },
    { key: ['memory_gb'], label: 'Memory', kind: 'number', unit: 'GB', help: 'Guest memory; the host must hold all its VMs.', placeholder: '2' },
    { key: ['guest', 'os'], label: 'Guest OS', kind: 'select', help: 'The guest operating system.', choices: [plain('linux', 'Linux', ''), plain('windows', 'Windows', '')], placeholder: 'linux', optional: true },
    { key: ['guest', 'paravirt'], label: 'Paravirtualized guest', kind: 'boolean', help: 'A PV kernel, VMI or Hyper-V enlightenments: privileged operations become hypercalls.', optional: true }
  ]
}

export function vmDiskFields(value: unknown, vm: Rec, disk: Rec): FieldSpec[] {
  const exp = loose(value)
  const host = exp.hosts.find((h) => h.id === vm.host)
  const hv = str(host?.hypervisor)
  const passthrough = disk.model === 'passthrough'
  const volumes = exp.volumes.filter((v) => !host || str(v.on).startsWith(`${str(host.id)}/`) || strings(v.hosts).includes(str(host.id)))
  const fields: FieldSpec[] = [
    { key: ['model'], label: 'Controller', kind: 'select', help: 'The virtual disk controller; the hypervisor decides which exist.', choices: diskControllerChoices(hv) },
    {
      key: ['on'],
      label: passthrough ? 'Device' : 'Volume',
      kind: 'select',
      help: passthrough ? 'The LUN or local disk given to the VM whole.' : 'The volume holding the virtual disk (volumes its host can see).',
      choices: passthrough ? deviceChoices(exp) : volumes.map((v) => plain(str(v.id), str(v.id), `${str(v.kind)} on ${str(v.on)}`))
    }
  ]
  if (!passthrough) {
    const volume = exp.volumes.find((v) => v.id === disk.on)
    fields.push(
      { key: ['gb'], label: 'Size', kind: 'number', unit: 'GB', help: 'Size of the virtual disk (where it sits on the platter).', placeholder: '20' },
      { key: ['format'], label: 'Format', kind: 'select', help: 'The virtual-disk format; growable ones allocate on first write.', choices: formatChoices(str(volume?.kind) || 'vmfs'), optional: true },
      { key: ['allocated_pct'], label: 'Allocated', kind: 'number', unit: '%', help: 'For a growable format: how much is already allocated when the run starts.', optional: true }
    )
  }
  return fields
}

export function vmNicFields(value: unknown, vm: Rec): FieldSpec[] {
  const exp = loose(value)
  const host = exp.hosts.find((h) => h.id === vm.host)
  return [
    { key: ['model'], label: 'Model', kind: 'select', help: 'The virtual NIC; passthrough is VMDirectPath or an SR-IOV function.', choices: nicModelChoices(str(host?.hypervisor)) },
    { key: ['uplink'], label: 'Uplink', kind: 'select', help: 'The host NIC it sends through.', choices: list(host?.nics).map((n) => plain(str(n.id), str(n.id), `${str(n.gbps)} Gb/s${n.sriov ? ', SR-IOV' : ''}`)) }
  ]
}

export function pathFields(value: unknown, path: Rec): FieldSpec[] {
  const exp = loose(value)
  const host = exp.hosts.find((h) => h.id === path.host)
  return [
    { key: ['host'], label: 'Host', kind: 'select', help: 'The host that reaches the array.', choices: hostChoices(exp) },
    {
      key: ['via'],
      label: 'Through',
      kind: 'select',
      help: 'The adapter: an FC HBA, or for iSCSI a NIC (dedicated to storage, or shared with VM traffic) or an iSCSI HBA.',
      choices: [...list(host?.hbas), ...list(host?.nics)].map((a) => plain(str(a.id), str(a.id), isRec(a) && 'kind' in a ? `${str(a.kind).toUpperCase()} HBA, ${str(a.gbps)} Gb` : `NIC, ${str(a.gbps)} Gb/s`))
    }
  ]
}

export function settingsFields(): FieldSpec[] {
  return [
    { key: ['name'], label: 'Name', kind: 'text', help: 'What the experiment is called in the library and the results.' },
    { key: ['description'], label: 'Description', kind: 'longtext', help: 'What it shows and why.', optional: true },
    { key: ['seed'], label: 'Seed', kind: 'integer', help: 'Same experiment and seed, identical results.', placeholder: '1', optional: true },
    { key: ['duration_s'], label: 'Duration', kind: 'number', unit: 's', help: 'Simulated time.' },
    { key: ['warmup_s'], label: 'Warm-up', kind: 'number', unit: 's', help: 'Left out of the summaries; shorter than the duration.', placeholder: '0', optional: true },
    { key: ['sample_ms'], label: 'Sample window', kind: 'number', unit: 'ms', help: 'One live and stored sample per window (10–60,000).', placeholder: '250', optional: true },
    { key: ['baseline'], label: 'Baseline', kind: 'select', help: 'Also run each VM alone on bare metal, for the overhead against native.', choices: [plain('native', 'native', 'overhead % against bare metal'), plain('none', 'none', 'no baseline (faster)')], placeholder: 'native', optional: true }
  ]
}

/** Workload preset parameters, with their units. */
export const WORKLOAD_PARAMS: Record<string, { label: string; unit?: string; kind: FieldKind; help: string }> = {
  kb: { label: 'I/O size', unit: 'KB', kind: 'number', help: 'Size of each disk request or message.' },
  read_pct: { label: 'Reads', unit: '%', kind: 'number', help: 'Share of disk requests that are reads.' },
  pattern: { label: 'Pattern', kind: 'select', help: 'random or sequential disk access.' },
  direction: { label: 'Direction', kind: 'select', help: 'tx (send) or rx (receive).' },
  mtu: { label: 'MTU', unit: 'bytes', kind: 'integer', help: 'Packet size on the wire (576–9000).' },
  working_set_mb: { label: 'Working set', unit: 'MB', kind: 'number', help: 'Memory the workload touches.' },
  page_kb: { label: 'Page size', unit: 'KB', kind: 'integer', help: '4 or 2048 (large pages).' }
}
