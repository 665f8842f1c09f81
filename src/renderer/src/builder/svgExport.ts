/**
 * The topology as a standalone SVG picture (for export, and for the preset
 * gallery's thumbnails): the same boxes the canvas lays out, each with its
 * title and summary, and the edges between them. Plain SVG with no external
 * references, so it opens in any viewer and converts to PNG in the page.
 */
import { describeNode, edgeLook } from './canvasModel'
import type { Graph } from './graph'
import type { Box, LayoutResult } from './layout'

export interface SvgColors {
  background: string
  text: string
  muted: string
  node: string
  container: string
  border: string
  host: string
  array: string
  volume: string
  accent: string
  edge: string
  path: string
  passthrough: string
  nic: string
}

export const LIGHT_COLORS: SvgColors = {
  background: '#ffffff',
  text: '#1d232b',
  muted: '#5b6573',
  node: '#ffffff',
  container: '#f3f6fa',
  border: '#c9d1dc',
  host: '#4d7fb3',
  array: '#b5803a',
  volume: '#3f9a8a',
  accent: '#2f7fc1',
  edge: '#8a94a3',
  path: '#c0782a',
  passthrough: '#8a5cc2',
  nic: '#3b9a4b'
}

export const DARK_COLORS: SvgColors = {
  background: '#15181d',
  text: '#d5dae1',
  muted: '#8b95a3',
  node: '#1f242c',
  container: '#191d23',
  border: '#2f3641',
  host: '#5a8fc6',
  array: '#c99552',
  volume: '#4fb3a0',
  accent: '#5a9fd6',
  edge: '#6c7684',
  path: '#d99045',
  passthrough: '#a27ad6',
  nic: '#7bc47f'
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Absolute boxes: children's positions are relative to their container. */
export function absoluteBoxes(graph: Graph, layout: LayoutResult, manual: Record<string, { x: number; y: number }> = {}): Record<string, Box> {
  const out: Record<string, Box> = {}
  const byId = new Map(graph.nodes.map((n) => [n.id, n]))
  const resolve = (id: string, depth = 0): Box | undefined => {
    if (out[id]) return out[id]
    const node = byId.get(id)
    const box = layout.boxes[id]
    if (!node || !box || depth > 4) return undefined
    const own = manual[id] ? { ...box, ...manual[id] } : box
    const parent = node.parent ? resolve(node.parent, depth + 1) : undefined
    out[id] = parent ? { ...own, x: own.x + parent.x, y: own.y + parent.y } : own
    return out[id]
  }
  for (const n of graph.nodes) resolve(n.id)
  return out
}

export interface SvgOptions {
  colors: SvgColors
  /** Draw titles only (thumbnails). */
  compact?: boolean
  title?: string
}

export function topologySvg(graph: Graph, layout: LayoutResult, manual: Record<string, { x: number; y: number }>, options: SvgOptions): string {
  const c = options.colors
  const boxes = absoluteBoxes(graph, layout, manual)
  const all = Object.values(boxes)
  const pad = 16
  const minX = Math.min(0, ...all.map((b) => b.x)) - pad
  const minY = Math.min(0, ...all.map((b) => b.y)) - pad - (options.title ? 24 : 0)
  const maxX = Math.max(10, ...all.map((b) => b.x + b.width)) + pad
  const maxY = Math.max(10, ...all.map((b) => b.y + b.height)) + pad
  const width = Math.ceil(maxX - minX)
  const height = Math.ceil(maxY - minY)
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${minX} ${minY} ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">`
  )
  parts.push(`<rect x="${minX}" y="${minY}" width="${width}" height="${height}" fill="${c.background}"/>`)
  if (options.title) parts.push(`<text x="${minX + pad}" y="${minY + pad + 6}" font-size="14" font-weight="600" fill="${c.text}">${esc(options.title)}</text>`)
  parts.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c.edge}"/></marker></defs>`)

  // Containers first, so their contents and edges draw over them.
  const order = [...graph.nodes].sort((a, b) => Number(b.kind === 'host' || b.kind === 'array') - Number(a.kind === 'host' || a.kind === 'array'))
  const nodeParts: string[] = []
  for (const n of order) {
    const b = boxes[n.id]
    if (!b) continue
    const view = describeNode(n, graph)
    const container = n.kind === 'host' || n.kind === 'array'
    const stroke = n.kind === 'host' ? c.host : n.kind === 'array' ? c.array : n.kind === 'volume' ? c.volume : n.kind === 'vm' ? c.accent : c.border
    const fill = container ? c.container : c.node
    nodeParts.push(`<g class="node node--${n.kind}" data-node-id="${esc(n.id)}">`)
    nodeParts.push(`<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="${n.kind === 'volume' ? 10 : 6}" fill="${fill}" stroke="${stroke}" stroke-width="${container ? 1.5 : 1.2}"/>`)
    const size = container ? 12.5 : 11
    nodeParts.push(`<text x="${b.x + 8}" y="${b.y + (container ? 18 : 15)}" font-size="${size}" font-weight="600" fill="${c.text}">${esc(view.title)}</text>`)
    if (!options.compact) {
      view.lines.filter(Boolean).forEach((line, i) => {
        const y = b.y + (container ? 33 : 28) + i * 13
        if (y < b.y + b.height - 3) nodeParts.push(`<text x="${b.x + 8}" y="${y}" font-size="10" fill="${c.muted}">${esc(line)}</text>`)
      })
    }
    nodeParts.push('</g>')
  }

  const edgeParts: string[] = []
  for (const e of graph.edges) {
    if (!e.target) continue
    const [from, to] = e.kind === 'mount' ? [e.target, e.source] : [e.source, e.target]
    const a = boxes[from]
    const z = boxes[to]
    if (!a || !z) continue
    const look = edgeLook(e)
    const x1 = a.x + a.width / 2
    const y1 = a.y + a.height
    const x2 = z.x + z.width / 2
    const y2 = z.y
    const midY = y1 + Math.max(12, (y2 - y1) / 2)
    const color = e.kind === 'path' ? c.path : e.kind.startsWith('passthrough') ? c.passthrough : e.kind === 'vm-nic' ? c.nic : e.kind === 'vm-disk' ? c.accent : e.kind === 'mount' ? c.volume : c.edge
    edgeParts.push(
      `<path class="${look.className}" d="M${x1},${y1} L${x1},${midY} L${x2},${midY} L${x2},${y2}" fill="none" stroke="${color}" stroke-width="${e.kind === 'path' || e.kind.startsWith('passthrough') ? 2 : 1.3}"${look.dashed ? ' stroke-dasharray="5 4"' : ''}${e.kind === 'mount' ? '' : ' marker-end="url(#arrow)"'}/>`
    )
    if (look.label && !options.compact) edgeParts.push(`<text x="${(x1 + x2) / 2 + 4}" y="${midY - 3}" font-size="9.5" fill="${c.muted}">${esc(look.label)}</text>`)
  }
  // Containers, then edges, then the cards on top.
  const containerCount = order.filter((n) => (n.kind === 'host' || n.kind === 'array') && boxes[n.id]).length
  const groups = nodeParts.join('').split('</g>').filter(Boolean).map((g) => `${g}</g>`)
  parts.push(...groups.slice(0, containerCount), ...edgeParts, ...groups.slice(containerCount))
  parts.push('</svg>')
  return parts.join('\n')
}

/** Renders an SVG string to a PNG blob at `scale` (in the page: an image drawn on a canvas). */
export function svgToPng(svg: string, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const img = new Image()
    img.onload = () => {
      const canvas = document.createElement('canvas')
      canvas.width = Math.max(1, Math.round(img.naturalWidth * scale))
      canvas.height = Math.max(1, Math.round(img.naturalHeight * scale))
      const ctx = canvas.getContext('2d')
      if (!ctx) return reject(new Error('no 2D canvas'))
      ctx.scale(scale, scale)
      ctx.drawImage(img, 0, 0)
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be made'))), 'image/png')
    }
    img.onerror = () => reject(new Error('the SVG could not be drawn'))
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
  })
}
