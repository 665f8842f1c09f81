/**
 * The edits a user makes on the canvas, the palette and the property panel,
 * applied to the YAML document: add a host, a VM, an array, a LUN, a volume
 * or a device; connect two things (a VM disk on a volume, a storage path, a
 * CSV's hosts); set or clear a field; rename an element (every reference to
 * it follows); delete elements (what depends on them goes too); duplicate a
 * VM; paste a copied fragment under fresh ids. Every edit works on the parsed
 * `yaml` Document, so comments and key order survive, and returns the new
 * text (yamlText.renderEdited keeps untouched sections byte for byte).
 */
import { isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml'
import { catalog, diskDevice, nicDevice, type PathPart } from '../api/shared'
import { experimentToGraph, referenceOf, type Graph, type GraphNode } from './graph'
import { isRec, list, loose, str, strings, type Rec } from './loose'
import { isEditable, parseYaml, renderEdited, type YamlDocument } from './yamlText'

/** What an edit did: the new text, and what to select afterwards; or why it could not be done. */
export type EditResult = { ok: true; text: string; select: string[]; summary: string } | { ok: false; reason: string }

export const DEFAULT_CPU = 'nehalem-x5570'
export const DEFAULT_HYPERVISOR = 'esx-4.0'

/** The document a new experiment starts from: settings, and nothing built yet. */
export function newExperimentText(name = 'Untitled experiment'): string {
  return [
    'format: hyperlab/experiment@1',
    `name: ${name}`,
    'description: ""',
    'seed: 1',
    'duration_s: 30',
    'warmup_s: 5',
    'sample_ms: 500',
    'baseline: native',
    '',
    'hosts: []',
    '',
    'vms: []',
    ''
  ].join('\n')
}

/** The smallest `prefix<n>` not in use, counting from `from`. */
export function nextId(prefix: string, used: Iterable<string>, from = 1): string {
  const taken = new Set(used)
  for (let n = from; ; n++) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`
}

/** The hypervisor's paravirtual model of a kind, else its first (what a new VM gets). */
export function defaultNicModel(hypervisor: string): string {
  const models = catalog.hypervisors[hypervisor]?.nicModels ?? ['e1000']
  // The newest paravirtual model (the catalog lists them oldest first: vmxnet2 before vmxnet3).
  return [...models].reverse().find((m) => nicDevice(m)?.path === 'paravirtual') ?? models[0] ?? 'e1000'
}

export function defaultDiskModel(hypervisor: string): string {
  const models = catalog.hypervisors[hypervisor]?.diskModels ?? ['ide']
  return models.find((m) => diskDevice(m)?.path === 'paravirtual') ?? models.find((m) => m !== 'passthrough') ?? 'ide'
}

/** The volume kind a hypervisor uses by default (CSV when several Hyper-V hosts share a LUN). */
export function defaultVolumeKind(hypervisor: string, shared: boolean): string {
  const kinds = catalog.hypervisors[hypervisor]?.volumeKinds ?? ['vmfs']
  if (shared && kinds.includes('csv')) return 'csv'
  return kinds.find((k) => k !== 'csv') ?? kinds[0] ?? 'vmfs'
}

/** A plain value as a YAML node; lists of small records in flow style, as the examples write them. */
function nodeFor(doc: Document, value: unknown, flow: boolean): Node {
  const node = doc.createNode(value) as Node
  if (flow && (isMap(node) || isSeq(node))) node.flow = true
  if (isMap(node)) {
    for (const pair of node.items) {
      const v = pair.value
      if (isSeq(v) || isMap(v)) v.flow = true
    }
  }
  return node
}

/** The order of the sections in the format (docs/experiment-format.md). */
const TOP_LEVEL_ORDER = ['format', 'name', 'description', 'seed', 'duration_s', 'warmup_s', 'sample_ms', 'baseline', 'hosts', 'arrays', 'volumes', 'vms', 'events']

/** Hosts, VMs and arrays are written as blocks; everything smaller in one line. */
const BLOCK_LISTS = new Set(['hosts', 'vms', 'arrays'])

export class DocumentEditor {
  readonly doc: YamlDocument
  readonly value: unknown
  readonly graph: Graph

  constructor(readonly text: string) {
    this.doc = parseYaml(text)
    this.value = this.doc.toJS()
    this.graph = experimentToGraph(this.value)
  }

  get editable(): boolean {
    return isEditable(this.doc)
  }

  private done(select: string[], summary: string): EditResult {
    return { ok: true, text: renderEdited(this.text, this.doc), select, summary }
  }

  private root(): YAMLMap {
    if (!isMap(this.doc.contents)) this.doc.contents = new YAMLMap() as unknown as typeof this.doc.contents
    return this.doc.contents as unknown as YAMLMap
  }

  /** The sequence at `path`, created (empty) where missing or not a list. */
  private seq(path: PathPart[]): YAMLSeq {
    const found = this.doc.getIn(path, true)
    if (isSeq(found)) return found
    const created = new YAMLSeq()
    // A list inside an element is written on one line, as the examples write them.
    if (path.length > 1) created.flow = true
    if (path.length === 1 && typeof path[0] === 'string') {
      // A new section goes where the format puts it (arrays and volumes before the VMs), not at the end.
      const root = this.root()
      const order = TOP_LEVEL_ORDER.indexOf(path[0])
      const before = root.items.findIndex((p) => isScalar(p.key) && TOP_LEVEL_ORDER.indexOf(String(p.key.value)) > order)
      const pair = this.doc.createPair(path[0], created)
      if (before === -1 || order === -1) root.items.push(pair)
      else root.items.splice(before, 0, pair)
      return created
    }
    this.doc.setIn(path, created)
    return created
  }

  private append(path: PathPart[], value: unknown): number {
    const seq = this.seq(path)
    const last = path[path.length - 1]
    const flow = !(path.length === 1 && typeof last === 'string' && BLOCK_LISTS.has(last))
    // An empty `[]` top-level list becomes a block list once it has an item.
    if (path.length === 1 && seq.flow && seq.items.length === 0 && !flow) seq.flow = false
    seq.items.push(nodeFor(this.doc, value, flow && path.length > 1 ? true : flow))
    return seq.items.length - 1
  }

  private node(id: string): GraphNode | undefined {
    return this.graph.nodes.find((n) => n.id === id)
  }

  private refs(kind: GraphNode['kind'], parent?: string): string[] {
    return this.graph.nodes.filter((n) => n.kind === kind && (parent === undefined || n.parent === parent)).map((n) => n.ref)
  }

  private hostRecord(hostRef: string): Rec | undefined {
    return loose(this.value).hosts.find((h) => h.id === hostRef)
  }

  // Adding

  /** Adds a host: like the host `like` names (same hardware and hypervisor), else like the last one, else a default server. */
  addHost(like?: string): EditResult {
    if (!this.editable) return this.uneditable()
    const template = like ? this.hostRecord(like) : loose(this.value).hosts.at(-1)
    const id = nextId('h', this.refs('host'))
    const host: Rec = {
      id,
      cpu: str(template?.cpu) || DEFAULT_CPU,
      sockets: typeof template?.sockets === 'number' ? template.sockets : 2,
      memory_gb: typeof template?.memory_gb === 'number' ? template.memory_gb : 48,
      hypervisor: str(template?.hypervisor) || DEFAULT_HYPERVISOR,
      nics: [{ id: 'n0', gbps: 1 }],
      disks: [{ id: 'd0', model: 'hdd-7200' }]
    }
    // A host made like a selected one gets the same adapters and disks, as a rack of identical servers would.
    if (like && template) {
      for (const key of ['nics', 'hbas', 'disks']) if (Array.isArray(template[key])) host[key] = structuredClone(template[key])
      for (const key of ['cpu_virt', 'mmu_virt', 'large_pages']) if (template[key] !== undefined) host[key] = template[key]
    }
    this.append(['hosts'], host)
    return this.done([`host:${id}`], `Added host ${id}`)
  }

  addVm(hostNodeId?: string): EditResult {
    if (!this.editable) return this.uneditable()
    const hostNode = hostNodeId ? this.node(hostNodeId) : this.graph.nodes.find((n) => n.kind === 'host')
    const hostRef = hostNode?.kind === 'host' ? hostNode.ref : hostNode?.parent ? this.node(hostNode.parent)?.ref : undefined
    if (!hostRef) return { ok: false, reason: 'Add a host first: a VM runs on a host.' }
    const host = this.hostRecord(hostRef) ?? {}
    const hypervisor = str(host.hypervisor)
    const id = nextId('vm', this.refs('vm'))
    const vm: Rec = { id, host: hostRef, vcpus: 1, memory_gb: 2 }
    const uplink = list(host.nics)[0]
    if (uplink && hypervisor !== 'native') vm.nics = [{ model: defaultNicModel(hypervisor), uplink: str(uplink.id) }]
    vm.workload = 'cpu-int'
    this.append(['vms'], vm)
    return this.done([`vm:${id}`], `Added VM ${id} on ${hostRef}`)
  }

  addArray(protocol: 'fc' | 'iscsi' = 'fc'): EditResult {
    if (!this.editable) return this.uneditable()
    const id = nextId(protocol === 'fc' ? 'fc-array' : 'iscsi-array', this.refs('array'))
    this.append(['arrays'], {
      id,
      protocol,
      disks: { model: 'hdd-15k', count: 14, raid: 'raid10' },
      cache: { gb: 4, read_hit: 0.3, write_back: true },
      luns: [{ id: 'lun1', gb: 500 }]
    })
    return this.done([`array:${id}`, `lun:${id}/lun1`], `Added SAN array ${id} with LUN lun1`)
  }

  addLun(arrayNodeId?: string): EditResult {
    if (!this.editable) return this.uneditable()
    const node = arrayNodeId ? this.node(arrayNodeId) : this.graph.nodes.find((n) => n.kind === 'array')
    const array = node?.kind === 'array' ? node : node?.parent ? this.node(node.parent) : undefined
    if (!array || array.kind !== 'array') return { ok: false, reason: 'Add a SAN array first: a LUN lives on an array.' }
    const id = nextId('lun', this.refs('lun', array.id))
    this.append([...array.path, 'luns'], { id, gb: 500 })
    return this.done([`lun:${array.ref}/${id}`], `Added LUN ${id} on ${array.ref}`)
  }

  /** Adds a host NIC, HBA or local disk. */
  addDevice(hostNodeId: string | undefined, kind: 'nic' | 'hba' | 'disk'): EditResult {
    if (!this.editable) return this.uneditable()
    const node = hostNodeId ? this.node(hostNodeId) : this.graph.nodes.find((n) => n.kind === 'host')
    const host = node?.kind === 'host' ? node : node?.parent ? this.node(node.parent) : undefined
    if (!host || host.kind !== 'host') return { ok: false, reason: 'Add a host first: devices belong to a host.' }
    const listName = kind === 'nic' ? 'nics' : kind === 'hba' ? 'hbas' : 'disks'
    const used = this.graph.nodes.filter((n) => n.parent === host.id && ['nic', 'hba', 'disk'].includes(n.kind)).map((n) => n.ref)
    const id = nextId(kind === 'nic' ? 'n' : kind === 'hba' ? 'fc' : 'd', used, 0)
    const value = kind === 'nic' ? { id, gbps: 1 } : kind === 'hba' ? { id, kind: 'fc', gbps: 4 } : { id, model: 'hdd-7200' }
    this.append([...host.path, listName], value)
    return this.done([`${kind}:${host.ref}/${id}`], `Added ${kind === 'nic' ? 'NIC' : kind === 'hba' ? 'HBA' : 'disk'} ${id} to ${host.ref}`)
  }

  /** Adds a volume; on the selected LUN or local disk when one is given, mounted by every host with a path to it. */
  addVolume(onNodeId?: string): EditResult {
    if (!this.editable) return this.uneditable()
    const on = onNodeId ? this.node(onNodeId) : undefined
    const id = nextId(on?.kind === 'lun' ? 'ds' : 'local', this.refs('volume'))
    const volume: Rec = { id }
    const exp = loose(this.value)
    if (on?.kind === 'lun') {
      const array = this.node(on.parent ?? '')
      const arrayRec = exp.arrays.find((a) => a.id === array?.ref)
      const hosts = [...new Set(list(arrayRec?.paths).map((p) => str(p.host)).filter((h) => h !== ''))]
      const hv = str(this.hostRecord(hosts[0] ?? '')?.hypervisor) || DEFAULT_HYPERVISOR
      volume.kind = defaultVolumeKind(hv, hosts.length > 1)
      volume.on = referenceOf(this.graph, on.id)
      volume.hosts = hosts
      if (volume.kind === 'csv' && hosts[0]) volume.coordinator = hosts[0]
    } else if (on?.kind === 'disk') {
      const host = this.node(on.parent ?? '')
      volume.kind = defaultVolumeKind(str(this.hostRecord(host?.ref ?? '')?.hypervisor) || DEFAULT_HYPERVISOR, false)
      volume.on = referenceOf(this.graph, on.id)
    } else {
      const hv = str(exp.hosts[0]?.hypervisor) || DEFAULT_HYPERVISOR
      volume.kind = defaultVolumeKind(hv, false)
      // Not placed yet: the problem list says to connect it to a LUN or a local disk.
      volume.on = ''
    }
    this.append(['volumes'], volume)
    return this.done([`volume:${id}`], `Added volume ${id}`)
  }

  // Connecting

  /** What dragging from `source` to `target` would do, or null when the two do not connect. */
  connection(sourceId: string, targetId: string): string | null {
    const a = this.node(sourceId)
    const b = this.node(targetId)
    if (!a || !b || a.id === b.id) return null
    const pair = `${a.kind}>${b.kind}`
    switch (pair) {
      case 'vm>volume':
        return 'virtual disk'
      case 'vm>lun':
      case 'vm>disk':
        return 'pass-through disk'
      case 'vm>nic':
        return a.parent === b.parent ? 'virtual NIC' : null
      case 'volume>lun':
      case 'volume>disk':
        return 'volume on'
      case 'volume>host':
        return 'mount'
      case 'hba>array':
      case 'nic>array':
        return 'storage path'
      case 'host>array':
        return 'storage path'
      default:
        return null
    }
  }

  connect(sourceId: string, targetId: string): EditResult {
    if (!this.editable) return this.uneditable()
    // Either direction reads the same: a disk dropped on a VM is the VM's disk.
    let a = this.node(sourceId)
    let b = this.node(targetId)
    if (a && b && this.connection(a.id, b.id) === null && this.connection(b.id, a.id) !== null) [a, b] = [b, a]
    if (!a || !b) return { ok: false, reason: 'Nothing to connect.' }
    const what = this.connection(a.id, b.id)
    if (what === null) return { ok: false, reason: `A ${a.kind} does not connect to a ${b.kind}.` }
    const exp = loose(this.value)
    switch (what) {
      case 'virtual disk': {
        const hv = str(this.hostRecord(str(a.data.host))?.hypervisor)
        const j = this.append([...a.path, 'disks'], { model: defaultDiskModel(hv), on: b.ref, gb: 20 })
        return this.done([`vmdisk:${a.id}/${j}`], `VM ${a.ref} gets a virtual disk on ${b.ref}`)
      }
      case 'pass-through disk': {
        const j = this.append([...a.path, 'disks'], { model: 'passthrough', on: referenceOf(this.graph, b.id) })
        return this.done([`vmdisk:${a.id}/${j}`], `VM ${a.ref} gets ${referenceOf(this.graph, b.id)} passed through`)
      }
      case 'virtual NIC': {
        const hv = str(this.hostRecord(str(a.data.host))?.hypervisor)
        const j = this.append([...a.path, 'nics'], { model: defaultNicModel(hv), uplink: b.ref })
        return this.done([`vmnic:${a.id}/${j}`], `VM ${a.ref} gets a NIC on ${b.ref}`)
      }
      case 'volume on': {
        this.doc.setIn([...a.path, 'on'], referenceOf(this.graph, b.id))
        if (b.kind === 'lun') {
          const arrayRec = exp.arrays.find((x) => x.id === this.node(b.parent ?? '')?.ref)
          const current = strings((exp.volumes[a.path[1] as number] ?? {}).hosts)
          const withPath = list(arrayRec?.paths).map((p) => str(p.host))
          const hosts = [...new Set([...current, ...withPath].filter((h) => h !== ''))]
          if (hosts.length > 0) this.doc.setIn([...a.path, 'hosts'], nodeFor(this.doc, hosts, true))
        } else if (this.doc.hasIn([...a.path, 'hosts'])) {
          this.doc.deleteIn([...a.path, 'hosts'])
          this.doc.deleteIn([...a.path, 'coordinator'])
        }
        return this.done([a.id], `Volume ${a.ref} now sits on ${referenceOf(this.graph, b.id)}`)
      }
      case 'mount': {
        const volume = exp.volumes[a.path[1] as number] ?? {}
        if (strings(volume.hosts).includes(b.ref)) return { ok: false, reason: `Host ${b.ref} already mounts ${a.ref}.` }
        this.append([...a.path, 'hosts'], b.ref)
        if (volume.kind === 'csv' && !str(volume.coordinator)) this.doc.setIn([...a.path, 'coordinator'], b.ref)
        return this.done([a.id], `Host ${b.ref} mounts ${a.ref}`)
      }
      case 'storage path': {
        const array = exp.arrays.find((x) => x.id === b.ref) ?? {}
        let hostRef: string
        let via: string
        if (a.kind === 'host') {
          const host = this.hostRecord(a.ref) ?? {}
          const adapter =
            array.protocol === 'fc'
              ? list(host.hbas).find((h) => h.kind === 'fc')
              : (list(host.hbas).find((h) => h.kind === 'iscsi') ?? list(host.nics).at(-1))
          if (!adapter) return { ok: false, reason: `Host ${a.ref} has no ${array.protocol === 'fc' ? 'FC HBA' : 'NIC or iSCSI HBA'} to reach ${b.ref}: add one first.` }
          hostRef = a.ref
          via = str(adapter.id)
        } else {
          hostRef = this.node(a.parent ?? '')?.ref ?? ''
          via = a.ref
        }
        if (list(array.paths).some((p) => p.host === hostRef && p.via === via)) return { ok: false, reason: `${hostRef} already reaches ${b.ref} through ${via}.` }
        const j = this.append([...b.path, 'paths'], { host: hostRef, via })
        return this.done([`path:${b.id}/${j}`], `Storage path from ${hostRef} (${via}) to ${b.ref}`)
      }
    }
    return { ok: false, reason: 'Nothing to connect.' }
  }

  // Fields

  /** Sets a field (a path into the document); `undefined` removes it so its default applies. */
  setField(path: PathPart[], value: unknown): EditResult {
    if (!this.editable) return this.uneditable()
    if (value === undefined || value === '') {
      if (this.doc.hasIn(path)) this.doc.deleteIn(path)
    } else {
      const existing = this.doc.getIn(path, true)
      if (isScalar(existing) && (typeof value !== 'object' || value === null)) existing.value = value
      else this.doc.setIn(path, typeof value === 'object' && value !== null ? nodeFor(this.doc, value, true) : value)
    }
    return this.done([], `Set ${path.join('.')}`)
  }

  /** Sets one value at several places at once (a catalog entry used for every selected host). */
  setFields(paths: PathPart[][], value: unknown, summary: string): EditResult {
    if (!this.editable) return this.uneditable()
    if (paths.length === 0) return { ok: false, reason: 'Nothing to change.' }
    for (const path of paths) {
      const existing = this.doc.getIn(path, true)
      if (isScalar(existing) && (typeof value !== 'object' || value === null)) existing.value = value
      else this.doc.setIn(path, value)
    }
    return this.done([], summary)
  }

  /** Renames a host, VM, array, LUN, volume or host device; every reference to it follows. */
  rename(nodeId: string, to: string): EditResult {
    if (!this.editable) return this.uneditable()
    const node = this.node(nodeId)
    if (!node) return { ok: false, reason: 'Nothing to rename.' }
    const from = node.ref
    if (to === from) return { ok: false, reason: 'Same name.' }
    const siblings = node.parent && node.kind !== 'vm' ? this.graph.nodes.filter((n) => n.parent === node.parent && n.kind !== 'vm') : this.graph.nodes.filter((n) => n.kind === node.kind)
    if (siblings.some((n) => n.ref === to)) return { ok: false, reason: `"${to}" is already taken.` }
    const exp = loose(this.value)
    const set = (path: PathPart[], v: string): void => {
      this.doc.setIn(path, v)
    }
    set([...node.path, 'id'], to)
    const parentRef = node.parent ? this.node(node.parent)?.ref : undefined
    switch (node.kind) {
      case 'host':
        exp.vms.forEach((vm, i) => vm.host === from && set(['vms', i, 'host'], to))
        exp.arrays.forEach((a, i) => list(a.paths).forEach((p, j) => p.host === from && set(['arrays', i, 'paths', j, 'host'], to)))
        exp.volumes.forEach((v, i) => {
          if (str(v.on).startsWith(`${from}/`)) set(['volumes', i, 'on'], `${to}/${str(v.on).slice(from.length + 1)}`)
          strings(v.hosts).forEach((h, k) => h === from && set(['volumes', i, 'hosts', k], to))
          if (v.coordinator === from) set(['volumes', i, 'coordinator'], to)
        })
        exp.vms.forEach((vm, i) =>
          list(vm.disks).forEach((d, j) => d.model === 'passthrough' && str(d.on).startsWith(`${from}/`) && set(['vms', i, 'disks', j, 'on'], `${to}/${str(d.on).slice(from.length + 1)}`))
        )
        exp.events.forEach((e, i) => {
          if (e.to === from) set(['events', i, 'to'], to)
          if (e.host === from) set(['events', i, 'host'], to)
        })
        break
      case 'vm':
        exp.events.forEach((e, i) => e.vm === from && set(['events', i, 'vm'], to))
        break
      case 'array':
        exp.volumes.forEach((v, i) => str(v.on).startsWith(`${from}/`) && set(['volumes', i, 'on'], `${to}/${str(v.on).slice(from.length + 1)}`))
        exp.vms.forEach((vm, i) =>
          list(vm.disks).forEach((d, j) => d.model === 'passthrough' && str(d.on).startsWith(`${from}/`) && set(['vms', i, 'disks', j, 'on'], `${to}/${str(d.on).slice(from.length + 1)}`))
        )
        exp.events.forEach((e, i) => e.array === from && set(['events', i, 'array'], to))
        break
      case 'lun':
      case 'disk': {
        const oldRef = `${parentRef}/${from}`
        const newRef = `${parentRef}/${to}`
        exp.volumes.forEach((v, i) => v.on === oldRef && set(['volumes', i, 'on'], newRef))
        exp.vms.forEach((vm, i) => list(vm.disks).forEach((d, j) => d.on === oldRef && d.model === 'passthrough' && set(['vms', i, 'disks', j, 'on'], newRef)))
        break
      }
      case 'nic':
      case 'hba':
        exp.vms.forEach((vm, i) => vm.host === parentRef && list(vm.nics).forEach((n, j) => n.uplink === from && set(['vms', i, 'nics', j, 'uplink'], to)))
        exp.arrays.forEach((a, i) => list(a.paths).forEach((p, j) => p.host === parentRef && p.via === from && set(['arrays', i, 'paths', j, 'via'], to)))
        break
      case 'volume':
        exp.vms.forEach((vm, i) => {
          list(vm.disks).forEach((d, j) => d.on === from && d.model !== 'passthrough' && set(['vms', i, 'disks', j, 'on'], to))
          if (isRec(vm.swap) && vm.swap.on === from) set(['vms', i, 'swap', 'on'], to)
        })
        break
    }
    const newId = nodeId.replace(/[^:/]+$/, to)
    return this.done([newId], `Renamed ${from} to ${to}`)
  }

  // Removing

  /**
   * Deletes nodes and edges. What depends on a deleted element goes with it:
   * a host's VMs and storage paths, a volume's virtual disks, a LUN's volumes,
   * a NIC's virtual NICs; references in lists (a volume's hosts) are dropped.
   */
  remove(ids: readonly string[]): EditResult {
    if (!this.editable) return this.uneditable()
    const exp = loose(this.value)
    const doomed = new Set<string>()
    /** Document paths to delete, collected first so indexes stay valid, then deleted from the last. */
    const paths: PathPart[][] = []
    const hosts = new Set<string>()
    const vms = new Set<string>()
    const arrays = new Set<string>()
    const volumes = new Set<string>()
    const devices = new Set<string>() // `host/dev` or `array/lun`
    const adapters = new Set<string>() // `host/nic` or `host/hba`

    for (const id of ids) {
      const node = this.node(id)
      if (node) {
        doomed.add(id)
        const parentRef = node.parent ? this.node(node.parent)?.ref : ''
        if (node.kind === 'host') hosts.add(node.ref)
        if (node.kind === 'vm') vms.add(node.ref)
        if (node.kind === 'array') arrays.add(node.ref)
        if (node.kind === 'volume') volumes.add(node.ref)
        if (node.kind === 'lun' || node.kind === 'disk') devices.add(`${parentRef}/${node.ref}`)
        if (node.kind === 'nic' || node.kind === 'hba') adapters.add(`${parentRef}/${node.ref}`)
        paths.push(node.path)
        continue
      }
      const edge = this.graph.edges.find((e) => e.id === id)
      if (!edge || edge.kind === 'on') continue
      paths.push(edge.path)
    }
    // Cascade: a host takes its VMs; an array its LUNs; devices and volumes what stands on them.
    exp.hosts.forEach((h) => {
      if (!hosts.has(str(h.id))) return
      for (const d of list(h.disks)) devices.add(`${str(h.id)}/${str(d.id)}`)
      for (const n of [...list(h.nics), ...list(h.hbas)]) adapters.add(`${str(h.id)}/${str(n.id)}`)
    })
    exp.arrays.forEach((a) => {
      if (arrays.has(str(a.id))) for (const l of list(a.luns)) devices.add(`${str(a.id)}/${str(l.id)}`)
    })
    exp.volumes.forEach((v, i) => {
      if (devices.has(str(v.on)) && !volumes.has(str(v.id))) {
        volumes.add(str(v.id))
        paths.push(['volumes', i])
      }
    })
    exp.vms.forEach((vm, i) => {
      if (hosts.has(str(vm.host)) && !vms.has(str(vm.id))) {
        vms.add(str(vm.id))
        paths.push(['vms', i])
      }
      if (vms.has(str(vm.id))) return
      list(vm.disks).forEach((d, j) => {
        if ((d.model === 'passthrough' ? devices : volumes).has(str(d.on))) paths.push(['vms', i, 'disks', j])
      })
      list(vm.nics).forEach((n, j) => {
        if (adapters.has(`${str(vm.host)}/${str(n.uplink)}`)) paths.push(['vms', i, 'nics', j])
      })
      if (isRec(vm.swap) && volumes.has(str(vm.swap.on))) paths.push(['vms', i, 'swap'])
    })
    exp.arrays.forEach((a, i) => {
      if (arrays.has(str(a.id))) return
      list(a.paths).forEach((p, j) => {
        if (hosts.has(str(p.host)) || adapters.has(`${str(p.host)}/${str(p.via)}`)) paths.push(['arrays', i, 'paths', j])
      })
    })
    exp.volumes.forEach((v, i) => {
      if (volumes.has(str(v.id))) return
      strings(v.hosts).forEach((h, k) => hosts.has(h) && paths.push(['volumes', i, 'hosts', k]))
      if (hosts.has(str(v.coordinator))) paths.push(['volumes', i, 'coordinator'])
    })
    exp.events.forEach((e, i) => {
      if (vms.has(str(e.vm)) || hosts.has(str(e.to)) || hosts.has(str(e.host)) || arrays.has(str(e.array))) paths.push(['events', i])
    })
    if (paths.length === 0) return { ok: false, reason: 'Nothing that can be deleted is selected (a volume keeps the place it sits on until you connect it elsewhere).' }
    // Delete deepest and last first, so every remaining path still points where it did.
    const unique = [...new Map(paths.map((p) => [JSON.stringify(p), p])).values()]
    unique.sort(comparePathsDescending)
    for (const path of unique) {
      if (unique.some((other) => other !== path && other.length < path.length && other.every((p, k) => path[k] === p))) continue
      this.doc.deleteIn(path)
    }
    const n = unique.length
    return this.done([], `Deleted ${n} element${n === 1 ? '' : 's'}`)
  }

  // Copying

  /** The selected hosts, VMs, arrays and volumes as a fragment (plain records) to paste later. */
  copy(ids: readonly string[]): Fragment {
    const exp = loose(this.value)
    const pick = (kind: GraphNode['kind'], items: Rec[]): Rec[] =>
      items.filter((item) => ids.includes(`${kind}:${str(item.id)}`)).map((item) => structuredClone(item))
    const hostIds = new Set(exp.hosts.filter((h) => ids.includes(`host:${str(h.id)}`)).map((h) => str(h.id)))
    const vms = exp.vms.filter((vm) => ids.includes(`vm:${str(vm.id)}`) || hostIds.has(str(vm.host))).map((vm) => structuredClone(vm))
    return { hosts: pick('host', exp.hosts), arrays: pick('array', exp.arrays), volumes: pick('volume', exp.volumes), vms }
  }

  /** Pastes a fragment: ids that are taken get fresh ones, and references inside the fragment follow. */
  paste(fragment: Fragment): EditResult {
    if (!this.editable) return this.uneditable()
    const taken = {
      hosts: new Set(this.refs('host')),
      arrays: new Set(this.refs('array')),
      volumes: new Set(this.refs('volume')),
      vms: new Set(this.refs('vm'))
    }
    const renames = { hosts: new Map<string, string>(), arrays: new Map<string, string>(), volumes: new Map<string, string>(), vms: new Map<string, string>() }
    for (const kind of ['hosts', 'arrays', 'volumes', 'vms'] as const) {
      for (const item of fragment[kind]) {
        const id = str(item.id)
        const fresh = taken[kind].has(id) ? freshId(id, taken[kind]) : id
        taken[kind].add(fresh)
        renames[kind].set(id, fresh)
      }
    }
    const dev = (ref: string): string => {
      const [owner, d] = ref.split('/')
      const moved = renames.hosts.get(owner ?? '') ?? renames.arrays.get(owner ?? '')
      return moved && d ? `${moved}/${d}` : ref
    }
    const select: string[] = []
    for (const h of fragment.hosts) {
      const id = renames.hosts.get(str(h.id))!
      this.append(['hosts'], { ...h, id })
      select.push(`host:${id}`)
    }
    for (const a of fragment.arrays) {
      const id = renames.arrays.get(str(a.id))!
      const paths = list(a.paths).map((p) => ({ ...p, host: renames.hosts.get(str(p.host)) ?? p.host }))
      this.append(['arrays'], { ...a, id, ...(a.paths ? { paths } : {}) })
      select.push(`array:${id}`)
    }
    for (const v of fragment.volumes) {
      const id = renames.volumes.get(str(v.id))!
      const out: Rec = { ...v, id, on: dev(str(v.on)) }
      if (Array.isArray(v.hosts)) out.hosts = strings(v.hosts).map((h) => renames.hosts.get(h) ?? h)
      if (v.coordinator) out.coordinator = renames.hosts.get(str(v.coordinator)) ?? v.coordinator
      this.append(['volumes'], out)
      select.push(`volume:${id}`)
    }
    for (const vm of fragment.vms) {
      const id = renames.vms.get(str(vm.id))!
      const out: Rec = { ...vm, id, host: renames.hosts.get(str(vm.host)) ?? vm.host }
      if (Array.isArray(vm.disks)) {
        out.disks = list(vm.disks).map((d) => ({ ...d, on: d.model === 'passthrough' ? dev(str(d.on)) : (renames.volumes.get(str(d.on)) ?? d.on) }))
      }
      if (isRec(vm.swap)) out.swap = { ...vm.swap, on: renames.volumes.get(str(vm.swap.on)) ?? vm.swap.on }
      this.append(['vms'], out)
      select.push(`vm:${id}`)
    }
    if (select.length === 0) return { ok: false, reason: 'Nothing to paste: copy hosts, VMs, arrays or volumes first.' }
    return this.done(select, `Pasted ${select.length} element${select.length === 1 ? '' : 's'}`)
  }

  /** Adds `count` copies of a VM on its host, numbered after it (`web1` → `web2`, `web3`…). */
  duplicateVm(vmNodeId: string, count: number): EditResult {
    if (!this.editable) return this.uneditable()
    const node = this.node(vmNodeId)
    if (!node || node.kind !== 'vm') return { ok: false, reason: 'Select a VM to duplicate.' }
    const n = Math.floor(count)
    if (!(n >= 1 && n <= 256)) return { ok: false, reason: 'Make 1 to 256 copies at a time.' }
    const vm = loose(this.value).vms[node.path[1] as number]
    if (!vm) return { ok: false, reason: 'Select a VM to duplicate.' }
    const taken = new Set(this.refs('vm'))
    const select: string[] = []
    for (let k = 0; k < n; k++) {
      const id = freshId(node.ref, taken)
      taken.add(id)
      this.append(['vms'], { ...structuredClone(vm), id })
      select.push(`vm:${id}`)
    }
    return this.done(select, `Made ${n} cop${n === 1 ? 'y' : 'ies'} of ${node.ref}`)
  }

  private uneditable(): EditResult {
    const error = this.doc.errors[0]
    const where = error?.linePos?.[0] ? ` (line ${error.linePos[0].line})` : ''
    return {
      ok: false,
      reason: error
        ? `The text is not valid YAML${where}: fix it in the text view to edit on the canvas.`
        : 'The text is not an experiment (a map of settings at the top): fix it in the text view to edit on the canvas.'
    }
  }
}

/** Copied elements, waiting to be pasted. */
export interface Fragment {
  hosts: Rec[]
  arrays: Rec[]
  volumes: Rec[]
  vms: Rec[]
}

/** `web1` → `web2` (the next free number), `db` → `db-2`. */
export function freshId(id: string, taken: ReadonlySet<string>): string {
  const m = /^(.*?)(\d+)$/.exec(id)
  return m ? nextId(m[1]!, taken, Number(m[2]) + 1) : nextId(`${id}-`, taken, 2)
}

function comparePathsDescending(a: PathPart[], b: PathPart[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!
    const y = b[i]!
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return y - x
    return String(y).localeCompare(String(x))
  }
  return b.length - a.length
}
