/**
 * What the canvas draws for the graph: each node's title and summary lines
 * (read from the catalog: "Hyper-V 2008 R2 · Xeon X5570 × 2 · 48 GB"), its
 * problem count, and each edge's look by kind. Kept apart from the Vue Flow
 * component so the SVG export and the preset thumbnails draw the same thing.
 */
import { catalog, isWithin, type PathPart } from '../api/shared'
import type { EdgeKind, Graph, GraphEdge, GraphNode } from './graph'
import { str, strings } from './loose'

export interface NodeView {
  title: string
  lines: string[]
  /** Problems found at or under this element. */
  problems: number
  /** A short tag: "CSV", "FC", "pass-through". */
  tag: string
}

function workloadName(w: unknown): string {
  if (typeof w === 'string') return w
  if (w && typeof w === 'object') {
    const r = w as Record<string, unknown>
    return r.kind === 'custom' ? 'custom workload' : str(r.preset)
  }
  return ''
}

export function describeNode(node: GraphNode, graph: Graph): Omit<NodeView, 'problems'> {
  const d = node.data
  switch (node.kind) {
    case 'host': {
      const hv = catalog.hypervisors[str(d.hypervisor)]
      const cpu = catalog.cpus[str(d.cpu)]
      const cpuName = cpu ? cpu.name.replace(/^(Intel|AMD) /, '').replace(/ \(.*\)$/, '') : str(d.cpu) || 'no CPU'
      const sockets = typeof d.sockets === 'number' ? d.sockets : 1
      return {
        title: node.ref || '(no name)',
        lines: [`${hv?.name.replace(/^Microsoft /, '').replace(/ \(Windows Server 2008 R2\)/, ' 2008 R2') ?? (str(d.hypervisor) || 'no hypervisor')}`, `${cpuName} × ${sockets} · ${str(d.memory_gb) || 64} GB`],
        tag: 'host'
      }
    }
    case 'vm': {
      const guest = d.guest && typeof d.guest === 'object' ? (d.guest as Record<string, unknown>) : {}
      return {
        title: node.ref || '(no name)',
        lines: [`${str(d.vcpus) || 1} vCPU · ${str(d.memory_gb) || 2} GB${guest.paravirt ? ' · PV' : ''}`, workloadName(d.workload) || 'no workload'],
        tag: 'VM'
      }
    }
    case 'nic':
      return { title: node.ref, lines: [`${str(d.gbps)} Gb/s${d.sriov ? ' SR-IOV' : ''}`], tag: 'NIC' }
    case 'hba':
      return { title: node.ref, lines: [`${str(d.kind).toUpperCase()} ${str(d.gbps)} Gb`], tag: 'HBA' }
    case 'disk':
      return { title: node.ref, lines: [str(d.model)], tag: 'disk' }
    case 'lun':
      return { title: node.ref, lines: [`${str(d.gb)} GB`], tag: 'LUN' }
    case 'array': {
      const disks = d.disks && typeof d.disks === 'object' ? (d.disks as Record<string, unknown>) : {}
      return {
        title: node.ref || '(no name)',
        lines: [`${str(d.protocol).toUpperCase() || '?'} array · ${str(disks.count)} × ${str(disks.model)} ${str(disks.raid).toUpperCase()}`],
        tag: 'SAN'
      }
    }
    case 'volume': {
      const on = graph.edges.find((e) => e.kind === 'on' && e.source === node.id)
      const mounts = graph.edges.filter((e) => e.kind === 'mount' && e.source === node.id).length
      const kind = str(d.kind)
      return {
        title: node.ref || '(no name)',
        lines: [`${kind === 'csv' ? 'CSV' : kind.toUpperCase() || 'volume'} on ${str(on?.data.on) || 'nothing yet'}`, mounts > 0 ? `${mounts} host${mounts === 1 ? '' : 's'}${kind === 'csv' ? `, coordinator ${str(d.coordinator) || '?'}` : ''}` : ''],
        tag: kind === 'csv' ? 'CSV' : 'volume'
      }
    }
  }
}

export function problemsAt(path: PathPart[], issues: readonly { parts: PathPart[] }[]): number {
  return issues.filter((i) => isWithin(i.parts, path)).length
}

export interface EdgeLook {
  /** CSS class, also used by the SVG export. */
  className: string
  dashed: boolean
  animated: boolean
  label: string
}

const LOOK: Record<EdgeKind, { dashed: boolean }> = {
  path: { dashed: false },
  on: { dashed: false },
  mount: { dashed: true },
  'vm-disk': { dashed: false },
  'passthrough-disk': { dashed: false },
  'vm-nic': { dashed: false },
  'passthrough-nic': { dashed: false },
  swap: { dashed: true }
}

export function edgeLook(edge: GraphEdge): EdgeLook {
  const iscsi = edge.kind === 'path' && edge.label.startsWith('iSCSI')
  const label = edge.kind === 'passthrough-nic' ? 'pass-through' : edge.kind === 'passthrough-disk' ? 'pass-through' : edge.label
  return { className: `topology-edge topology-edge--${edge.kind}${iscsi ? ' topology-edge--iscsi' : ''}`, dashed: LOOK[edge.kind].dashed || iscsi, animated: false, label }
}

/** The VM disk or NIC records an edge stands for, for the property panel. */
export function edgeTitle(edge: GraphEdge, graph: Graph): string {
  const source = graph.nodes.find((n) => n.id === edge.source)
  const target = edge.target ? graph.nodes.find((n) => n.id === edge.target) : undefined
  const name = (n: GraphNode | undefined): string => n?.ref ?? '?'
  switch (edge.kind) {
    case 'vm-disk':
      return `Virtual disk of ${name(source)} on ${str(edge.data.on)}`
    case 'passthrough-disk':
      return `Pass-through disk of ${name(source)}: ${str(edge.data.on)}`
    case 'vm-nic':
    case 'passthrough-nic':
      return `NIC of ${name(source)} on ${str(edge.data.uplink)}`
    case 'path':
      return `Storage path ${str(edge.data.host)} (${str(edge.data.via)}) → ${name(target)}`
    case 'mount':
      return `${str(edge.data.host)} mounts ${name(source)}`
    case 'on':
      return `${name(source)} lives on ${str(edge.data.on)}`
    case 'swap':
      return `Swap of ${name(source)}`
  }
}

export { strings }
