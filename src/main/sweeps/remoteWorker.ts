/**
 * `hyperlab worker`: takes sweep points from a Redis queue and runs them on
 * this machine's cores, one engine thread per point at once (long-lived
 * threads that take the points in turn), and hands each run back
 * through the queue to the coordinator that stores it. Start one on every
 * machine that should help; they share the work.
 *
 * A point that cannot run (its experiment is refused here, the engine stops
 * it) fails for good, with the reason, and is stored as a failed run. A
 * worker that dies leaves its points locked until the lock runs out
 * (`lostAfterMs`); the other workers then put them back on the queue.
 */
import { hostname } from 'node:os'
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import { errorMessage, formatIssues } from '../../shared/errors'
import { ExperimentReader } from '../reading/reader'
import { EngineThreadPool } from '../runner/enginePool'
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../runner/runner'
import { requireMemory } from '../services/services'
import { EngineFailure, runOnEngineThread, type EngineJob } from './engineJob'
import { connection, packArraySamples, packSamples, pointJobSchema, probeRedis, shownUrl, type PointReply } from './queue'

export interface WorkerOptions {
  url: string
  queue: string
  /** Points run at once (default: one per core). */
  concurrency: number
  /** How long a silent worker keeps its points before others take them (ms; default 30000). */
  lostAfterMs?: number
  readerPath: string
  workerPath: string
  /** Memory each engine thread may use (HYPERLAB_RUN_MEMORY_MB; default the runner's). */
  memoryBudgetBytes?: number
  log: (line: string) => void
}

export interface RunningWorker {
  /** Stops taking points; resolves once the points in hand are done (or at once with `now`). */
  close(now?: boolean): Promise<void>
  readonly closed: Promise<void>
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  await probeRedis(options.url)
  const reader = new ExperimentReader({ threadPath: options.readerPath })
  const inHand = new Set<EngineJob>()
  const lostAfter = options.lostAfterMs ?? 30_000
  const me = `${hostname()}:${process.pid}`
  // Each engine thread gets the memory the lab's runs get here (HYPERLAB_RUN_MEMORY_MB).
  const memoryBudget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES
  // One thread per point in hand, kept between points while the queue is busy.
  const pool = new EngineThreadPool(options.workerPath, memoryBudget, { keep: options.concurrency, idleMs: 30_000 })

  const runPoint = async (job: Job): Promise<PointReply> => {
    const data = pointJobSchema.safeParse(job.data)
    if (!data.success) throw new UnrecoverableError('the job is not a Hyperlab sweep point (malformed data)')
    const { sweep_id, point, replication, seed } = data.data
    const what = `sweep ${sweep_id.slice(0, 8)} point ${point} replication ${replication}`
    options.log(`${what}: started`)
    const parsed = await reader.read(data.data.experiment_text)
    if (!parsed.ok) throw new UnrecoverableError(`this worker refuses the point's experiment: ${formatIssues(parsed.issues)}`)
    try {
      requireMemory(parsed.experiment, memoryBudget)
    } catch (err) {
      throw new UnrecoverableError(`this worker cannot run it: ${errorMessage(err)}`)
    }
    const engine = runOnEngineThread(pool, { ...parsed.experiment, seed }, seed, memoryBudget)
    inHand.add(engine)
    try {
      const { result, samples, arrays } = await engine.finished
      options.log(`${what}: done, checksum ${result.checksum}`)
      return { result, samples_gz: packSamples(samples), arrays_gz: packArraySamples(arrays), wall_ms: result.sim.wall_ms, worker: me }
    } catch (err) {
      options.log(`${what}: failed: ${errorMessage(err)}`)
      // The engine's verdict is the same on any machine: no retry. Anything else (this worker stopping) may be retried.
      if (err instanceof EngineFailure) throw new UnrecoverableError(err.message)
      throw err
    } finally {
      inHand.delete(engine)
    }
  }

  const worker = new Worker(options.queue, runPoint, {
    connection: connection(options.url, true),
    concurrency: options.concurrency,
    lockDuration: lostAfter,
    stalledInterval: Math.max(1000, Math.floor(lostAfter / 2)),
    // A point whose worker is lost is run again; one that loses three workers fails with the reason.
    maxStalledCount: 3,
    autorun: false,
    name: me
  })
  worker.on('error', (err) => options.log(`queue: ${errorMessage(err)}`))
  await worker.waitUntilReady()
  void worker.run()
  options.log(`listening on queue "${options.queue}" at ${shownUrl(options.url)}, ${options.concurrency} point${options.concurrency === 1 ? '' : 's'} at a time`)

  let closing: Promise<void> | null = null
  let resolveClosed!: () => void
  const closed = new Promise<void>((r) => (resolveClosed = r))
  return {
    closed,
    close(now = false) {
      if (now) {
        // Points in hand are abandoned: their locks run out and other workers take them.
        for (const engine of inHand) void engine.stop()
      }
      closing ??= worker
        .close(now)
        .catch(() => undefined)
        .then(() => Promise.all([reader.close(), pool.close()]))
        .then(resolveClosed)
      return closing
    }
  }
}
