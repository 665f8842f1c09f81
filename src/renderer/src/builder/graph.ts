/**
 * The experiment as a graph, and back. Hosts are containers holding their
 * VMs, NICs, HBAs and local disks; arrays hold their LUNs; volumes stand on
 * their own. Edges are the references between them: storage paths (an
 * adapter to an array), a volume on its LUN or disk, the hosts mounting a SAN
 * volume (a CSV's coordinator marked), VM disks on volumes, pass-through
 * disks on a LUN or disk, VM NICs on host NICs, a VM's swap.
 *
 * Each node keeps its element's own fields and each edge the fields of what
 * it stands for (a VM disk's model and size), so `graphToExperiment` rebuilds
 * the same experiment: the mapping is tested to round-trip every example.
 */
import { isRec, list, loose, str, without, type Rec } from './loose'
import type { PathPart } from '../api/shared'

export type NodeKind = 'host' | 'vm' | 'nic' | 'hba' | 'disk' | 'array' | 'lun' | 'volume'
export type EdgeKind = 'path' | 'on' | 'mount' | 'vm-disk' | 'passthrough-disk' | 'vm-nic' | 'passthrough-nic' | 'swap'

export interface GraphNode {
  /** Stable across edits: `host:h1`, `vm:db1`, `nic:h1/n0`, `lun:eva/lun1`, `volume:ds1`. */
  id: string
  kind: NodeKind
  /** The element's id in the experiment (`h1`, `n0`, `lun1`). */
  ref: string
  /** Containing node (host or array) for VMs, devices and LUNs. */
  parent: string | null
  /** Where the element is in the document. */
  path: PathPart[]
  /** The element's own fields, without the lists drawn as other nodes or edges. */
  data: Rec
}

export interface GraphEdge {
  id: string
  kind: EdgeKind
  source: string
  /** Null when the reference names nothing that exists (the problem list says so). */
  target: string | null
  /** Where the reference is in the document (the VM disk, the path entry, the volume's `on`). */
  path: PathPart[]
  /** The fields of what the edge stands for (a VM disk: model, gb, format). */
  data: Rec
  label: string
}

export interface Graph {
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** The document's own fields (name, duration, events…), everything the graph does not draw. */
  settings: Rec
}

const HOST_LISTS = ['nics', 'hbas', 'disks'] as const
const DEVICE_KIND: Record<(typeof HOST_LISTS)[number], NodeKind> = { nics: 'nic', hbas: 'hba', disks: 'disk' }

/** A node id that does not collide, even where the document repeats or omits ids. */
function claim(used: Set<string>, wanted: string, fallback: string): string {
  const id = wanted.endsWith(':') || wanted.endsWith('/') || used.has(wanted) ? fallback : wanted
  used.add(id)
  return id
}

export function experimentToGraph(value: unknown): Graph {
  const exp = loose(value)
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const used = new Set<string>()
  /** `h1` → host node id; `h1/n0` → device node id; `eva/lun1` → LUN node id; `ds1` → volume node id. */
  const hostIds = new Map<string, string>()
  const deviceIds = new Map<string, string>()
  const arrayIds = new Map<string, string>()
  const lunIds = new Map<string, string>()
  const volumeIds = new Map<string, string>()
  const vmIds = new Map<string, string>()

  exp.hosts.forEach((h, i) => {
    const ref = str(h.id)
    const id = claim(used, `host:${ref}`, `host#${i}`)
    if (ref && !hostIds.has(ref)) hostIds.set(ref, id)
    nodes.push({ id, kind: 'host', ref, parent: null, path: ['hosts', i], data: without(h, HOST_LISTS) })
    for (const listName of HOST_LISTS) {
      list(h[listName]).forEach((d, j) => {
        const dref = str(d.id)
        const kind = DEVICE_KIND[listName]
        const did = claim(used, `${kind}:${ref}/${dref}`, `${kind}#${i}.${j}`)
        const key = `${ref}/${dref}`
        if (dref && !deviceIds.has(`${kind}:${key}`)) deviceIds.set(`${kind}:${key}`, did)
        nodes.push({ id: did, kind, ref: dref, parent: id, path: ['hosts', i, listName, j], data: { ...d } })
      })
    }
  })

  exp.arrays.forEach((a, i) => {
    const ref = str(a.id)
    const id = claim(used, `array:${ref}`, `array#${i}`)
    if (ref && !arrayIds.has(ref)) arrayIds.set(ref, id)
    nodes.push({ id, kind: 'array', ref, parent: null, path: ['arrays', i], data: without(a, ['luns', 'paths']) })
    list(a.luns).forEach((l, j) => {
      const lref = str(l.id)
      const lid = claim(used, `lun:${ref}/${lref}`, `lun#${i}.${j}`)
      if (lref && !lunIds.has(`${ref}/${lref}`)) lunIds.set(`${ref}/${lref}`, lid)
      nodes.push({ id: lid, kind: 'lun', ref: lref, parent: id, path: ['arrays', i, 'luns', j], data: { ...l } })
    })
  })

  /** A `host/disk` or `array/lun` reference as a node id. */
  const device = (on: string): string | null => lunIds.get(on) ?? deviceIds.get(`disk:${on}`) ?? null

  exp.volumes.forEach((v, i) => {
    const ref = str(v.id)
    const id = claim(used, `volume:${ref}`, `volume#${i}`)
    if (ref && !volumeIds.has(ref)) volumeIds.set(ref, id)
    nodes.push({ id, kind: 'volume', ref, parent: null, path: ['volumes', i], data: without(v, ['on', 'hosts']) })
    const on = str(v.on)
    edges.push({ id: `on:${id}`, kind: 'on', source: id, target: device(on), path: ['volumes', i, 'on'], data: { on: v.on }, label: '' })
    if (Array.isArray(v.hosts)) {
      const coordinator = str(v.coordinator)
      ;(v.hosts as unknown[]).forEach((h, k) => {
        const href = str(h)
        edges.push({
          id: `mount:${id}/${k}`,
          kind: 'mount',
          source: id,
          target: hostIds.get(href) ?? null,
          path: ['volumes', i, 'hosts', k],
          data: { host: h },
          label: href !== '' && href === coordinator ? 'coordinator' : ''
        })
      })
    }
  })

  // Storage paths: from the host's adapter to the array. iSCSI over a NIC says whether VM traffic shares it.
  const vmUplinks = new Set(exp.vms.flatMap((vm) => list(vm.nics).map((n) => `${str(vm.host)}/${str(n.uplink)}`)))
  exp.arrays.forEach((a, i) => {
    const arrayNode = arrayIds.get(str(a.id)) ?? `array#${i}`
    const protocol = str(a.protocol)
    list(a.paths).forEach((p, j) => {
      const key = `${str(p.host)}/${str(p.via)}`
      const viaNic = deviceIds.get(`nic:${key}`)
      const source = deviceIds.get(`hba:${key}`) ?? viaNic ?? hostIds.get(str(p.host)) ?? null
      const label = protocol === 'fc' ? 'FC' : viaNic ? (vmUplinks.has(key) ? 'iSCSI, shared with VM traffic' : 'iSCSI, dedicated NIC') : 'iSCSI'
      edges.push({
        id: `path:${arrayNode}/${j}`,
        kind: 'path',
        source: source ?? arrayNode,
        target: source ? arrayNode : null,
        path: ['arrays', i, 'paths', j],
        data: { ...p },
        label
      })
    })
  })

  exp.vms.forEach((vm, i) => {
    const ref = str(vm.id)
    const host = hostIds.get(str(vm.host)) ?? null
    const id = claim(used, `vm:${ref}`, `vm#${i}`)
    if (ref && !vmIds.has(ref)) vmIds.set(ref, id)
    nodes.push({ id, kind: 'vm', ref, parent: host, path: ['vms', i], data: without(vm, ['nics', 'disks', 'swap']) })
    list(vm.disks).forEach((d, j) => {
      const passthrough = d.model === 'passthrough'
      const on = str(d.on)
      edges.push({
        id: `vmdisk:${id}/${j}`,
        kind: passthrough ? 'passthrough-disk' : 'vm-disk',
        source: id,
        target: passthrough ? device(on) : (volumeIds.get(on) ?? null),
        path: ['vms', i, 'disks', j],
        data: { ...d },
        label: str(d.model)
      })
    })
    list(vm.nics).forEach((n, j) => {
      edges.push({
        id: `vmnic:${id}/${j}`,
        kind: n.model === 'passthrough' ? 'passthrough-nic' : 'vm-nic',
        source: id,
        target: deviceIds.get(`nic:${str(vm.host)}/${str(n.uplink)}`) ?? null,
        path: ['vms', i, 'nics', j],
        data: { ...n },
        label: str(n.model)
      })
    })
    if (isRec(vm.swap)) {
      edges.push({
        id: `swap:${id}`,
        kind: 'swap',
        source: id,
        target: volumeIds.get(str(vm.swap.on)) ?? null,
        path: ['vms', i, 'swap'],
        data: { ...vm.swap },
        label: 'swap'
      })
    }
  })

  return { nodes, edges, settings: without(exp.root, ['hosts', 'arrays', 'volumes', 'vms']) }
}

/** The reference text a node stands for where an experiment names it: `h1`, `eva/lun1`, `h1/d0`, `ds1`. */
export function referenceOf(graph: Graph, nodeId: string | null): string | null {
  if (nodeId === null) return null
  const node = graph.nodes.find((n) => n.id === nodeId)
  if (!node) return null
  if (node.kind === 'lun' || node.kind === 'disk' || node.kind === 'nic' || node.kind === 'hba') {
    const parent = graph.nodes.find((n) => n.id === node.parent)
    return `${parent?.ref ?? ''}/${node.ref}`
  }
  return node.ref
}

function byIndex<T extends { path: PathPart[] }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.path.at(-1) as number) - (b.path.at(-1) as number))
}

/**
 * The experiment a graph stands for: elements in their document order, each
 * list rebuilt from the nodes and edges, each reference from its edge's target
 * (or kept as written where it names nothing).
 */
export function graphToExperiment(graph: Graph): Rec {
  const children = (parent: string, kind: NodeKind): GraphNode[] => byIndex(graph.nodes.filter((n) => n.parent === parent && n.kind === kind))
  const top = (kind: NodeKind): GraphNode[] => byIndex(graph.nodes.filter((n) => n.kind === kind))
  const edgesOf = (kind: EdgeKind | EdgeKind[], pathStart: PathPart[]): GraphEdge[] =>
    byIndex(
      graph.edges.filter(
        (e) => (Array.isArray(kind) ? kind.includes(e.kind) : e.kind === kind) && pathStart.every((p, i) => e.path[i] === p) && e.path.length === pathStart.length + 1
      )
    )
  const target = (e: GraphEdge, written: unknown): unknown => referenceOf(graph, e.target) ?? written

  const hosts = top('host').map((h) => {
    const out: Rec = { ...h.data }
    for (const listName of HOST_LISTS) {
      const devices = children(h.id, DEVICE_KIND[listName]).filter((d) => d.path[2] === listName)
      if (devices.length > 0) out[listName] = devices.map((d) => ({ ...d.data }))
    }
    return out
  })
  const arrays = top('array').map((a) => {
    const out: Rec = { ...a.data, luns: children(a.id, 'lun').map((l) => ({ ...l.data })) }
    const paths = graph.edges.filter((e) => e.kind === 'path' && e.path[1] === a.path[1])
    if (paths.length > 0) out.paths = byIndex(paths).map((e) => ({ ...e.data }))
    return out
  })
  const volumes = top('volume').map((v) => {
    const on = graph.edges.find((e) => e.kind === 'on' && e.source === v.id)
    const out: Rec = { ...v.data, on: on ? target(on, on.data.on) : undefined }
    const mounts = edgesOf('mount', ['volumes', v.path[1]!, 'hosts'])
    if (mounts.length > 0) out.hosts = mounts.map((e) => target(e, e.data.host))
    return out
  })
  const vms = top('vm').map((vm) => {
    const out: Rec = { ...vm.data }
    const disks = edgesOf(['vm-disk', 'passthrough-disk'], ['vms', vm.path[1]!, 'disks'])
    const nics = edgesOf(['vm-nic', 'passthrough-nic'], ['vms', vm.path[1]!, 'nics'])
    if (nics.length > 0) out.nics = nics.map((e) => ({ ...e.data, uplink: e.target ? graph.nodes.find((n) => n.id === e.target)?.ref : e.data.uplink }))
    if (disks.length > 0) out.disks = disks.map((e) => ({ ...e.data, on: target(e, e.data.on) }))
    const swap = graph.edges.find((e) => e.kind === 'swap' && e.source === vm.id)
    if (swap) out.swap = { ...swap.data, on: swap.target ? referenceOf(graph, swap.target) : swap.data.on }
    return out
  })
  const out: Rec = { ...graph.settings, hosts }
  if (arrays.length > 0) out.arrays = arrays
  if (volumes.length > 0) out.volumes = volumes
  out.vms = vms
  return out
}

/** All the ids used by elements of a kind (for naming new ones). */
export function refsOf(graph: Graph, kind: NodeKind, parent?: string): Set<string> {
  return new Set(graph.nodes.filter((n) => n.kind === kind && (parent === undefined || n.parent === parent)).map((n) => n.ref))
}
