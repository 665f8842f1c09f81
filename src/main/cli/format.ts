/** Plain-text tables and numbers for the terminal. */
import type { RunResult } from '../../shared/result'
import { formatOverheadFigure, measureLabel, vmOverhead } from '../../shared/overhead'

/** A table with the first column (and any marked 'l' in `align`) left-aligned, the rest right-aligned. */
export function table(headers: string[], rows: (string | number | null)[][], align: ('l' | 'r')[] = []): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? '—' : String(c))))
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)))
  const left = (i: number): boolean => (align[i] ?? (i === 0 ? 'l' : 'r')) === 'l'
  const line = (r: string[]): string =>
    r.map((c, i) => (left(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

export function num(v: number | null | undefined, digits = 1): string | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null
  // A value that rounds to zero prints as 0, never as "-0.0".
  return (Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v).toFixed(digits)
}

export function resultText(r: RunResult): string {
  const vmRows = Object.entries(r.vms).map(([id, v]) => [
    id,
    num(v.throughput_ops_s),
    num(v.latency_ms.mean, 2),
    num(v.latency_ms.p99, 2),
    num(v.disk.iops),
    num(v.cpu.guest_pct),
    num(v.cpu.hypervisor_pct),
    num(v.cpu.ready_pct),
    num(v.native_throughput_ops_s),
    ...(() => {
      const o = vmOverhead(v)
      return [formatOverheadFigure(o.figures.throughput), formatOverheadFigure(o.figures.latency_mean), formatOverheadFigure(o.figures.latency_p99), formatOverheadFigure(o.figures.cpu_per_op), measureLabel(o.headline)]
    })()
  ])
  const parts = [
    `${r.experiment}  (seed ${r.seed}, ${r.sim.simulated_s} simulated s, ${r.sim.events.toLocaleString('en-US')} events, ${r.sim.wall_ms} ms wall)`,
    '',
    table(
      ['vm', 'ops/s', 'mean ms', 'p99 ms', 'disk IOPS', 'guest %', 'hyp %', 'ready %', 'native ops/s', 'ovh ops/s', 'ovh mean', 'ovh p99', 'ovh CPU/op', 'headline'],
      vmRows
    ),
    '',
    'Overhead against native: positive = worse (fewer ops/s, longer responses, more CPU per operation). The headline is',
    'throughput for closed loops and mean response time for open arrivals (their throughput is the offered load).'
  ]
  if (r.events.length > 0) parts.push('', 'Timeline', ...r.events.map(eventLine))
  const migrations = r.events.filter((e) => e.ok && e.migration)
  if (migrations.length > 0) {
    parts.push(
      '',
      table(
        ['migration', 'from', 'to', 'rounds', 'MB sent', 'total s', 'downtime ms', 'Gb/s', 'dirty MB/s', 'converged'],
        migrations.map((e) => {
          const m = e.migration!
          return [`${e.vm as string} at ${e.at_s} s`, m.from, m.to, m.rounds, num(m.mb_sent, 0), num(m.total_s, 2), num(m.downtime_ms, 1), num(m.bandwidth_gbps, 2), num(m.dirty_mb_s, 1), m.converged ? 'yes' : 'no: stop-and-copy']
        }),
        ['l', 'l', 'l']
      )
    )
  }
  parts.push('', `checksum ${r.checksum}`)
  return parts.join('\n')
}

/** One line per timeline event: what it did, or why it was refused. */
function eventLine(e: RunResult['events'][number]): string {
  const head = `  ${String(e.at_s).padStart(6)} s  ${e.do.padEnd(15)}`
  if (!e.ok) return `${head} refused: ${e.reason ?? 'no reason given'}`
  return `${head} ${e.summary ?? 'done'}`
}
