/**
 * What a sweep is once it runs: its record (status, how many of its runs are
 * done), its points with their runs, and per point and VM the mean of each
 * metric over the replications with its 95 % confidence interval. The JSON
 * form `hyperlab/sweep@1` (docs/experiment-format.md) uses these keys; they
 * are the CLI's stable output keys.
 */
import { z } from 'zod'
import { runStatusSchema } from './status'
import { meanWithInterval, type MeanWithInterval } from './stats/interval'

export const SWEEP_FORMAT = 'hyperlab/sweep@1'

export const sweepStatuses = ['running', 'done', 'cancelled', 'interrupted'] as const
export const sweepStatusSchema = z.enum(sweepStatuses)
export type SweepStatus = z.infer<typeof sweepStatusSchema>

/** local: on this machine's cores; distributed: through a Redis queue to `hyperlab worker`s. */
export const sweepModes = ['local', 'distributed'] as const
export type SweepMode = (typeof sweepModes)[number]

export const sweepRecordSchema = z.strictObject({
  id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  status: sweepStatusSchema,
  mode: z.enum(sweepModes),
  seed: z.number(),
  points: z.number().int(),
  replications: z.number().int(),
  /** points × replications. */
  runs_total: z.number().int(),
  runs_done: z.number().int(),
  runs_failed: z.number().int(),
  created_at: z.string(),
  ended_at: z.string().nullable(),
  error: z.string().nullable()
})
export type SweepRecord = z.infer<typeof sweepRecordSchema>

/**
 * What each point reports per VM, by key: a number every run's summary has
 * (docs/experiment-format.md, the result). Labels and units are how the app
 * and the CLI show them.
 */
export const SWEEP_METRICS = {
  throughput_ops_s: { label: 'Throughput', unit: 'ops/s' },
  latency_mean_ms: { label: 'Mean latency', unit: 'ms' },
  latency_p95_ms: { label: 'p95 latency', unit: 'ms' },
  latency_p99_ms: { label: 'p99 latency', unit: 'ms' },
  disk_iops: { label: 'Disk IOPS', unit: 'IOPS' },
  cpu_guest_pct: { label: 'Guest CPU', unit: '%' },
  cpu_hypervisor_pct: { label: 'Hypervisor CPU', unit: '%' },
  cpu_ready_pct: { label: 'Ready time', unit: '%' },
  overhead_pct: { label: 'Overhead vs native', unit: '%' }
} as const
export type SweepMetric = keyof typeof SWEEP_METRICS
export const SWEEP_METRIC_KEYS = Object.keys(SWEEP_METRICS) as SweepMetric[]
export const sweepMetricSchema = z.enum(SWEEP_METRIC_KEYS as [SweepMetric, ...SweepMetric[]])

export const meanWithIntervalSchema = z.strictObject({
  n: z.number().int(),
  mean: z.number().nullable(),
  sd: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable()
})

export const sweepRunSchema = z.strictObject({
  run_id: z.string(),
  /** 1-based; its seed is the sweep's seeds[replication − 1]. */
  replication: z.number().int(),
  seed: z.number(),
  status: runStatusSchema,
  checksum: z.string().nullable(),
  wall_ms: z.number().nullable(),
  error: z.string().nullable()
})
export type SweepRun = z.infer<typeof sweepRunSchema>

export const sweepPointSchema = z.strictObject({
  /** 1-based, the first parameter varying slowest. */
  point: z.number().int(),
  label: z.string(),
  /** One per parameter, in parameter order. */
  values: z.array(z.unknown()),
  /** The runs stored so far, by replication; a missing replication has not run (or is running elsewhere). */
  runs: z.array(sweepRunSchema),
  /** Per metric, over the point's finished replications, for the VM the detail is about. */
  stats: z.record(z.string(), meanWithIntervalSchema)
})
export type SweepPoint = z.infer<typeof sweepPointSchema>

export const sweepDetailSchema = z.strictObject({
  sweep: sweepRecordSchema,
  parameters: z.array(z.strictObject({ path: z.string(), values: z.array(z.unknown()) })),
  /** Seed of each replication, the same at every point. */
  seeds: z.array(z.number()),
  /** Replication r runs with the same seed at every point, so points differ by what the sweep changed, not by chance. */
  common_random_numbers: z.literal(true),
  confidence: z.number(),
  /** The VMs of the experiment; `vm` is the one `points[].stats` describe (null before any run has finished). */
  vms: z.array(z.string()),
  vm: z.string().nullable(),
  points: z.array(sweepPointSchema)
})
export type SweepDetail = z.infer<typeof sweepDetailSchema>

/** Per metric, the mean and 95 % interval over one point's replications; `rows` are each run's metric values. */
export function pointStats(rows: readonly Partial<Record<SweepMetric, number | null>>[]): Record<SweepMetric, MeanWithInterval> {
  return Object.fromEntries(SWEEP_METRIC_KEYS.map((m) => [m, meanWithInterval(rows.map((r) => r[m] ?? null))])) as Record<
    SweepMetric,
    MeanWithInterval
  >
}
