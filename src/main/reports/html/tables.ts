/**
 * The tables of a run's report: per VM (grouped by host) throughput,
 * latency percentiles, disk I/O, CPU split, the native baseline and the
 * overhead; the overhead split into virtualization tax and contention; and
 * the hosts, local disks and arrays. Every number cell carries the stored
 * value it shows.
 */
import { formatNumber, formatOverheadSplit } from '../../../shared/format'
import type { RunResult } from '../../../shared/result'
import { formatOverheadFigure, measureLabel, vmOverhead, type OverheadFigure } from '../../../shared/overhead'
import type { VmGroup } from './groups'
import { esc, numCell } from './markup'

function groupRow(g: VmGroup, columns: number, grouped: boolean): string {
  return grouped ? `<tr><th class="group" colspan="${columns}">${esc(g.title)}</th></tr>` : ''
}

function swatch(colour: string | undefined): string {
  return colour ? `<span class="swatch" style="background:${colour}"></span>` : ''
}

/** One row per VM: what it achieved and how far from native. */
export function resultsTable(result: RunResult, groups: readonly VmGroup[], colours: ReadonlyMap<string, string>): string {
  const grouped = groups.length > 1
  const head = `<thead>
<tr><th class="l" rowspan="2">VM</th><th class="l" rowspan="2">CPU · MMU</th><th rowspan="2">Throughput<br>ops/s</th><th colspan="4">Latency, ms</th><th rowspan="2">Disk<br>IOPS</th><th rowspan="2">Net<br>Gb/s</th><th colspan="3">CPU, %</th><th rowspan="2">Native<br>ops/s</th><th rowspan="2">Overhead<br>%</th></tr>
<tr><th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>guest</th><th>hyp.</th><th>ready</th></tr>
</thead>`
  const bodies = groups.map((g) => {
    const rows = g.vms.map((id) => {
      const v = result.vms[id]!
      return `<tr data-vm="${esc(id)}"><td class="l">${swatch(colours.get(id))}<b>${esc(id)}</b></td><td class="l">${esc(`${v.techniques.cpu} · ${v.techniques.mmu}`)}</td>${[
        numCell('throughput_ops_s', v.throughput_ops_s, 1),
        numCell('latency_ms.mean', v.latency_ms.mean, 2),
        numCell('latency_ms.p50', v.latency_ms.p50, 2),
        numCell('latency_ms.p95', v.latency_ms.p95, 2),
        numCell('latency_ms.p99', v.latency_ms.p99, 2),
        numCell('disk.iops', v.disk.iops, 1),
        numCell('net.gbps', v.net.gbps, 3),
        numCell('cpu.guest_pct', v.cpu.guest_pct, 1),
        numCell('cpu.hypervisor_pct', v.cpu.hypervisor_pct, 1),
        numCell('cpu.ready_pct', v.cpu.ready_pct, 1),
        numCell('native_throughput_ops_s', v.native_throughput_ops_s, 1),
        numCell('overhead_pct', v.overhead_pct, 1)
      ].join('')}</tr>`
    })
    return `<tbody>${groupRow(g, 14, grouped)}${rows.join('')}</tbody>`
  })
  return `<table class="results" data-table="vms">${head}${bodies.join('')}</table>`
}

/** An overhead figure as text ("+12.3 %", "within noise (±1.2 %)"), its value kept on the cell. */
function figureCell(key: string, f: OverheadFigure): string {
  return `<td class="num" data-key="${esc(key)}" data-value="${f.pct === null ? '' : esc(String(f.pct))}">${esc(formatOverheadFigure(f))}</td>`
}

/**
 * Per VM: native and virtualized throughput, the overhead and its two parts, VM exits per operation, and the
 * overhead in response time and CPU per operation with the VM's headline measure (shared/overhead.ts).
 */
export function overheadTable(result: RunResult, groups: readonly VmGroup[], colours: ReadonlyMap<string, string>): string {
  const grouped = groups.length > 1
  const head = `<thead><tr><th class="l">VM</th><th>Native<br>ops/s</th><th>Virtualized<br>ops/s</th><th>Overhead<br>%</th><th>Virtualization<br>tax, pts</th><th>Contention<br>pts</th><th>VM exits<br>per op</th><th>Mean response<br>vs native</th><th>p99 response<br>vs native</th><th>CPU per op<br>vs native</th><th class="l">Headline</th></tr></thead>`
  const bodies = groups.map((g) => {
    const rows = g.vms.map((id) => {
      const v = result.vms[id]!
      const split = v.overhead_split_pct ?? null
      return `<tr data-vm="${esc(id)}"><td class="l">${swatch(colours.get(id))}<b>${esc(id)}</b></td>${[
        numCell('native_throughput_ops_s', v.native_throughput_ops_s, 1),
        numCell('throughput_ops_s', v.throughput_ops_s, 1),
        numCell('overhead_pct', v.overhead_pct, 1),
        numCell('overhead_split_pct.virtualization', split?.virtualization, 1),
        numCell('overhead_split_pct.contention', split?.contention, 1),
        numCell('exits_per_op', v.exits_per_op, 1)
      ].join('')}${(() => {
        const o = vmOverhead(v)
        return `${figureCell('overhead.latency_mean', o.figures.latency_mean)}${figureCell('overhead.latency_p99', o.figures.latency_p99)}${figureCell('overhead.cpu_per_op', o.figures.cpu_per_op)}<td class="l" data-key="overhead.headline" title="${esc(o.why)}">${esc(`${measureLabel(o.headline)}: ${formatOverheadFigure(o.figures[o.headline])}`)}</td>`
      })()}</tr>`
    })
    return `<tbody>${groupRow(g, 11, grouped)}${rows.join('')}</tbody>`
  })
  return `<table class="overhead" data-table="overhead">${head}${bodies.join('')}</table>`
}

/** Hosts' CPU, and the local disks and arrays: how busy each was. */
export function resourceTables(result: RunResult): string {
  const out: string[] = []
  const hosts = Object.entries(result.hosts)
  if (hosts.length > 0) {
    out.push(`<table class="hosts" data-table="hosts"><thead><tr><th class="l">Host</th><th>CPU busy, %</th><th>of which hypervisor, %</th></tr></thead><tbody>${hosts
      .map(([id, h]) => `<tr data-host="${esc(id)}"><td class="l"><b>${esc(id)}</b></td>${numCell('cpu_pct', h.cpu_pct, 1)}${numCell('hypervisor_pct', h.hypervisor_pct, 1)}</tr>`)
      .join('')}</tbody></table>`)
  }
  const disks = Object.entries(result.disks)
  if (disks.length > 0) {
    out.push(`<table class="disks" data-table="disks"><thead><tr><th class="l">Local disk</th><th>IOPS</th><th>Utilization, %</th><th>Queue depth</th><th>Latency mean, ms</th><th>Latency p99, ms</th></tr></thead><tbody>${disks
      .map(
        ([id, d]) =>
          `<tr data-disk="${esc(id)}"><td class="l"><b>${esc(id)}</b></td>${numCell('iops', d.iops, 1)}${numCell('utilization_pct', d.utilization_pct, 1)}${numCell('queue_depth', d.queue_depth, 2)}${numCell('latency_ms.mean', d.latency_ms.mean, 2)}${numCell('latency_ms.p99', d.latency_ms.p99, 2)}</tr>`
      )
      .join('')}</tbody></table>`)
  }
  const arrays = Object.entries(result.arrays)
  if (arrays.length > 0) {
    out.push(`<table class="arrays" data-table="arrays"><thead><tr><th class="l">Array</th><th>IOPS</th><th>Utilization, %</th><th>Queue depth</th></tr></thead><tbody>${arrays
      .map(([id, a]) => `<tr data-array="${esc(id)}"><td class="l"><b>${esc(id)}</b></td>${numCell('iops', a.iops, 1)}${numCell('utilization_pct', a.utilization_pct, 1)}${numCell('queue_depth', a.queue_depth, 2)}</tr>`)
      .join('')}</tbody></table>`)
  }
  return out.join('')
}

/** `12.3 % overhead = 10.1 pts virtualization tax + 2.2 pts contention`, or why there is none. */
export function overheadWords(v: RunResult['vms'][string]): string {
  if (v.overhead_pct === null) return 'no native baseline'
  const split = v.overhead_split_pct
  return `${formatNumber(v.overhead_pct, 1)} % overhead${split ? ` = ${formatOverheadSplit(split)}` : ''}`
}
