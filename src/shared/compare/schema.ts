/**
 * The shape of a comparison of stored runs (`runs:compare`), as it crosses
 * process boundaries. Runs of the same experiment (everything but the seed
 * equal) form one *arm*; their seeds are replications. The first arm is the
 * reference, every other arm is compared with it.
 */
import { z } from 'zod'

const intervalSchema = z.strictObject({ low: z.number(), high: z.number() })

export const changeSchema = z.strictObject({
  path: z.string(),
  kind: z.enum(['changed', 'added', 'removed']),
  from: z.string().nullable(),
  to: z.string().nullable()
})

export const METRIC_KEYS = [
  'throughput_ops_s',
  'latency_mean_ms',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'disk_iops',
  'disk_mb_s',
  'net_gbps',
  'cpu_guest_pct',
  'cpu_hypervisor_pct',
  'cpu_ready_pct',
  'overhead_pct',
  'virtualization_pts',
  'contention_pts'
] as const
export type MetricKey = (typeof METRIC_KEYS)[number]

/** One metric of one VM in one arm: its mean over the arm's replications. */
export const armMetricSchema = z.strictObject({
  key: z.enum(METRIC_KEYS),
  /** Null when no replication measured it (no operation completed, no native baseline). */
  mean: z.number().nullable(),
  /** Replications that measured it. */
  n: z.number().int(),
  /** 95 % interval of the mean; null with fewer than two replications. */
  ci95: intervalSchema.nullable()
})

export const armSchema = z.strictObject({
  /** A, B, C… in the order the runs were given. */
  label: z.string(),
  experiment_name: z.string(),
  /** One run per seed, the first given; these are the replications. */
  run_ids: z.array(z.string()),
  seeds: z.array(z.number()),
  /** Runs of the same experiment and seed as one above: identical, so counted once. */
  duplicate_run_ids: z.array(z.string()),
  vms: z.array(z.strictObject({ vm: z.string(), metrics: z.array(armMetricSchema) }))
})

export const metricDeltaSchema = z.strictObject({
  key: z.enum(METRIC_KEYS),
  reference: z.number().nullable(),
  value: z.number().nullable(),
  /** value − reference. */
  delta: z.number().nullable(),
  /** 100 × delta ÷ |reference|; null when the reference is 0 or missing. */
  relative_pct: z.number().nullable(),
  /** 95 % interval of the delta; null without replications on both sides. */
  ci95: intervalSchema.nullable(),
  /** paired: replications matched by seed (common random numbers); welch: independent; single: one run a side. */
  method: z.enum(['paired', 'welch', 'single']),
  n_reference: z.number().int(),
  n_value: z.number().int()
})

export const armComparisonSchema = z.strictObject({
  /** The arm compared with the reference arm. */
  arm: z.string(),
  reference: z.string(),
  /** The experiments' differences by id, seed aside (see random_streams). */
  what_changed: z.array(changeSchema),
  random_streams: z.strictObject({
    /** The two arms ran at least one seed in common. */
    shared: z.boolean(),
    common_seeds: z.array(z.number()),
    note: z.string()
  }),
  vms: z.array(z.strictObject({ vm: z.string(), metrics: z.array(metricDeltaSchema) })),
  /** VMs only the reference arm has, and only this arm has. */
  vms_removed: z.array(z.string()),
  vms_added: z.array(z.string())
})

export const comparisonSchema = z.strictObject({
  runs: z.array(
    z.strictObject({
      run_id: z.string(),
      arm: z.string(),
      experiment_name: z.string(),
      seed: z.number(),
      checksum: z.string(),
      created_at: z.string()
    })
  ),
  arms: z.array(armSchema),
  comparisons: z.array(armComparisonSchema)
})

export type Change = z.infer<typeof changeSchema>
export type ArmMetric = z.infer<typeof armMetricSchema>
export type Arm = z.infer<typeof armSchema>
export type MetricDelta = z.infer<typeof metricDeltaSchema>
export type ArmComparison = z.infer<typeof armComparisonSchema>
export type Comparison = z.infer<typeof comparisonSchema>
