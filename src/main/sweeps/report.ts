/**
 * A sweep as the CLI prints it: `hyperlab/sweep@1` (every point with its runs
 * and, per VM and metric, the mean over the replications with its 95 %
 * interval; keys documented in docs/experiment-format.md) and a table per VM.
 */
import type { MeanWithInterval } from '../../shared/stats/interval'
import { SWEEP_FORMAT, SWEEP_METRICS, type SweepMetric, type SweepStatus } from '../../shared/sweeps'
import { num, table } from '../cli/format'
import type { SweepService } from './service'

export interface SweepReport {
  format: typeof SWEEP_FORMAT
  sweep_id: string
  experiment: string
  status: SweepStatus
  mode: 'local' | 'distributed'
  seed: number
  replications: number
  seeds: number[]
  common_random_numbers: true
  confidence: number
  parameters: { path: string; values: unknown[] }[]
  runs_total: number
  runs_done: number
  runs_failed: number
  points: {
    point: number
    label: string
    values: Record<string, unknown>
    runs: { replication: number; seed: number; run_id: string; status: string; checksum: string | null; error: string | null }[]
    vms: Record<string, Record<SweepMetric, MeanWithInterval>>
  }[]
}

export function sweepReport(sweeps: SweepService, sweepId: string): SweepReport {
  const first = sweeps.detail(sweepId)
  const perVm = new Map(first.vms.map((vm) => [vm, vm === first.vm ? first : sweeps.detail(sweepId, vm)]))
  const s = first.sweep
  return {
    format: SWEEP_FORMAT,
    sweep_id: s.id,
    experiment: s.name,
    status: s.status,
    mode: s.mode,
    seed: s.seed,
    replications: s.replications,
    seeds: first.seeds,
    common_random_numbers: true,
    confidence: first.confidence,
    parameters: first.parameters,
    runs_total: s.runs_total,
    runs_done: s.runs_done,
    runs_failed: s.runs_failed,
    points: first.points.map((p, i) => ({
      point: p.point,
      label: p.label,
      values: Object.fromEntries(first.parameters.map((param, k) => [param.path, p.values[k]])),
      runs: p.runs.map((r) => ({ replication: r.replication, seed: r.seed, run_id: r.run_id, status: r.status, checksum: r.checksum, error: r.error })),
      vms: Object.fromEntries([...perVm].map(([vm, d]) => [vm, d.points[i]!.stats as Record<SweepMetric, MeanWithInterval>]))
    }))
  }
}

/** Which metrics the text tables show: the ones a reader compares points by. */
const SHOWN: SweepMetric[] = ['throughput_ops_s', 'latency_mean_ms', 'latency_p99_ms', 'overhead_pct']

function withInterval(stat: MeanWithInterval | undefined, digits: number): string | null {
  if (!stat || stat.mean === null) return null
  const mean = num(stat.mean, digits)
  return stat.ci95 ? `${mean} ± ${num((stat.ci95[1] - stat.ci95[0]) / 2, digits)}` : `${mean}`
}

export function sweepText(report: SweepReport, onlyVm?: string): string {
  const lines = [
    `${report.experiment}  (sweep ${report.sweep_id}, ${report.status}: ${report.runs_done} of ${report.runs_total} runs done${report.runs_failed ? `, ${report.runs_failed} failed` : ''})`,
    `${report.points.length} point${report.points.length === 1 ? '' : 's'} × ${report.replications} replication${report.replications === 1 ? '' : 's'}; seeds ${report.seeds.slice(0, 6).join(', ')}${report.seeds.length > 6 ? ', …' : ''}`,
    'Common random numbers: replication r uses the same seed at every point, so points differ by what the sweep changed.',
    `Means over the replications ± half the 95 % confidence interval (Student's t, n − 1 degrees of freedom).`
  ]
  const vms = onlyVm !== undefined ? [onlyVm] : Object.keys(report.points[0]?.vms ?? {})
  if (vms.length === 0) lines.push('', 'No run has finished yet.')
  for (const vm of vms) {
    lines.push('', `VM ${vm}`)
    lines.push(
      table(
        ['point', 'n', ...SHOWN.map((m) => `${SWEEP_METRICS[m].label.toLowerCase()} (${SWEEP_METRICS[m].unit})`)],
        report.points.map((p) => {
          const stats = p.vms[vm]
          return [p.label, stats?.throughput_ops_s.n ?? 0, ...SHOWN.map((m) => withInterval(stats?.[m], m === 'throughput_ops_s' ? 1 : 2))]
        })
      )
    )
  }
  const failed = report.points.flatMap((p) => p.runs.filter((r) => r.status !== 'done').map((r) => `point ${p.point} (${p.label}) replication ${r.replication}: ${r.status}${r.error ? `: ${r.error}` : ''}`))
  if (failed.length > 0) lines.push('', ...failed.slice(0, 20), ...(failed.length > 20 ? [`… and ${failed.length - 20} more`] : []))
  return lines.join('\n')
}
