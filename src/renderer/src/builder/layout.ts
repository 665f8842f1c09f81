/**
 * Automatic layout of the topology with ELK (layered, top to bottom, nested
 * containers): hosts with their VMs above their adapters and disks, then the
 * volumes, then the SAN arrays with their LUNs, so storage paths and virtual
 * disks run downwards. Positions of children are relative to their container,
 * as the canvas and the SVG export both draw them.
 */
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk-api.js'
// ELK's layout engine as a "worker" that runs in the page: the same engine its bundled build uses,
// without that build's Node-only path (which names a package the app does not ship).
import * as elkWorker from 'elkjs/lib/elk-worker.min.js'
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

function engine(): InstanceType<typeof ELK> {
  // A CommonJS module: its class is `Worker` (or `default`), however the bundler hands the module over.
  const module = elkWorker as unknown as { Worker?: new () => Worker; default?: (new () => Worker) | { Worker: new () => Worker } }
  const WorkerClass = module.Worker ?? (typeof module.default === 'function' ? module.default : module.default?.Worker)
  if (!WorkerClass) throw new Error('the ELK layout engine is missing')
  elk ??= new ELK({ workerFactory: () => new WorkerClass() })
  return elk
}
/** Up to this many hosts stand in one row; more are laid out in rows. */
const HOSTS_PER_ROW_FROM = 6
/** Up to this many VMs stand in one row inside their host. */
const VMS_PER_ROW = 4

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

/** Children of a container in rows: VMs first (`perRow` to a row), then devices and LUNs. */
function gridInside(children: GraphNode[], perRow: number): { boxes: Record<string, Box>; width: number; height: number } {
  const boxes: Record<string, Box> = {}
  const gap = 14
  let y = CONTAINER_HEADER
  let width = EMPTY_CONTAINER.width
  const place = (items: GraphNode[], n: number): void => {
    for (let i = 0; i < items.length; i += n) {
      let x = 14
      let rowHeight = 0
      for (const c of items.slice(i, i + n)) {
        const size = NODE_SIZE[c.kind as keyof typeof NODE_SIZE]
        boxes[c.id] = { x, y, ...size }
        x += size.width + gap
        rowHeight = Math.max(rowHeight, size.height)
      }
      width = Math.max(width, x)
      y += rowHeight + gap
    }
  }
  place(children.filter((c) => c.kind === 'vm'), perRow)
  place(children.filter((c) => c.kind !== 'vm'), Math.max(perRow, 4))
  return { boxes, width, height: Math.max(EMPTY_CONTAINER.height, y) }
}

/**
 * A big topology (many hosts, or many VMs in a host) laid out as a block:
 * whole hosts in rows (as many to a row as keeps the picture about 1.6 times
 * wider than high), the volumes in a row under them and the arrays under
 * those, each volume and array placed under the middle of what it connects
 * to; inside each container the VMs stand in rows above its devices. A
 * 64-host datacenter then reads as a block rather than a ribbon.
 */
function blockLayout(graph: Graph, top: GraphNode[], childrenOf: Map<string, GraphNode[]>, known: Set<string>): LayoutResult | null {
  const hosts = top.filter((n) => n.kind === 'host')
  const widest = Math.max(0, ...hosts.map((h) => (childrenOf.get(h.id) ?? []).filter((c) => c.kind === 'vm').length))
  if (hosts.length <= HOSTS_PER_ROW_FROM && widest <= VMS_PER_ROW) return null
  const vmsPerRow = widest > VMS_PER_ROW ? Math.ceil(Math.sqrt(widest * 2)) : Math.max(1, widest)
  const boxes: Record<string, Box> = {}
  const sizes = new Map<string, { width: number; height: number }>()
  for (const n of top) {
    if (n.kind === 'host' || n.kind === 'array') {
      const grid = gridInside(childrenOf.get(n.id) ?? [], n.kind === 'host' ? vmsPerRow : 4)
      Object.assign(boxes, grid.boxes)
      sizes.set(n.id, { width: grid.width, height: grid.height })
    } else sizes.set(n.id, NODE_SIZE[n.kind as keyof typeof NODE_SIZE])
  }
  const gap = 36
  const hostW = Math.max(1, ...hosts.map((h) => sizes.get(h.id)!.width))
  const hostH = Math.max(1, ...hosts.map((h) => sizes.get(h.id)!.height))
  const perRow = Math.max(1, Math.min(hosts.length, Math.round(Math.sqrt((hosts.length * 1.6 * (hostH + gap)) / (hostW + gap)))))
  hosts.forEach((h, i) => {
    boxes[h.id] = { x: (i % perRow) * (hostW + gap), y: Math.floor(i / perRow) * (hostH + gap), ...sizes.get(h.id)! }
  })
  const width = Math.min(hosts.length, perRow) * (hostW + gap) - gap
  let y = Math.ceil(hosts.length / perRow) * (hostH + gap) + 20
  // Each volume under the middle of the hosts that use it; each array under its volumes and hosts.
  const topOf = (id: string): string => {
    const n = graph.nodes.find((m) => m.id === id)
    return n?.parent && known.has(n.parent) ? n.parent : id
  }
  const centre = (id: string): number | null => {
    const xs = graph.edges
      .filter((e) => e.target && (e.source === id || e.target === id || topOf(e.source) === id || topOf(e.target!) === id))
      .map((e) => (topOf(e.source) === id ? topOf(e.target!) : topOf(e.source)))
      .map((other) => boxes[other])
      .filter((b): b is Box => !!b)
      .map((b) => b.x + b.width / 2)
    return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null
  }
  for (const kind of ['volume', 'array'] as const) {
    const row = top.filter((n) => n.kind === kind)
    if (row.length === 0) continue
    const wanted = row.map((n, i) => ({ n, x: (centre(n.id) ?? (i + 0.5) * (width / row.length)) - sizes.get(n.id)!.width / 2 })).sort((a, b) => a.x - b.x)
    let cursor = -Infinity
    let rowHeight = 0
    for (const { n, x } of wanted) {
      const size = sizes.get(n.id)!
      const at = Math.max(x, cursor)
      boxes[n.id] = { x: at, y, ...size }
      cursor = at + size.width + 24
      rowHeight = Math.max(rowHeight, size.height)
    }
    y += rowHeight + 60
  }
  for (const n of top) boxes[n.id] ??= { x: 0, y, ...sizes.get(n.id)! }
  const all = top.map((n) => boxes[n.id]!)
  return {
    boxes,
    width: Math.max(...all.map((b) => b.x + b.width)) - Math.min(0, ...all.map((b) => b.x)),
    height: Math.max(...all.map((b) => b.y + b.height))
  }
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
  const top = graph.nodes.filter((n) => !n.parent || !known.has(n.parent))
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
      'elk.spacing.componentComponent': '40',
    },
    children: top.map((n) => elkNode(n, graph, childrenOf)),
    edges
  }
  try {
    const block = blockLayout(graph, top, childrenOf, known)
    if (block) return block
    const out = await engine().layout(root)
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
