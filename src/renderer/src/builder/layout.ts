/**
 * Automatic layout of the topology with ELK (layered, top to bottom, nested
 * containers): hosts with their VMs above their adapters and disks, then the
 * volumes, then the SAN arrays with their LUNs, so storage paths and virtual
 * disks run downwards. Positions of children are relative to their container,
 * as the canvas and the SVG export both draw them.
 */
import ELK from 'elkjs/lib/elk.bundled.js'
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api'
import type { Graph, GraphNode, NodeKind } from './graph'

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

export interface LayoutResult {
  /** By node id; x and y within the parent for contained nodes. */
  boxes: Record<string, Box>
  width: number
  height: number
}

export const NODE_SIZE: Record<Exclude<NodeKind, 'host' | 'array'>, { width: number; height: number }> = {
  vm: { width: 170, height: 58 },
  nic: { width: 100, height: 34 },
  hba: { width: 100, height: 34 },
  disk: { width: 100, height: 34 },
  lun: { width: 100, height: 36 },
  volume: { width: 170, height: 52 }
}

/** Room for a container's header (its name and summary) above its children. */
export const CONTAINER_HEADER = 50
const CONTAINER_PADDING = `[top=${CONTAINER_HEADER},left=14,bottom=14,right=14]`
const EMPTY_CONTAINER = { width: 230, height: 90 }

let elk: InstanceType<typeof ELK> | null = null

function elkNode(node: GraphNode, graph: Graph, childrenOf: Map<string, GraphNode[]>): ElkNode {
  if (node.kind === 'host' || node.kind === 'array') {
    const children = childrenOf.get(node.id) ?? []
    return {
      id: node.id,
      ...(children.length === 0 ? EMPTY_CONTAINER : {}),
      layoutOptions: {
        'elk.padding': CONTAINER_PADDING,
        'elk.spacing.nodeNode': '14',
        'elk.layered.spacing.nodeNodeBetweenLayers': '26',
        'elk.nodeSize.minimum': `(${EMPTY_CONTAINER.width}, ${EMPTY_CONTAINER.height})`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE'
      },
      children: children.map((c) => elkNode(c, graph, childrenOf))
    }
  }
  return { id: node.id, ...NODE_SIZE[node.kind] }
}

/** Lays out the graph; where ELK fails, a plain grid keeps the canvas usable. */
export async function layoutGraph(graph: Graph): Promise<LayoutResult> {
  const childrenOf = new Map<string, GraphNode[]>()
  for (const n of graph.nodes) {
    if (n.parent) childrenOf.set(n.parent, [...(childrenOf.get(n.parent) ?? []), n])
  }
  const known = new Set(graph.nodes.map((n) => n.id))
  const edges: ElkExtendedEdge[] = []
  for (const e of graph.edges) {
    if (!e.target || !known.has(e.target) || !known.has(e.source)) continue
    // A mount runs from the host down to the volume, like the virtual disks.
    const [from, to] = e.kind === 'mount' ? [e.target, e.source] : [e.source, e.target]
    edges.push({ id: e.id, sources: [from], targets: [to] })
  }
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.spacing.nodeNode': '30',
      'elk.layered.spacing.nodeNodeBetweenLayers': '46',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.separateConnectedComponents': 'true',
      'elk.spacing.componentComponent': '40'
    },
    children: graph.nodes.filter((n) => !n.parent || !known.has(n.parent)).map((n) => elkNode(n, graph, childrenOf)),
    edges
  }
  try {
    elk ??= new ELK()
    const out = await elk.layout(root)
    const boxes: Record<string, Box> = {}
    const walk = (n: ElkNode): void => {
      for (const c of n.children ?? []) {
        boxes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 }
        walk(c)
      }
    }
    walk(out)
    return { boxes, width: out.width ?? 0, height: out.height ?? 0 }
  } catch {
    return gridLayout(graph)
  }
}

/** Containers in rows, their children in rows inside them: no overlaps, no crossing checks. */
export function gridLayout(graph: Graph): LayoutResult {
  const boxes: Record<string, Box> = {}
  let x = 0
  let y = 0
  let rowHeight = 0
  for (const n of graph.nodes.filter((m) => !m.parent)) {
    const kids = graph.nodes.filter((m) => m.parent === n.id)
    let width: number
    let height: number
    if (n.kind === 'host' || n.kind === 'array') {
      kids.forEach((k, i) => {
        const size = NODE_SIZE[k.kind as keyof typeof NODE_SIZE]
        boxes[k.id] = { x: 14 + (i % 3) * 180, y: CONTAINER_HEADER + Math.floor(i / 3) * 66, ...size }
      })
      width = Math.max(EMPTY_CONTAINER.width, 28 + Math.min(3, kids.length) * 180)
      height = Math.max(EMPTY_CONTAINER.height, CONTAINER_HEADER + Math.ceil(kids.length / 3) * 66 + 14)
    } else {
      ;({ width, height } = NODE_SIZE[n.kind as keyof typeof NODE_SIZE])
    }
    if (x > 1600) {
      x = 0
      y += rowHeight + 40
      rowHeight = 0
    }
    boxes[n.id] = { x, y, width, height }
    x += width + 40
    rowHeight = Math.max(rowHeight, height)
  }
  return { boxes, width: 1600, height: y + rowHeight }
}
