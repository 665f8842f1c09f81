/**
 * "Use in experiment" from the Catalog view: where a catalog entry goes in
 * the experiment being built. A CPU or hypervisor goes to hosts, a disk model
 * to local disks and arrays, a workload to VMs, a virtual NIC or controller
 * to VMs' NICs or disks, a disk format to virtual disks, a RAID level to
 * arrays: those selected in Build, or the only one there is.
 */
import type { PathPart } from '../api/shared'
import type { Graph, GraphNode, NodeKind } from './graph'
import { list, loose } from './loose'

export interface Placement {
  paths: PathPart[][]
  /** What the change is, for the undo history: "CPU nehalem-x5570 on h1, h2". */
  summary: string
}

function targets(graph: Graph, selection: readonly string[], kinds: NodeKind[]): GraphNode[] | string {
  const all = graph.nodes.filter((n) => kinds.includes(n.kind))
  const chosen = all.filter((n) => selection.includes(n.id) || selection.some((s) => n.parent === s))
  if (chosen.length > 0) return chosen
  if (all.length === 1) return all
  const what = kinds.map((k) => (k === 'vm' ? 'VM' : k === 'array' ? 'array' : k)).join(' or ')
  return all.length === 0 ? `The experiment has no ${what} yet: add one in Build first.` : `Select the ${what}s to change in Build first (there are ${all.length}).`
}

/** The places `value` of catalog `section` would go, or why it cannot be placed. */
export function placeCatalogEntry(section: string, id: string, graph: Graph, value: unknown, selection: readonly string[]): Placement | string {
  const names = (nodes: GraphNode[]): string => nodes.map((n) => n.ref).join(', ')
  switch (section) {
    case 'cpus':
    case 'hypervisors': {
      const hosts = targets(graph, selection, ['host'])
      if (typeof hosts === 'string') return hosts
      const field = section === 'cpus' ? 'cpu' : 'hypervisor'
      return { paths: hosts.map((h) => [...h.path, field]), summary: `${field === 'cpu' ? 'CPU' : 'Hypervisor'} ${id} on ${names(hosts)}` }
    }
    case 'disks': {
      const found = targets(graph, selection, ['disk', 'array'])
      if (typeof found === 'string') return found
      return { paths: found.map((n) => (n.kind === 'array' ? [...n.path, 'disks', 'model'] : [...n.path, 'model'])), summary: `Disk model ${id} for ${names(found)}` }
    }
    case 'workloads': {
      const vms = targets(graph, selection, ['vm'])
      if (typeof vms === 'string') return vms
      return { paths: vms.map((v) => [...v.path, 'workload']), summary: `Workload ${id} on ${names(vms)}` }
    }
    case 'devices':
    case 'formats': {
      const vms = targets(graph, selection, ['vm'])
      if (typeof vms === 'string') return vms
      const exp = loose(value)
      const nic = id.startsWith('nic:')
      const model = id.replace(/^(nic|disk):/, '')
      const paths: PathPart[][] = []
      for (const vm of vms) {
        const rec = exp.vms[vm.path[1] as number]
        const items = list(section === 'formats' || !nic ? rec?.disks : rec?.nics)
        items.forEach((d, j) => {
          if (section === 'formats' && d.model !== 'passthrough') paths.push([...vm.path, 'disks', j, 'format'])
          if (section === 'devices' && (nic || d.model !== 'passthrough' || model === 'passthrough')) paths.push([...vm.path, nic ? 'nics' : 'disks', j, 'model'])
        })
      }
      if (paths.length === 0) return `${names(vms)} ha${vms.length === 1 ? 's' : 've'} no ${section === 'formats' || !nic ? 'virtual disks' : 'NICs'} to change.`
      return { paths, summary: `${section === 'formats' ? 'Format' : nic ? 'NIC model' : 'Disk controller'} ${model} for ${names(vms)}` }
    }
    case 'storage': {
      if (!/^raid/.test(id)) return 'Fabrics, controllers and cluster volumes follow from the adapters and volumes: nothing to set.'
      const arrays = targets(graph, selection, ['array'])
      if (typeof arrays === 'string') return arrays
      return { paths: arrays.map((a) => [...a.path, 'disks', 'raid']), summary: `RAID ${id} on ${names(arrays)}` }
    }
    default:
      return 'This part of the catalog is not something an experiment names.'
  }
}
