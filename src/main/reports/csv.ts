/**
 * Reports as CSV (RFC 4180, UTF-8, one header line): the summary table (one
 * row per VM and run, every stored number unrounded), the sample series a
 * user picks (one row per VM per window), or a comparison's deltas (one row
 * per VM and metric). Empty cells are values the run could not measure.
 */
import { metricInfo, type Comparison } from '../../shared/compare'
import { vmOverhead } from '../../shared/overhead'
import { BREAKDOWN_KEYS, type RunResult, type Sample } from '../../shared/result'
import { SAMPLE_SERIES, type SampleSeriesKey } from '../../shared/report'

type Cell = string | number | boolean | null | undefined

function field(v: Cell): string {
  if (v === null || v === undefined) return ''
  const s = String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n'
}

export interface CsvRun {
  runId: string
  arm: string | null
  result: RunResult
  hostOf: (vm: string) => string | undefined
}

export const SUMMARY_COLUMNS = [
  'run_id', 'arm', 'experiment', 'seed', 'checksum', 'host', 'vm', 'cpu_technique', 'mmu_technique',
  'throughput_ops_s', 'ops', 'latency_mean_ms', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms',
  'disk_iops', 'disk_mb_s', 'disk_latency_mean_ms', 'disk_latency_p99_ms', 'net_gbps', 'net_pps',
  'cpu_guest_pct', 'cpu_hypervisor_pct', 'cpu_ready_pct', 'native_throughput_ops_s', 'overhead_pct',
  'virtualization_pts', 'contention_pts', 'exits_per_op', ...BREAKDOWN_KEYS.map((k) => `breakdown_${k}_pct`),
  'overhead_headline', 'overhead_latency_mean_pct', 'overhead_latency_p99_pct', 'overhead_cpu_per_op_pct', 'overhead_headline_within_noise'
] as const

export function summaryCsv(runs: readonly CsvRun[]): string {
  const rows = runs.flatMap((run) =>
    Object.entries(run.result.vms).map(([id, v]) => [
      run.runId, run.arm, run.result.experiment, run.result.seed, run.result.checksum, run.hostOf(id), id,
      v.techniques.cpu, v.techniques.mmu, v.throughput_ops_s, v.ops, v.latency_ms.mean, v.latency_ms.p50,
      v.latency_ms.p95, v.latency_ms.p99, v.disk.iops, v.disk.mb_s, v.disk.latency_ms.mean, v.disk.latency_ms.p99,
      v.net.gbps, v.net.pps, v.cpu.guest_pct, v.cpu.hypervisor_pct, v.cpu.ready_pct, v.native_throughput_ops_s,
      v.overhead_pct, v.overhead_split_pct?.virtualization, v.overhead_split_pct?.contention, v.exits_per_op,
      ...BREAKDOWN_KEYS.map((k) => v.breakdown_pct[k]),
      ...((o) => [o.headline, o.figures.latency_mean.pct, o.figures.latency_p99.pct, o.figures.cpu_per_op.pct, o.figures[o.headline].within_noise])(vmOverhead(v))
    ])
  )
  return csv(SUMMARY_COLUMNS, rows)
}

/** The chosen series of every stored window: `run_id, arm, t_ms, vm, <series…>`. */
export function samplesCsv(runs: ReadonlyArray<{ runId: string; arm: string | null; samples: readonly Sample[] }>, series: readonly SampleSeriesKey[] = SAMPLE_SERIES): string {
  const chosen = SAMPLE_SERIES.filter((k) => series.includes(k))
  const rows = runs.flatMap((run) => run.samples.map((s) => [run.runId, run.arm, s.t_ms, s.vm, ...chosen.map((k) => s[k])]))
  return csv(['run_id', 'arm', 't_ms', 'vm', ...chosen], rows)
}

/** A comparison's deltas: one row per compared arm, VM and metric. */
export function deltasCsv(cmp: Comparison): string {
  const rows = cmp.comparisons.flatMap((c) =>
    c.vms.flatMap((v) =>
      v.metrics.map((d) => [
        c.reference, c.arm, v.vm, d.key, metricInfo(d.key).unit, d.reference, d.value, d.delta, d.relative_pct,
        d.ci95?.low, d.ci95?.high, d.method, d.n_reference, d.n_value, c.random_streams.shared
      ])
    )
  )
  return csv(
    ['reference_arm', 'arm', 'vm', 'metric', 'unit', 'reference', 'value', 'delta', 'relative_pct', 'ci95_low', 'ci95_high', 'method', 'n_reference', 'n_value', 'common_random_numbers'],
    rows
  )
}
