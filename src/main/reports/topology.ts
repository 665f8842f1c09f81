/**
 * The topology diagram of a report, as a small SVG of our own: one box per
 * host (its hypervisor and CPU, a chip per VM with its workload, techniques
 * and volumes, its local disks and adapters), the SAN arrays below with
 * their LUNs and the volumes on them, and a line per storage path from a
 * host to an array, labelled with the adapter it goes through. Hosts wrap
 * four to a row, so a 64-VM datacenter stays one readable figure.
 */
import type { Experiment, Host } from '../../shared/experiment'
import type { RunResult } from '../../shared/result'
import { FONT } from './charts'

const WIDTH = 680
const GAP = 12
const PAD = 8
const CHIP_H = 28
const CHIP_GAP = 5
const CHAR_W = 5.3
/** Between rows of hosts: room for the storage paths of the row above to pass. */
const ROW_GAP = 18

interface Box {
  x: number
  y: number
  w: number
  h: number
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** The text cut to fit `width` pixels at the diagram's 9 px font. */
function fit(text: string, width: number, charW = CHAR_W): string {
  const max = Math.max(1, Math.floor(width / charW))
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`
}

function text(x: number, y: number, s: string, opts: { size?: number; weight?: string; fill?: string; anchor?: string } = {}): string {
  const size = opts.size ?? 9
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}"${opts.weight ? ` font-weight="${opts.weight}"` : ''} fill="${opts.fill ?? '#222'}"${opts.anchor ? ` text-anchor="${opts.anchor}"` : ''}>${esc(s)}</text>`
}

function rect(b: Box, fill: string, stroke: string, radius = 4): string {
  return `<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" rx="${radius}" fill="${fill}" stroke="${stroke}" stroke-width="0.8"/>`
}

interface HostLayout {
  host: Host
  box: Box
  /** Another row of hosts lies below: its storage paths detour through the gap beside the box. */
  lastRow: boolean
  /** The x of the gap the detour runs down. */
  gapX: number
  chipsPerRow: number
  chipW: number
  vmIds: string[]
}

function hostColumns(n: number): number {
  return n <= 3 ? n : 4
}

function chipGeometry(hostW: number): { chipW: number; perRow: number } {
  const inner = hostW - 2 * PAD
  const perRow = Math.max(1, Math.floor((inner + CHIP_GAP) / (130 + CHIP_GAP)))
  return { chipW: (inner - (perRow - 1) * CHIP_GAP) / perRow, perRow }
}

function hostHeight(exp: Experiment, host: Host, perRow: number): number {
  const vms = exp.vms.filter((v) => v.host === host.id).length
  const rows = Math.max(1, Math.ceil(vms / perRow))
  const extras = (host.disks.length > 0 ? 1 : 0) + (host.nics.length + host.hbas.length > 0 ? 1 : 0)
  return 32 + rows * (CHIP_H + CHIP_GAP) + extras * 13 + PAD
}

function layoutHosts(exp: Experiment): { hosts: HostLayout[]; bottom: number } {
  const cols = hostColumns(exp.hosts.length)
  const w = cols === 1 ? Math.min(WIDTH, 560) : (WIDTH - (cols - 1) * GAP) / cols
  const { chipW, perRow } = chipGeometry(w)
  const out: HostLayout[] = []
  let y = 4
  for (let i = 0; i < exp.hosts.length; i += cols) {
    const row = exp.hosts.slice(i, i + cols)
    const h = Math.max(...row.map((host) => hostHeight(exp, host, perRow)))
    const rowWidth = row.length * w + (row.length - 1) * GAP
    const x0 = (WIDTH - rowWidth) / 2
    const lastRow = i + cols >= exp.hosts.length
    row.forEach((host, k) => {
      const x = x0 + k * (w + GAP)
      out.push({
        host,
        box: { x, y, w, h },
        lastRow,
        gapX: k < row.length - 1 ? x + w + GAP / 2 : x - GAP / 2,
        chipsPerRow: perRow,
        chipW,
        vmIds: exp.vms.filter((v) => v.host === host.id).map((v) => v.id)
      })
    })
    y += h + ROW_GAP
  }
  return { hosts: out, bottom: y - ROW_GAP + GAP }
}

function drawHost(exp: Experiment, result: RunResult, l: HostLayout): string {
  const { host, box } = l
  const parts = [rect(box, '#f4f7fb', '#7d8ea3')]
  parts.push(text(box.x + PAD, box.y + 13, fit(`${host.id} · ${host.hypervisor}`, box.w - 2 * PAD, 6), { size: 10, weight: 'bold' }))
  parts.push(text(box.x + PAD, box.y + 25, fit(`${host.cpu} × ${host.sockets}, ${host.memory_gb} GB`, box.w - 2 * PAD), { fill: '#555' }))
  l.vmIds.forEach((id, i) => {
    const vm = exp.vms.find((v) => v.id === id)!
    const col = i % l.chipsPerRow
    const row = Math.floor(i / l.chipsPerRow)
    const chip = { x: box.x + PAD + col * (l.chipW + CHIP_GAP), y: box.y + 32 + row * (CHIP_H + CHIP_GAP), w: l.chipW, h: CHIP_H }
    const tech = result.vms[id]?.techniques
    const workload = typeof vm.workload === 'string' ? vm.workload : 'preset' in vm.workload ? vm.workload.preset : 'custom'
    const volumes = [...new Set(vm.disks.map((d) => d.on))].join(', ')
    parts.push(rect(chip, '#ffffff', '#9fb0c4', 3))
    parts.push(text(chip.x + 5, chip.y + 11, fit(`${id}  ${workload}`, chip.w - 10), { weight: 'bold' }))
    const second = [tech ? `${tech.cpu}+${tech.mmu}` : '', volumes ? `→ ${volumes}` : ''].filter(Boolean).join('  ')
    parts.push(text(chip.x + 5, chip.y + 22, fit(second, chip.w - 10, 5), { size: 8, fill: '#555' }))
  })
  let y = box.y + 32 + Math.max(1, Math.ceil(l.vmIds.length / l.chipsPerRow)) * (CHIP_H + CHIP_GAP) + 9
  if (host.disks.length > 0) {
    const local = host.disks.map((d) => {
      const vols = exp.volumes.filter((v) => v.on === `${host.id}/${d.id}`).map((v) => v.id)
      return `${d.id} ${d.model}${vols.length > 0 ? ` (${vols.join(', ')})` : ''}`
    })
    parts.push(text(box.x + PAD, y, fit(`disks: ${local.join('; ')}`, box.w - 2 * PAD, 5), { size: 8, fill: '#333' }))
    y += 13
  }
  const adapters = [...host.nics.map((n) => `${n.id} ${n.gbps}G`), ...host.hbas.map((h) => `${h.id} ${h.kind.toUpperCase()} ${h.gbps}G`)]
  if (adapters.length > 0) parts.push(text(box.x + PAD, y, fit(adapters.join('  '), box.w - 2 * PAD, 5), { size: 8, fill: '#555' }))
  return parts.join('')
}

function layoutArrays(exp: Experiment, top: number): { boxes: Map<string, Box>; bottom: number } {
  const boxes = new Map<string, Box>()
  const n = exp.arrays.length
  if (n === 0) return { boxes, bottom: top }
  const cols = Math.min(n, 3)
  const w = Math.min(300, (WIDTH - (cols - 1) * GAP) / cols)
  let y = top
  for (let i = 0; i < n; i += cols) {
    const row = exp.arrays.slice(i, i + cols)
    const h = Math.max(...row.map((a) => 34 + a.luns.length * 13 + PAD))
    const rowWidth = row.length * w + (row.length - 1) * GAP
    const x0 = (WIDTH - rowWidth) / 2
    row.forEach((a, k) => boxes.set(a.id, { x: x0 + k * (w + GAP), y, w, h }))
    y += h + GAP
  }
  return { boxes, bottom: y }
}

function drawArray(exp: Experiment, a: Experiment['arrays'][number], box: Box): string {
  const parts = [rect(box, '#fbf6ee', '#b08d57')]
  parts.push(text(box.x + PAD, box.y + 13, fit(`${a.id} · ${a.protocol.toUpperCase()} array`, box.w - 2 * PAD, 6), { size: 10, weight: 'bold' }))
  const cache = a.cache.gb > 0 ? `, ${a.cache.gb} GB cache` : ''
  parts.push(text(box.x + PAD, box.y + 25, fit(`${a.disks.count} × ${a.disks.model} ${a.disks.raid}${cache}`, box.w - 2 * PAD), { fill: '#555' }))
  a.luns.forEach((lun, i) => {
    const vols = exp.volumes.filter((v) => v.on === `${a.id}/${lun.id}`).map((v) => `${v.id} (${v.kind})`)
    const direct = exp.vms.filter((vm) => vm.disks.some((d) => d.on === `${a.id}/${lun.id}`)).map((vm) => `raw: ${vm.id}`)
    const line = `${lun.id} ${lun.gb} GB${[...vols, ...direct].length > 0 ? ` · ${[...vols, ...direct].join(', ')}` : ''}`
    parts.push(text(box.x + PAD, box.y + 38 + i * 13, fit(line, box.w - 2 * PAD, 5), { size: 8, fill: '#333' }))
  })
  return parts.join('')
}

/** The experiment's topology as an SVG figure (inline, no namespace needed in HTML). */
export function topologySvg(exp: Experiment, result: RunResult): string {
  const { hosts, bottom } = layoutHosts(exp)
  const arraysTop = bottom + (exp.arrays.length > 0 ? 34 : 0)
  const { boxes, bottom: end } = layoutArrays(exp, arraysTop)
  const height = Math.ceil(end)
  const hostLayout = new Map(hosts.map((h) => [h.host.id, h]))
  const busY = arraysTop - 16
  const links: string[] = []
  for (const a of exp.arrays) {
    const target = boxes.get(a.id)!
    const colour = a.protocol === 'fc' ? '#b08d57' : '#4e79a7'
    a.paths.forEach((p, i) => {
      const from = hostLayout.get(p.host)
      if (!from) return
      const { box } = from
      const x1 = box.x + box.w / 2
      const y1 = box.y + box.h
      const x2 = target.x + ((i + 1) * target.w) / (a.paths.length + 1)
      // A host with others below goes down the gap beside it, then along a bus above the arrays.
      const route = from.lastRow
        ? `M${x1} ${y1} V${busY} H${x2} V${target.y}`
        : `M${x1} ${y1} V${y1 + ROW_GAP / 2} H${from.gapX} V${busY} H${x2} V${target.y}`
      links.push(`<path d="${route.replace(/\d+\.\d+/g, (n) => Number(n).toFixed(1))}" fill="none" stroke="${colour}" stroke-width="0.8"${a.protocol === 'iscsi' ? ' stroke-dasharray="4 3"' : ''}/>`)
      links.push(text(x1 + 3, y1 + 8, p.via, { size: 7.5, fill: colour }))
    })
  }
  const body = [
    ...links,
    ...hosts.map((h) => drawHost(exp, result, h)),
    ...exp.arrays.map((a) => drawArray(exp, a, boxes.get(a.id)!))
  ].join('')
  const label = `Topology: ${exp.hosts.length} host(s), ${exp.vms.length} VM(s), ${exp.arrays.length} array(s)`
  return `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-family='${FONT}'>${body}</svg>`
}
