/**
 * The figures of a run's report: throughput and latency over simulated time
 * (one chart per host when the run has many VMs), and per VM the latency
 * percentiles, the CPU split, disk and network rates, the overhead split and
 * where the response time went; the storage's utilization. Each figure has a
 * caption saying what it shows and in which unit; empty ones are left out.
 */
import { BREAKDOWN_CATEGORIES } from '../../../shared/breakdown'
import type { RunResult, Sample } from '../../../shared/result'
import { barChart, seriesColour, timeChart, type BarSeries, type Line } from '../charts'
import { chunkVms, SMALL_MULTIPLES_ABOVE, type VmGroup } from './groups'
import { esc } from './markup'

const FULL = 680
const HALF = 335

/** VMs per bar chart: a chart stays shorter than a page. */
const STACKED_CHUNK = 24
const GROUPED_CHUNK = 16

export function figure(caption: string, svg: string, attrs = ''): string {
  return `<figure${attrs}><figcaption>${caption}</figcaption>${svg}</figure>`
}

interface VmSeries {
  throughput: Line['points']
  mean: Line['points']
  p99: Line['points']
}

function seriesByVm(samples: readonly Sample[]): Map<string, VmSeries> {
  const out = new Map<string, VmSeries>()
  for (const s of samples) {
    let v = out.get(s.vm)
    if (!v) out.set(s.vm, (v = { throughput: [], mean: [], p99: [] }))
    const t = s.t_ms / 1000
    v.throughput.push([t, s.throughput_ops_s])
    v.mean.push([t, s.latency_mean_ms])
    v.p99.push([t, s.latency_p99_ms])
  }
  return out
}

function timeFigures(samples: readonly Sample[], groups: readonly VmGroup[], colours: ReadonlyMap<string, string>, bucketMs: number | null): string {
  const series = seriesByVm(samples)
  const total = groups.reduce((n, g) => n + g.vms.length, 0)
  const perHost = total > SMALL_MULTIPLES_ABOVE && groups.length > 1
  const sets = perHost ? groups.map((g) => ({ title: g.host, vms: g.vms })) : [{ title: '', vms: groups.flatMap((g) => g.vms) }]
  const width = perHost ? HALF : FULL
  const height = perHost ? 210 : 250
  const merged = bucketMs !== null ? ` Each point merges ${bucketMs / 1000} s of samples (throughput averaged, p99 the worst).` : ''
  const one = (kind: 'throughput' | 'latency', set: { title: string; vms: string[] }): string => {
    const lines: Line[] =
      kind === 'throughput'
        ? set.vms.map((vm) => ({ name: vm, colour: colours.get(vm)!, points: series.get(vm)?.throughput ?? [] }))
        : set.vms.flatMap((vm) => [
            { name: vm, colour: colours.get(vm)!, points: series.get(vm)?.mean ?? [] },
            { name: vm, colour: colours.get(vm)!, dashed: true, points: series.get(vm)?.p99 ?? [] }
          ])
    const what = kind === 'throughput' ? 'Throughput' : 'Latency'
    const svg = timeChart({
      label: `${what} over simulated time${set.title ? `, host ${set.title}` : ''}`,
      xName: 'simulated time (s)',
      yName: kind === 'throughput' ? 'ops/s' : 'ms',
      lines,
      width,
      height
    })
    return figure(set.title ? `<b>${esc(set.title)}</b>` : '', svg)
  }
  const block = (kind: 'throughput' | 'latency', caption: string): string => {
    const figs = sets.map((set) => one(kind, set)).join('')
    return `<h3>${caption}</h3>${perHost ? `<div class="grid2">${figs}</div>` : figs}`
  }
  return (
    block('throughput', 'Throughput over time') +
    `<p class="small muted">Completed operations per second of simulated time, per VM.${merged}</p>` +
    block('latency', 'Latency over time') +
    `<p class="small muted">Response time per operation: mean (solid) and 99th percentile (dashed), per VM.${merged}</p>`
  )
}

/** Bar charts of one quantity per VM, in chunks of whole hosts. */
function perVmBars(
  title: string,
  unitCaption: string,
  valueName: string,
  groups: readonly VmGroup[],
  series: (vms: string[]) => BarSeries[],
  opts: { stacked?: boolean; max?: number; allowNegative?: boolean; width?: number } = {}
): string[] {
  const chunks = chunkVms(groups, opts.stacked || series([]).length === 1 ? STACKED_CHUNK : GROUPED_CHUNK)
  const figs = chunks.map((vms, i) => {
    const part = chunks.length > 1 ? ` (${i + 1} of ${chunks.length}: ${esc(vms[0]!)} … ${esc(vms[vms.length - 1]!)})` : ''
    const svg = barChart({
      label: `${title}${part ? `, part ${i + 1} of ${chunks.length}` : ''}`,
      categories: vms,
      series: series(vms),
      valueName,
      width: opts.width ?? FULL,
      ...(opts.stacked ? { stacked: true } : {}),
      ...(opts.max !== undefined ? { max: opts.max } : {}),
      ...(opts.allowNegative ? { allowNegative: true } : {})
    })
    return figure(`<b>${esc(title)}</b>, ${esc(unitCaption)}${part}`, svg)
  })
  return figs
}

/** Two lists of figures side by side, row by row (disk I/O beside network). */
function sideBySide(left: readonly string[], right: readonly string[]): string {
  const cells: string[] = []
  for (let i = 0; i < Math.max(left.length, right.length); i++) cells.push(left[i] ?? '<div></div>', right[i] ?? '<div></div>')
  return `<div class="grid2">${cells.join('')}</div>`
}

export function runFigures(result: RunResult, samples: readonly Sample[], bucketMs: number | null, groups: readonly VmGroup[], colours: ReadonlyMap<string, string>): string {
  const v = (id: string) => result.vms[id]!
  const out = [timeFigures(samples, groups, colours, bucketMs)]
  out.push('<h3>Per VM</h3>')
  out.push(
    ...perVmBars('Latency percentiles', 'ms per operation', 'ms', groups, (vms) => [
      { name: 'p50', colour: seriesColour(0), values: vms.map((id) => v(id).latency_ms.p50) },
      { name: 'p95', colour: seriesColour(1), values: vms.map((id) => v(id).latency_ms.p95) },
      { name: 'p99', colour: seriesColour(3), values: vms.map((id) => v(id).latency_ms.p99) }
    ])
  )
  out.push(
    ...perVmBars(
      'CPU split',
      "% of the VM's vCPU capacity: the guest's own work, the hypervisor's work for it, and time ready but waiting for a core",
      '% of vCPU capacity',
      groups,
      (vms) => [
        { name: 'guest', colour: '#6f9f7a', values: vms.map((id) => v(id).cpu.guest_pct) },
        { name: 'hypervisor', colour: '#e06c75', values: vms.map((id) => v(id).cpu.hypervisor_pct) },
        { name: 'ready (waiting)', colour: '#f2a65a', values: vms.map((id) => v(id).cpu.ready_pct) }
      ],
      { stacked: true }
    )
  )
  const all = groups.flatMap((g) => g.vms)
  const disk = all.some((id) => v(id).disk.iops > 0)
    ? perVmBars('Disk I/O', 'requests per second', 'IOPS', groups, (vms) => [{ name: 'IOPS', colour: seriesColour(0), values: vms.map((id) => v(id).disk.iops) }], { width: HALF })
    : []
  const net = all.some((id) => v(id).net.gbps > 0)
    ? perVmBars('Network', 'Gb/s sent and received', 'Gb/s', groups, (vms) => [{ name: 'Gb/s', colour: seriesColour(4), values: vms.map((id) => v(id).net.gbps) }], { width: HALF })
    : []
  if (disk.length + net.length > 0) out.push(sideBySide(disk, net))
  const storage = [
    ...Object.entries(result.disks).map(([id, d]) => ({ id: `disk ${id}`, u: d.utilization_pct })),
    ...Object.entries(result.arrays).map(([id, a]) => ({ id: `array ${id}`, u: a.utilization_pct }))
  ]
  if (storage.length > 0) {
    const svg = barChart({
      label: 'Storage utilization',
      categories: storage.map((s) => s.id),
      series: [{ name: 'utilization', colour: seriesColour(8), values: storage.map((s) => s.u) }],
      valueName: '% of time busy',
      width: FULL,
      max: 100
    })
    out.push(figure('<b>Storage utilization</b>, % of the time each local disk and array was busy', svg))
  }
  return out.join('')
}

export function overheadFigure(result: RunResult, groups: readonly VmGroup[]): string {
  const vms = groups.flatMap((g) => g.vms)
  if (!vms.some((id) => result.vms[id]!.overhead_split_pct)) return ''
  return perVmBars(
    'Overhead versus native',
    'points of native throughput lost to virtualization tax (alone under the hypervisor) and to contention (with the neighbours)',
    'points of native throughput',
    groups,
    (ids) => [
      { name: 'virtualization tax', colour: '#e06c75', values: ids.map((id) => result.vms[id]!.overhead_split_pct?.virtualization ?? null) },
      { name: 'contention', colour: '#f2a65a', values: ids.map((id) => result.vms[id]!.overhead_split_pct?.contention ?? null) }
    ],
    { stacked: true, allowNegative: true }
  ).join('')
}

export function breakdownFigure(result: RunResult, groups: readonly VmGroup[]): string {
  return perVmBars(
    'Where the response time went',
    '% of an operation’s response time by category',
    '% of the response time',
    groups,
    (vms) => BREAKDOWN_CATEGORIES.map((c) => ({ name: c.label, colour: c.colour, values: vms.map((id) => result.vms[id]!.breakdown_pct[c.key] ?? 0) })),
    { stacked: true, max: 100 }
  ).join('')
}
