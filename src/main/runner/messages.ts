/**
 * What crosses between the runner and its engine thread. Both sides parse
 * with these schemas: a worker is another execution context, and a boundary
 * is a boundary.
 */
import { MessagePort } from 'node:worker_threads'
import { z } from 'zod'
import { notableEventSchema } from '../../shared/replay'
import { runPaceSchema } from '../../shared/pace'
import { arrayResultSchema, arraySampleSchema, diskResultSchema, eventResultSchema, hostResultSchema, nativeDetailSchema, runResultSchema, sampleSchema, vmResultSchema } from '../../shared/result'
import { validationReportSchema } from '../../shared/validation'
import { BLOCK_SAMPLES, blockProblem } from '../store/sampleBlocks'

export const workerInputSchema = z.strictObject({
  /** The experiment document as a plain value; the worker parses it again. */
  experiment: z.unknown(),
  seed: z.number().int().min(0),
  /** Wall-clock ms between sample batches posted to the runner. */
  batchWallMs: z.number().positive().max(10_000),
  /** Simulated time held to real time × this, or "max": as fast as possible. */
  pace: runPaceSchema,
  /** Kernel events a run may be projected to need before it is stopped. */
  eventBudget: z.number().positive(),
  /** Operations in flight each engine thread may hold (its memory budget; see engine/scenario/memory.ts). */
  maxOpsInFlight: z.number().int().positive(),
  /** The same budget in MB, for the baseline thread's heap limit. */
  memoryMb: z.number().int().positive(),
  /** One Int32 the runner sets to PAUSED or RUNNING; the worker waits on it between slices. */
  control: z.instanceof(SharedArrayBuffer),
  /** Simulate the baselines on this thread too (a sweep's pool runs one thread per run); default: on a second thread. */
  inlineBaselines: z.boolean().optional(),
  /**
   * Threads the main scenario's independent parts may share (this one included); every core when absent, one
   * with `inlineBaselines` (a pool that runs one thread per run).
   */
  threads: z.number().int().min(1).max(256).optional(),
  /** VMs a part gathers (engine PART_VMS when absent): smaller parts, more to share out. Never changes a result. */
  partVms: z.number().int().min(1).optional()
})
export type WorkerInput = z.infer<typeof workerInputSchema>

/** What an engine thread gives the thread it starts for the run's baselines. */
export const baselineInputSchema = z.strictObject({
  role: z.literal('baselines'),
  experiment: z.unknown(),
  seed: z.number().int().min(0),
  control: z.instanceof(SharedArrayBuffer),
  /** Two Float64s the baseline thread keeps current: its progress (0..1), and a count of slices done (a heartbeat). */
  progress: z.instanceof(SharedArrayBuffer),
  /** Kernel events the baselines may be projected to need before they are stopped. */
  eventBudget: z.number().positive(),
  maxOpsInFlight: z.number().int().positive(),
  /** Where it posts its one answer. */
  port: z.instanceof(MessagePort)
})

export const baselineMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('baselines'),
    native: z.record(z.string(), z.number()),
    alone: z.record(z.string(), z.number()),
    nativeDetail: z.record(z.string(), nativeDetailSchema),
    events: z.number()
  }),
  z.strictObject({ type: z.literal('failed'), message: z.string() })
])

/** What an engine thread gives a thread it starts for some of the main scenario's independent parts. */
export const partsInputSchema = z.strictObject({
  role: z.literal('parts'),
  experiment: z.unknown(),
  seed: z.number().int().min(0),
  /** Indexes of the parts (engine partitionExperiment) this thread simulates. */
  parts: z.array(z.number().int().min(0)).min(1),
  control: z.instanceof(SharedArrayBuffer),
  /** Three Float64s the thread keeps current: simulated seconds all its parts reached, slices done (a heartbeat), events. */
  progress: z.instanceof(SharedArrayBuffer),
  eventBudget: z.number().positive(),
  maxOpsInFlight: z.number().int().positive(),
  batchWallMs: z.number().positive().max(10_000),
  partVms: z.number().int().min(1).optional(),
  port: z.instanceof(MessagePort)
})

/** What one finished part contributes to the run's summary (engine PartSummary). */
export const partSummarySchema = z.strictObject({
  vms: z.array(z.strictObject({ id: z.string(), result: vmResultSchema, throughput: z.number() })),
  hosts: z.array(z.strictObject({ id: z.string(), result: hostResultSchema })),
  disks: z.array(z.strictObject({ host: z.string(), key: z.string(), result: diskResultSchema })),
  arrays: z.array(z.strictObject({ id: z.string(), result: arrayResultSchema })),
  outcomes: z.array(z.strictObject({ index: z.number().int().min(0), outcome: eventResultSchema })),
  simulated_s: z.number(),
  events: z.number(),
  clock_events: z.number()
})

export const partsMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('samples'), samples: z.array(sampleSchema), events: z.array(notableEventSchema), arrays: z.array(arraySampleSchema) }),
  z.strictObject({ type: z.literal('parts'), summaries: z.array(partSummarySchema), events: z.number() }),
  z.strictObject({ type: z.literal('failed'), message: z.string() })
])
export type PartsMessage = z.infer<typeof partsMessageSchema>

/**
 * A block of samples as an engine thread posts it, its buffer transferred. Checked whole, as the shared sample
 * schema would check each sample (store/sampleBlocks.ts blockProblem), on its arrays instead of per object.
 */
export const sampleBlockSchema = z
  .strictObject({
    count: z.number().int().min(0).max(BLOCK_SAMPLES),
    vms: z.array(z.string()),
    data: z.instanceof(ArrayBuffer)
  })
  .superRefine((block, ctx) => {
    const problem = blockProblem(block)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, path: ['data'] })
  })

/** Values of the shared control word. */
export const RUNNING = 0
export const PAUSED = 1

export const workerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('batch'),
    /** The stretch's samples, packed by the engine thread (store/sampleBlocks.ts). */
    blocks: z.array(sampleBlockSchema),
    /** Notable moments of the same stretch of simulated time. */
    events: z.array(notableEventSchema),
    /** The SAN arrays' samples of the same windows. */
    arrays: z.array(arraySampleSchema),
    /** Simulated time reached ÷ the run's duration: the one progress figure shown everywhere. */
    progress: z.number().min(0).max(1),
    simulated_s: z.number()
  }),
  z.strictObject({ type: z.literal('done'), result: runResultSchema }),
  z.strictObject({ type: z.literal('failed'), message: z.string() }),
  /** The run is held paused: everything simulated before the pause has been posted, and the thread waits. */
  z.strictObject({ type: z.literal('held') })
])
export type WorkerMessage = z.infer<typeof workerMessageSchema>

/** What an engine thread in its validation role posts: progress through the published cases, then the report. */
export const validationMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('progress'), done: z.number().int().min(0), total: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('report'), report: validationReportSchema }),
  z.strictObject({ type: z.literal('failed'), message: z.string() })
])
export type ValidationMessage = z.infer<typeof validationMessageSchema>
