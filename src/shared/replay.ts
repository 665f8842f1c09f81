/**
 * What playing back a stored run needs, read from the store without
 * simulating: its samples over a time range as aligned series (decimated to
 * a chart's width), its summary as it stood at a moment of simulated time,
 * and its notable events on the simulated timeline. Also what a
 * re-simulation found different from the stored run.
 */
import { z } from 'zod'

/**
 * Kinds of notable events. From the engine, at the simulated moment they
 * happen: `vm-started` / `vm-stopped` (an experiment's power events),
 * `queue-saturated` (a disk, an array's back end, a host's cores or a link
 * busy ≥ 95 % over a sample window; `value` is that utilization in %) and
 * `queue-relieved` (back under 80 %). From the runner: `paused` / `resumed`
 * at the simulated time the run had reached. From the result: `refused`, an
 * experiment event the engine did not carry out, with its reason.
 */
export const runEventKinds = ['vm-started', 'vm-stopped', 'queue-saturated', 'queue-relieved', 'paused', 'resumed', 'refused'] as const
export const runEventKindSchema = z.enum(runEventKinds)
export type RunEventKind = z.infer<typeof runEventKindSchema>

/** A notable event as the engine reports it (kinds it produces only). */
export const notableEventSchema = z.strictObject({
  t_ms: z.number(),
  kind: z.enum(['vm-started', 'vm-stopped', 'queue-saturated', 'queue-relieved']),
  /** The VM, or the queue: `h1/d0` (a local disk), `eva` (an array's back end), `h1 cores`, `h1/n0 tx` (a link). */
  subject: z.string(),
  value: z.number().nullable()
})
export type NotableEvent = z.infer<typeof notableEventSchema>

export const runEventSchema = z.strictObject({
  /** Simulated ms since the run began. */
  t_ms: z.number(),
  kind: runEventKindSchema,
  subject: z.string(),
  value: z.number().nullable(),
  /** One line for a person: "VM db1 started", "eva back end saturated (97 % busy)". */
  text: z.string()
})
export type RunEvent = z.infer<typeof runEventSchema>

/** Whether `v` is an array of finite numbers and nulls: what `z.array(z.number().nullable())` accepts. */
function isSeriesColumn(v: unknown): v is (number | null)[] {
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i]
    if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) return false
  }
  return true
}

/**
 * One series' values: finite numbers, null where there is none. Checked in
 * one loop rather than element by element through the schema library: a
 * 64-VM run's chart reply holds about 600,000 of them, and checking them one
 * schema object at a time took a third of the time to open the run.
 */
const seriesColumn = z.custom<(number | null)[]>(isSeriesColumn, { message: 'expected an array of finite numbers and nulls' })

/**
 * A run's samples as series on one time axis (uPlot's shape): `t_ms[i]` is
 * the end of window (or bucket) i, and each VM's arrays hold its value there,
 * null where it has none; each metric rounded to the step that leaves its
 * largest value in the reply 6 significant digits (as the summary's figures).
 * Merged buckets: throughput, IOPS and CPU are means of the windows; mean
 * latency is weighted by operations; p99 is the worst window's. A long run
 * that has ended is drawn from its overview (buckets of 16 windows), so its
 * buckets are then a multiple of 16 windows: between half and all of the
 * points asked for.
 */
export const runSeriesSchema = z.strictObject({
  run_id: z.string(),
  /** The range asked for, clamped to what is stored (windows ending within it). */
  from_ms: z.number(),
  to_ms: z.number(),
  /** Width of one stored sample window, ms. */
  window_ms: z.number(),
  /** Width of the merged buckets, ms; null when every window is there. */
  bucket_ms: z.number().nullable(),
  t_ms: z.array(z.number()),
  vms: z.array(
    z.strictObject({
      vm: z.string(),
      throughput_ops_s: seriesColumn,
      latency_mean_ms: seriesColumn,
      latency_p99_ms: seriesColumn,
      disk_iops: seriesColumn,
      cpu_pct: seriesColumn,
      /* The sample's optional fields (see sampleSchema): left out when the run did not record them. */
      cpu_guest_pct: seriesColumn.optional(),
      cpu_hypervisor_pct: seriesColumn.optional(),
      disk_mb_s: seriesColumn.optional(),
      net_gbps: seriesColumn.optional()
    })
  ),
  /**
   * The SAN arrays' samples on the same axis and in the same buckets (each value the mean of its windows),
   * `null` where an array has no sample; empty for a run stored before they were recorded.
   */
  arrays: z.array(
    z.strictObject({
      array: z.string(),
      utilization_pct: seriesColumn,
      queue_depth: seriesColumn,
      iops: seriesColumn
    })
  )
})
export type RunSeries = z.infer<typeof runSeriesSchema>

/**
 * One VM's summary over the windows that ended after the warm-up and by the
 * moment asked. Exact (the same arithmetic the engine's summary does, on
 * the stored windows): `ops`, `throughput_ops_s` (ops ÷ the windows'
 * time), `latency_mean_ms` (each window's mean weighted by its operations),
 * `disk_iops` and `cpu_pct` (time-weighted means). Computed from samples,
 * not exact: `latency_p99_max_ms` is the worst window's p99 — an upper bound
 * of the period's p99, which only the stored summary has (percentiles of
 * windows cannot be combined). When the warm-up ends inside a window, that
 * window counts whole. `cpu_guest_pct`, `cpu_hypervisor_pct`, `disk_mb_s` and
 * `net_gbps` are time-weighted means of the windows' too, absent for a run
 * stored before its windows recorded them.
 */
export const vmSummaryAtSchema = z.strictObject({
  ops: z.number(),
  throughput_ops_s: z.number(),
  latency_mean_ms: z.number().nullable(),
  latency_p99_max_ms: z.number().nullable(),
  disk_iops: z.number(),
  cpu_pct: z.number(),
  cpu_guest_pct: z.number().optional(),
  cpu_hypervisor_pct: z.number().optional(),
  disk_mb_s: z.number().optional(),
  net_gbps: z.number().optional()
})

export const summaryAtSchema = z.strictObject({
  run_id: z.string(),
  /** The moment asked, simulated ms. */
  t_ms: z.number(),
  /** The windows summed: from the end of the warm-up to the last window ending by t_ms. */
  period: z.strictObject({ from_ms: z.number(), to_ms: z.number(), windows: z.number().int() }),
  vms: z.record(z.string(), vmSummaryAtSchema),
  /** Events up to t_ms. */
  events: z.array(runEventSchema),
  /** True when t_ms is at or past the end of a finished run: its stored summary (runs:get's `result`) is then exact in every figure. */
  complete: z.boolean()
})
export type SummaryAt = z.infer<typeof summaryAtSchema>

/** A figure of the result that a re-simulation produced differently. */
export const differenceSchema = z.strictObject({
  /** Where in the result: `checksum`, `vms.db1.throughput_ops_s`, `events[2].ok`. */
  path: z.string(),
  stored: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  recomputed: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  /** 100 × (recomputed − stored) ÷ |stored|, for numbers with a stored value other than 0; else null. */
  delta_pct: z.number().nullable()
})
export type Difference = z.infer<typeof differenceSchema>

export const verificationSchema = z.strictObject({
  run_id: z.string(),
  identical: z.boolean(),
  stored_checksum: z.string(),
  recomputed_checksum: z.string(),
  /** The Hyperlab version that made the stored run (null: stored before versions were recorded) and this one. */
  stored_app_version: z.string().nullable(),
  app_version: z.string(),
  /** The result's figures that differ (wall time aside), at most 200; `differences_total` counts them all. */
  differences: z.array(differenceSchema),
  differences_total: z.number().int()
})
export type Verification = z.infer<typeof verificationSchema>
