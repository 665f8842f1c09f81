/**
 * What a run produces: live samples (one per VM per `sample_ms` window of
 * simulated time) and the summary, whose JSON form is `hyperlab/result@1`
 * (docs/experiment-format.md). Keys here are the CLI's stable output keys.
 */
import { z } from 'zod'

export const RESULT_FORMAT = 'hyperlab/result@1'

/** One VM's measurements over one sample window. */
export const sampleSchema = z.strictObject({
  /** End of the window, simulated ms since the run began. */
  t_ms: z.number(),
  vm: z.string(),
  throughput_ops_s: z.number(),
  /** Mean and p99 response time of operations completed in the window; null when none completed. */
  latency_mean_ms: z.number().nullable(),
  latency_p99_ms: z.number().nullable(),
  disk_iops: z.number(),
  /** Share of the VM's vCPU capacity used in the window, %. */
  cpu_pct: z.number(),
  /*
   * The fields below are absent in runs stored before they were recorded (then a chart of them says so
   * rather than drawing zeros). They are left out of the run's checksum: they restate the simulation's
   * counters, and runs recorded before them must still reproduce exactly.
   */
  /** Of cpu_pct: the guest's own work, its page walks included (the summary's `cpu.guest_pct`), %. */
  cpu_guest_pct: z.number().optional(),
  /** Of cpu_pct: the hypervisor's work for the VM: VM exits, device emulation and its I/O work (the summary's `cpu.hypervisor_pct`), %. */
  cpu_hypervisor_pct: z.number().optional(),
  /** Disk data moved by the VM's completed requests, MB (1,024 KB) per second. */
  disk_mb_s: z.number().optional(),
  /** Network data the VM sent and received, Gb/s. */
  net_gbps: z.number().optional()
})
export type Sample = z.infer<typeof sampleSchema>

/**
 * One SAN array's measurements over one sample window (the same windows as the VMs' samples). Read from
 * the array's counters as differences, so they cost no work per event; left out of the run's checksum
 * like the samples' optional fields. Absent from runs stored before they were recorded.
 */
export const arraySampleSchema = z.strictObject({
  /** End of the window, simulated ms since the run began. */
  t_ms: z.number(),
  array: z.string(),
  /** The back end's busy share: the mean of its spindles' busy time over the window, % (the summary's `utilization_pct`). */
  utilization_pct: z.number(),
  /** Mean front-end requests inside the array (from taking a LUN queue slot to leaving) over the window (the summary's `queue_depth`). */
  queue_depth: z.number(),
  /** Front-end requests the array completed per second. */
  iops: z.number()
})
export type ArraySample = z.infer<typeof arraySampleSchema>

const latencySchema = z.strictObject({
  mean: z.number().nullable(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable()
})

/**
 * Categories of an operation's response time. guest: CPU work native would
 * also do; vm_exits: the technique's extra per event (traps, exits, hidden
 * faults, timer ticks, TLB refills); page_walks: extra page-walk references;
 * device_emulation: trapped device accesses, notifications and interrupt
 * delivery on the vCPU; hypervisor_io: the hypervisor's I/O stack on the
 * host's cores and the virtual-disk layer; device_service: disks, arrays,
 * links and remote peers serving the request; queueing: waiting for a vCPU,
 * a core, a queue slot, a disk or a link.
 */
export const BREAKDOWN_KEYS = ['guest', 'vm_exits', 'page_walks', 'device_emulation', 'hypervisor_io', 'device_service', 'queueing'] as const
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number]

export const breakdownSchema = z.strictObject({
  guest: z.number(),
  vm_exits: z.number(),
  page_walks: z.number(),
  device_emulation: z.number(),
  hypervisor_io: z.number(),
  /** Absent in runs stored before service time was told apart from queueing. */
  device_service: z.number().optional(),
  queueing: z.number()
})
export type Breakdown = z.infer<typeof breakdownSchema>

/**
 * One mechanism behind a VM's response time (`hyperlab explain`): how often it
 * happens per operation, what one costs, its share of the response time, and
 * where the cost comes from. Shares of one category sum to that category's
 * `breakdown_pct`; all shares sum to 100.
 */
export const explainItemSchema = z.strictObject({
  mechanism: z.string(),
  category: z.enum(BREAKDOWN_KEYS),
  /** Occurrences per operation (for queueing and service: visits per operation). */
  per_op: z.number(),
  /** Time of one occurrence, µs. */
  cost_us: z.number(),
  /** Hardware VM exits one occurrence takes (0 when none). */
  exits: z.number(),
  share_pct: z.number(),
  /** A catalog citation, `estimate: why`, or `measured` for times the simulation produced. */
  source: z.string()
})
export type ExplainItem = z.infer<typeof explainItemSchema>

/**
 * The noise of a VM's measures in one run: the 95 % half-width of the mean of
 * its sample windows after the warm-up, in % of that mean (batch means; null
 * with fewer than two windows). An overhead smaller than the noise of the
 * two runs it compares cannot be told from zero.
 */
export const noiseSchema = z.strictObject({
  throughput: z.number().nullable(),
  latency_mean: z.number().nullable(),
  latency_p99: z.number().nullable(),
  cpu_per_op: z.number().nullable()
})
export type Noise = z.infer<typeof noiseSchema>

/** The same VM simulated alone on bare metal: what its response time and CPU per operation would be without virtualization. */
export const nativeDetailSchema = z.strictObject({
  latency_mean_ms: z.number().nullable(),
  latency_p99_ms: z.number().nullable(),
  cpu_us_per_op: z.number().nullable(),
  noise_pct: noiseSchema
})
export type NativeDetail = z.infer<typeof nativeDetailSchema>

export const vmResultSchema = z.strictObject({
  throughput_ops_s: z.number(),
  ops: z.number(),
  latency_ms: latencySchema,
  disk: z.strictObject({
    iops: z.number(),
    mb_s: z.number(),
    latency_ms: z.strictObject({ mean: z.number().nullable(), p99: z.number().nullable() })
  }),
  net: z.strictObject({ gbps: z.number(), pps: z.number() }),
  /**
   * vCPU time as a share of the VM's vCPU capacity: the guest's (its page walks included, of which
   * page_walks_pct), the hypervisor's own work for it (exits, emulation, its I/O work), and ready time.
   */
  cpu: z.strictObject({ guest_pct: z.number(), page_walks_pct: z.number().optional(), hypervisor_pct: z.number(), ready_pct: z.number() }),
  /** Techniques the engine resolved for this VM (after `auto`). */
  techniques: z.strictObject({ cpu: z.string(), mmu: z.string() }),
  native_throughput_ops_s: z.number().nullable(),
  overhead_pct: z.number().nullable(),
  /**
   * The overhead split into virtualization tax (the VM alone under its
   * hypervisor vs native) and contention (with its neighbours vs alone), in
   * points of native throughput; the two sum to overhead_pct.
   */
  overhead_split_pct: z.strictObject({ virtualization: z.number(), contention: z.number() }).nullable().optional(),
  breakdown_pct: breakdownSchema,
  /**
   * How the workload's operations arrive: `closed` (clients that wait for each answer, so a slower answer
   * means fewer operations) or `open` (arrivals at a fixed rate whatever the answer takes). Absent in older runs.
   */
  arrival: z.enum(['closed', 'open']).optional(),
  /** CPU time per operation: the guest's work and the hypervisor's for it (on the vCPUs and the host's cores), µs. */
  cpu_us_per_op: z.number().nullable().optional(),
  noise_pct: noiseSchema.optional(),
  /** The native baseline's response time and CPU per operation (null without a baseline; absent in older runs). */
  native: nativeDetailSchema.nullable().optional(),
  /** Hardware VM exits per operation. */
  exits_per_op: z.number().optional(),
  explain: z.array(explainItemSchema).optional()
})
export type VmResult = z.infer<typeof vmResultSchema>

export const hostResultSchema = z.strictObject({
  cpu_pct: z.number(),
  hypervisor_pct: z.number()
})

export const arrayResultSchema = z.strictObject({
  iops: z.number(),
  utilization_pct: z.number(),
  queue_depth: z.number()
})

export const diskResultSchema = z.strictObject({
  iops: z.number(),
  utilization_pct: z.number(),
  queue_depth: z.number(),
  latency_ms: z.strictObject({ mean: z.number().nullable(), p99: z.number().nullable() })
})

/** One pre-copy round of a live migration: what it sent and how long it took. */
export const migrationRoundSchema = z.strictObject({ mb: z.number(), s: z.number() })

/**
 * What a live migration did (docs/model.md §7): its pre-copy rounds (the first copies all memory), what it
 * sent, how long it took from start to resume on the destination, how long the VM was paused, whether the
 * pre-copy converged (else only the stop-and-copy ended it, and `stop_reason` says why it stopped iterating).
 */
export const migrationOutcomeSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  rounds: z.number(),
  mb_sent: z.number(),
  total_s: z.number(),
  downtime_ms: z.number(),
  converged: z.boolean(),
  stop_reason: z.string(),
  /** The stream's measured rate over the pre-copy, and the guest's measured dirty rate, while it ran. */
  bandwidth_gbps: z.number(),
  dirty_mb_s: z.number(),
  round_log: z.array(migrationRoundSchema)
})

/** A storage copy (clone, snapshot consolidation): how much, how much was done by the end, and how long it took (null: unfinished). */
export const copyOutcomeSchema = z.strictObject({ mb: z.number(), mb_done: z.number(), s: z.number().nullable() })

/** A lost path: how the host's VMs reach the array now, and which VMs it concerns. */
export const pathOutcomeSchema = z.strictObject({
  mode: z.enum(['failover', 'redirected', 'stalled', 'restored']),
  vms: z.array(z.string()),
  /** Redirected I/O: the cluster network link it crosses and its speed. */
  via: z.string().optional(),
  gbps: z.number().optional()
})

/**
 * What became of one event of the experiment's timeline, in its order: the event's own fields, whether it
 * ran (`ok`) or was refused (`reason` says why), a sentence for people (`summary`), when it finished
 * (`done_s`: null when still running at the end of the run), and the record of its kind.
 */
export const eventResultSchema = z.looseObject({
  at_s: z.number(),
  do: z.string(),
  ok: z.boolean(),
  reason: z.string().optional(),
  summary: z.string().optional(),
  done_s: z.number().nullable().optional(),
  migration: migrationOutcomeSchema.optional(),
  copy: copyOutcomeSchema.optional(),
  path: pathOutcomeSchema.optional()
})
export type EventResult = z.infer<typeof eventResultSchema>

export const runResultSchema = z.strictObject({
  format: z.literal(RESULT_FORMAT),
  experiment: z.string(),
  seed: z.number(),
  checksum: z.string(),
  sim: z.strictObject({ events: z.number(), wall_ms: z.number(), simulated_s: z.number() }),
  vms: z.record(z.string(), vmResultSchema),
  hosts: z.record(z.string(), hostResultSchema),
  disks: z.record(z.string(), diskResultSchema),
  arrays: z.record(z.string(), arrayResultSchema),
  events: z.array(eventResultSchema)
})
export type RunResult = z.infer<typeof runResultSchema>
