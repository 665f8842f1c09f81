/**
 * A sweep run by `hyperlab worker`s on any number of machines: this side
 * (the coordinator, holding the lab's database) puts one BullMQ job per point
 * and replication on a Redis queue, and stores each run that comes back as
 * an ordinary run of the sweep.
 *
 * Invariants:
 * 1. A job's id is its (sweep, point, replication): enqueuing again (a
 *    resume) adds nothing while the job is still in Redis.
 * 2. A run is stored before its job is removed from Redis, in one SQLite
 *    transaction; one already stored as finished is never stored again. So
 *    every point is in the store exactly once, whatever is delivered twice.
 * 3. A worker that is lost (killed, its machine gone) stops renewing the
 *    lock on its job; the other workers' stalled-job check puts the job back
 *    on the queue and one of them runs it again.
 * 4. Completions are learned from the queue's event stream and, since an
 *    event can be missed (before the stream was read, a dropped connection),
 *    by asking for every outstanding job now and then.
 */
import { Job, Queue, QueueEvents } from 'bullmq'
import { errorMessage } from '../../shared/errors'
import type { ArraySample } from '../../shared/result'
import type { Store } from '../store/store'
import type { ExecutionContext, ExecutionFactory, SweepExecution, SweepItem } from './execution'
import { pointRun } from './points'
import { connection, jobId, pointReplySchema, probeRedis, shownUrl, unpackArraySamples, unpackSamples, type PointJob } from './queue'

export interface DistributedOptions {
  /** redis:// URL of the queue. */
  url: string
  queue: string
  /** How often to ask for every outstanding job (ms; default 5000). */
  reconcileMs?: number
  /** How long to wait for Redis at the start (ms; default 10000). */
  connectTimeoutMs?: number
  /** Lines for the person running the sweep: no worker is connected, and the like. */
  notice?: (message: string) => void
}

export function distributedExecution(store: Store, options: DistributedOptions): ExecutionFactory {
  return (context) => new DistributedSweep(store, options, context)
}

/** Jobs put on the queue per Redis round trip. */
const ENQUEUE_BATCH = 500
/** Outstanding jobs asked about per round trip when reconciling. */
const RECONCILE_BATCH = 200
/** How long closing waits for a Redis that stopped answering. */
const CLOSE_WAIT_MS = 5000

class DistributedSweep implements SweepExecution {
  readonly finished: Promise<void>
  private stopped = false
  private readonly outstanding = new Map<string, SweepItem>()
  private queue: Queue | null = null
  private events: QueueEvents | null = null
  /** Runs are stored one at a time, in the order their ends are learned. */
  private storing: Promise<void> = Promise.resolve()
  private wake: (() => void) | null = null

  constructor(
    private readonly store: Store,
    private readonly options: DistributedOptions,
    private readonly context: ExecutionContext
  ) {
    for (const item of context.items) this.outstanding.set(jobId(context.sweepId, item.point, item.replication), item)
    this.finished = this.run().finally(() => this.close())
  }

  private async run(): Promise<void> {
    const { url, queue: name } = this.options
    await probeRedis(url, this.options.connectTimeoutMs)
    this.queue = new Queue(name, { connection: connection(url, false) })
    this.events = new QueueEvents(name, { connection: connection(url, true) })
    // A connection that fails is retried by the client; the sweep waits for it, except at the start.
    this.queue.on('error', () => undefined)
    this.events.on('error', () => undefined)
    await this.ready()
    this.events.on('completed', ({ jobId: id }) => this.learn(id))
    this.events.on('failed', ({ jobId: id }) => this.learn(id))
    await this.enqueue([...this.outstanding.entries()])
    let lastNotice = 0
    while (!this.stopped && this.outstanding.size > 0) {
      await this.reconcile()
      if (this.stopped || this.outstanding.size === 0) break
      if (Date.now() - lastNotice > 30_000 && (await this.queue.getWorkersCount()) === 0) {
        lastNotice = Date.now()
        this.options.notice?.(
          `no worker is listening on queue "${name}" at ${shownUrl(url)}: start \`hyperlab worker --redis ${shownUrl(url)}${name === 'hyperlab-sweeps' ? '' : ` --queue ${name}`}\` on any machine`
        )
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve
        setTimeout(resolve, this.options.reconcileMs ?? 5000)
      })
      this.wake = null
    }
    await this.storing
  }

  /** Waits until both connections answer, or fails with the reason. */
  private async ready(): Promise<void> {
    const timeout = this.options.connectTimeoutMs ?? 10_000
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cannot reach Redis at ${shownUrl(this.options.url)} (no answer within ${timeout / 1000} s)`)), timeout)
    })
    try {
      await Promise.race([Promise.all([this.queue!.waitUntilReady(), this.events!.waitUntilReady()]), late])
    } catch (err) {
      throw new Error(`cannot use Redis at ${shownUrl(this.options.url)}: ${errorMessage(err)}`)
    } finally {
      clearTimeout(timer)
    }
  }

  private async enqueue(entries: [string, SweepItem][]): Promise<void> {
    for (let i = 0; i < entries.length && !this.stopped; i += ENQUEUE_BATCH) {
      const batch = entries.slice(i, i + ENQUEUE_BATCH)
      await this.queue!.addBulk(
        batch.map(([id, item]) => ({
          name: 'point',
          data: this.jobData(item),
          // Engine failures are final (the worker says so); a lost worker's job comes back through the stalled check.
          opts: { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: false }
        }))
      )
    }
  }

  private jobData(item: SweepItem): PointJob {
    const seed = this.context.seeds[item.replication - 1]!
    return { sweep_id: this.context.sweepId, point: item.point, replication: item.replication, seed, experiment_text: this.context.textOf(item.point) }
  }

  /** Asks for every outstanding job: stores the ended ones, and puts back any Redis lost. */
  private async reconcile(): Promise<void> {
    const ids = [...this.outstanding.keys()]
    const missing: [string, SweepItem][] = []
    for (let i = 0; i < ids.length && !this.stopped; i += RECONCILE_BATCH) {
      const batch = ids.slice(i, i + RECONCILE_BATCH)
      const states = await Promise.all(batch.map((id) => this.queue!.getJobState(id)))
      batch.forEach((id, k) => {
        const state = states[k]
        if (state === 'completed' || state === 'failed') this.learn(id)
        else if (state === 'unknown' && this.outstanding.has(id)) missing.push([id, this.outstanding.get(id)!])
      })
    }
    if (missing.length > 0 && !this.stopped) await this.enqueue(missing)
  }

  /** A job has ended: store its run (in turn with the others). */
  private learn(id: string): void {
    if (!this.outstanding.has(id)) return
    this.storing = this.storing.then(() => this.storeJob(id)).catch((err: unknown) => {
      this.options.notice?.(`could not store the run of job ${id}: ${errorMessage(err)}; it stays in Redis for a resume`)
    })
  }

  private async storeJob(id: string): Promise<void> {
    const item = this.outstanding.get(id)
    if (!item || !this.queue) return
    const job = await Job.fromId(this.queue, id)
    if (!job) return
    const state = await job.getState()
    if (state !== 'completed' && state !== 'failed') return
    const { context } = this
    const ref = { sweepId: context.sweepId, point: item.point, replication: item.replication }
    let name = `point ${item.point}`
    let durationS = 0
    try {
      const experiment = await context.experimentOf(item.point)
      name = experiment.name
      durationS = experiment.duration_s
    } catch {
      // Stored as it came back; the record's name says which point it is.
    }
    const run = pointRun({ experiment_id: context.experimentId, seeds: context.seeds }, { experimentText: context.textOf(item.point), name, durationS }, item.replication)
    if (state === 'completed') {
      const reply = pointReplySchema.safeParse(job.returnvalue)
      let samples = null
      let arrays: ArraySample[] = []
      try {
        samples = reply.success ? unpackSamples(reply.data.samples_gz) : null
        if (reply.success && reply.data.arrays_gz !== undefined) arrays = unpackArraySamples(reply.data.arrays_gz)
      } catch {
        samples = null
      }
      if (reply.success && samples) {
        this.store.sweeps.storeFinishedRun(ref, { run, status: 'done', result: reply.data.result, samples, arrays, wallMs: reply.data.wall_ms, error: null })
      } else {
        this.store.sweeps.storeFinishedRun(ref, { run, status: 'failed', result: null, samples: [], wallMs: null, error: 'the worker sent back a malformed run' })
      }
    } else {
      this.store.sweeps.storeFinishedRun(ref, { run, status: 'failed', result: null, samples: [], wallMs: null, error: job.failedReason || 'the run failed on its worker' })
    }
    this.outstanding.delete(id)
    context.changed()
    // Stored first, removed after: a crash in between leaves a job whose run the store already holds (invariant 2).
    await job.remove().catch(() => undefined)
    if (this.outstanding.size === 0) this.wake?.()
  }

  async stop(how: 'cancel' | 'shutdown'): Promise<void> {
    if (this.stopped) return this.finished.catch(() => undefined)
    this.stopped = true
    this.wake?.()
    if (how === 'cancel' && this.queue) {
      // What waits is taken off the queue; a job a worker holds finishes there and waits in Redis for a resume.
      const ids = [...this.outstanding.keys()]
      for (let i = 0; i < ids.length; i += RECONCILE_BATCH) {
        await Promise.all(
          ids.slice(i, i + RECONCILE_BATCH).map(async (id) => {
            const state = await this.queue!.getJobState(id).catch(() => 'unknown')
            if (state === 'waiting' || state === 'delayed' || state === 'prioritized') await this.queue!.remove(id).catch(() => undefined)
          })
        )
      }
    }
    await this.finished.catch(() => undefined)
  }

  /** Closes both connections; one Redis no longer answers is left behind after a while rather than waited for. */
  private async close(): Promise<void> {
    const closing = Promise.all([this.events?.close(), this.queue?.close()].map((p) => p?.catch(() => undefined)))
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())])
  }
}

/**
 * Takes a sweep's jobs that wait (no worker holds them) off the queue: the
 * cancel of a sweep whose coordinator is gone. Returns how many it removed.
 */
export async function removeWaitingJobs(options: Pick<DistributedOptions, 'url' | 'queue'>, sweepId: string, items: readonly SweepItem[]): Promise<number> {
  await probeRedis(options.url)
  const queue = new Queue(options.queue, { connection: connection(options.url, false) })
  queue.on('error', () => undefined)
  try {
    await queue.waitUntilReady()
    let removed = 0
    for (let i = 0; i < items.length; i += RECONCILE_BATCH) {
      const counts = await Promise.all(
        items.slice(i, i + RECONCILE_BATCH).map(async ({ point, replication }) => {
          const id = jobId(sweepId, point, replication)
          const state = await queue.getJobState(id)
          return state === 'waiting' || state === 'delayed' || state === 'prioritized' ? await queue.remove(id) : 0
        })
      )
      removed += counts.reduce((a: number, b) => a + b, 0)
    }
    return removed
  } finally {
    await queue.close().catch(() => undefined)
  }
}
