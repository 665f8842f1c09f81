/**
 * Runs experiments on engine threads, one worker per run. Each sample batch
 * a worker posts is appended to the store in one transaction and then
 * forwarded to subscribers (the UI's charts, the CLI's progress line). A run
 * ends exactly once: done, failed, cancelled, or interrupted when its worker
 * dies without finishing.
 *
 * At most `maxConcurrent` engine jobs (runs and re-simulations) run at once,
 * by default one per core; later runs wait `queued`, in the order started,
 * and start as slots free. Each engine thread gets a memory budget: a heap
 * limit, and a bound on operations in flight derived from engine/scenario/memory.ts,
 * so a run that still outgrows its estimate fails `out of memory` alone.
 * A run runs on one of the runner's long-lived engine threads (enginePool.ts),
 * a sweep's and a single run's alike, and leaves it to the next run when it
 * ends on its own: a run does not pay for starting a thread and compiling the
 * engine. A thread whose run is cancelled, crashes or runs out of memory is
 * ended, and the next run gets a new one.
 */
import { Worker } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import type { RunRecord } from '../../shared/contract'
import { errorMessage } from '../../shared/errors'
import type { Experiment } from '../../shared/experiment'
import type { ArraySample, RunResult, Sample } from '../../shared/result'
import type { StoredRunEvent } from '../store/events'
import type { Store } from '../store/store'
import { BLOCK_SAMPLES, totalCount, unpackBlocks } from '../store/sampleBlocks'
import { EngineThreadPool } from './enginePool'
import { engineThreadInput, spawnEngineThread, type EngineThreadJob } from './engineThread'
import { PAUSED, RUNNING, validationMessageSchema, workerMessageSchema } from './messages'
import type { ValidationReport } from '../../shared/validation'
import type { RunPace } from '../../shared/pace'

export type RunnerEvent =
  | { type: 'progress'; runId: string; progress: number; simulatedS: number }
  | { type: 'samples'; runId: string; samples: Sample[]; arrays: ArraySample[] }
  | { type: 'paused'; runId: string; paused: boolean }
  | { type: 'started'; run: RunRecord }
  | { type: 'ended'; run: RunRecord; result: RunResult | null }
  /** Notable events of a run, as they were stored (from the engine, or paused/resumed). */
  | { type: 'events'; runId: string; events: StoredRunEvent[] }

export interface RunnerOptions {
  /** The built worker script (out/main/worker.js). */
  workerPath?: string
  /** Wall-clock ms between sample batches. */
  batchWallMs?: number
  /** Kernel events a run may be projected to need (default 10¹⁰, tens of minutes). */
  eventBudget?: number
  /** Engine jobs (runs and re-simulations) at once; default one per core. */
  maxConcurrent?: number
  /** Memory each engine thread may use, bytes (default 2 GiB). */
  memoryBudgetBytes?: number
}

export const DEFAULT_MEMORY_BUDGET_BYTES = 2 * 2 ** 30

/** How a run is carried out. */
interface RunOptions {
  /** One thread does the run and its baselines (same result). */
  inlineBaselines: boolean
  pace: RunPace
}

/** A run waiting for a slot, or a re-simulation waiting for one. */
type Waiting = { kind: 'run'; run: RunRecord; experiment: Experiment; entry: ActiveRun; options: RunOptions } | { kind: 'check'; start: () => void }

interface ActiveRun {
  /** Null while the run is queued. */
  worker: Worker | null
  /** The thread posted the run's last message (done or failed) and can take another: it is given back to the pool. */
  threadFree: boolean
  /** Takes the run's listeners off its thread (a pooled thread outlives the run). */
  detach: () => void
  control: Int32Array
  /** The thread said it stopped for the pause in `control` (cleared when the pause is set or lifted). */
  held: boolean
  nextSeq: number
  /** Simulated ms the run has reached (as of its last batch): where a pause is put on its timeline. */
  simulatedMs: number
  cancelRequested: boolean
  /** Set when the app quits: the run ends `interrupted` with this reason. */
  stopReason: string | null
  ended: boolean
  started: number
  finished: Promise<RunRecord>
  resolve: (run: RunRecord) => void
}

export class Runner {
  private readonly active = new Map<string, ActiveRun>()
  /** Re-simulations in progress (they store nothing, but must stop when the app quits). */
  private readonly checks = new Set<Worker>()
  private readonly listeners = new Set<(event: RunnerEvent) => void>()
  private readonly workerPath: string
  private readonly batchWallMs: number
  private readonly eventBudget: number
  readonly maxConcurrent: number
  readonly memoryBudgetBytes: number
  /** Engine jobs holding a slot now. */
  private slotsInUse = 0
  private readonly waiting: Waiting[] = []
  /** Long-lived engine threads that take the runs in turn. */
  private readonly pool: EngineThreadPool

  constructor(
    private readonly store: Store,
    options: RunnerOptions = {}
  ) {
    this.workerPath = options.workerPath ?? join(__dirname, 'worker.js')
    this.batchWallMs = options.batchWallMs ?? 100
    this.eventBudget = options.eventBudget ?? 1e10
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? availableParallelism())
    this.memoryBudgetBytes = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES
    // As many idle threads as slots: a sweep that ends leaves them warm for the next, for half a minute.
    this.pool = new EngineThreadPool(this.workerPath, this.memoryBudgetBytes, { keep: this.maxConcurrent, idleMs: 30_000 })
  }

  subscribe(listener: (event: RunnerEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Starts engine threads for `runs` runs about to come (a sweep's), so they load meanwhile; at most one per slot. */
  prestartThreads(runs: number): void {
    this.pool.prestart(Math.min(runs, this.maxConcurrent))
  }

  /** Whether a run started now would start at once (not wait `queued`). */
  hasFreeSlot(): boolean {
    return this.slotsInUse < this.maxConcurrent && this.waiting.length === 0
  }

  isActive(runId: string): boolean {
    return this.active.has(runId)
  }

  /**
   * Starts `run` on a new worker, or queues it when every slot is taken: a
   * run stored as `queued` starts in order as slots free (the store records
   * `running` then, and subscribers get `started`). With `inlineBaselines`,
   * one thread does the run and its baselines (same result): a sweep's pool
   * keeps one thread per slot. The thread is a long-lived one of the pool,
   * reused by the next run (same result as a new thread).
   */
  start(run: RunRecord, experiment: Experiment, options: { inlineBaselines?: boolean; pace?: RunPace } = {}): void {
    let resolve!: (r: RunRecord) => void
    const finished = new Promise<RunRecord>((r) => (resolve = r))
    const entry: ActiveRun = {
      worker: null,
      threadFree: false,
      detach: () => undefined,
      control: new Int32Array(new SharedArrayBuffer(4)),
      held: false,
      nextSeq: 0,
      simulatedMs: 0,
      cancelRequested: false,
      stopReason: null,
      ended: false,
      started: Date.now(),
      finished,
      resolve
    }
    this.active.set(run.id, entry)
    const runOptions: RunOptions = { inlineBaselines: options.inlineBaselines === true, pace: options.pace ?? 'max' }
    if (run.status === 'queued' || this.slotsInUse >= this.maxConcurrent) {
      this.waiting.push({ kind: 'run', run, experiment, entry, options: runOptions })
      return
    }
    this.launch(run, entry, experiment, runOptions)
  }

  /** Runs the job on a pooled engine thread in a slot of its own. */
  private launch(run: RunRecord, entry: ActiveRun, experiment: Experiment, options: RunOptions): void {
    const runId = run.id
    this.slotsInUse++
    entry.started = Date.now()
    const job = this.job(experiment, run.seed, this.batchWallMs, entry.control, options.inlineBaselines, options.pace)
    const worker = this.pool.take()
    entry.worker = worker
    const onMessage = (raw: unknown): void => this.onMessage(runId, entry, raw)
    const onError = (err: Error & { code?: string }): void => {
      const why =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `out of memory: the engine thread passed its ${Math.round(this.memoryBudgetBytes / 2 ** 20)} MB`
          : `engine error: ${err.message}`
      this.end(runId, entry, 'failed', null, why)
    }
    const onExit = (): void => {
      if (entry.cancelRequested) this.end(runId, entry, 'cancelled', null, null)
      else this.end(runId, entry, 'interrupted', null, entry.stopReason ?? 'the engine thread stopped before the run finished')
    }
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
    entry.detach = () => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
    }
    worker.postMessage(engineThreadInput(job))
  }

  /** Gives a freed slot to the next waiting job. */
  private release(): void {
    this.slotsInUse = Math.max(0, this.slotsInUse - 1)
    while (this.slotsInUse < this.maxConcurrent && this.waiting.length > 0) {
      const next = this.waiting.shift()!
      if (next.kind === 'check') {
        next.start()
        continue
      }
      if (next.entry.ended) continue
      let started: RunRecord | undefined
      try {
        started = this.store.markRunning(next.run.id)
      } catch (err) {
        this.end(next.run.id, next.entry, 'failed', null, `could not start the queued run: ${errorMessage(err)}`)
        continue
      }
      this.launch(next.run, next.entry, next.experiment, next.options)
      this.emit({ type: 'started', run: started ?? { ...next.run, status: 'running' } })
    }
  }

  /** Pauses or resumes an active run; false when the run is not active (or still queued). */
  setPaused(runId: string, paused: boolean): boolean {
    const entry = this.active.get(runId)
    if (!entry || entry.worker === null) return false
    Atomics.store(entry.control, 0, paused ? PAUSED : RUNNING)
    Atomics.notify(entry.control, 0)
    entry.held = false
    this.emit({ type: 'paused', runId, paused })
    const event: StoredRunEvent = { t_ms: entry.simulatedMs, kind: paused ? 'paused' : 'resumed', subject: 'run', value: null }
    try {
      this.store.addRunEvent(runId, event)
      this.emit({ type: 'events', runId, events: [event] })
    } catch {
      // A locked database costs the timeline this mark, not the pause itself.
    }
    return true
  }

  /** Whether the run's engine thread has stopped for a pause: every sample simulated before it has arrived. */
  isHeld(runId: string): boolean {
    return this.active.get(runId)?.held === true
  }

  isPaused(runId: string): boolean {
    const entry = this.active.get(runId)
    return entry ? Atomics.load(entry.control, 0) === PAUSED : false
  }

  /**
   * Simulates an experiment again on a worker without storing anything, and
   * resolves with its result: the check that a stored run is reproducible.
   */
  resimulate(experiment: Experiment, seed: number): Promise<RunResult> {
    return new Promise<RunResult>((resolve, reject) => {
      const start = (): void => {
        this.slotsInUse++
        // Nobody watches a check's progress: one batch every 10 s at most.
        const worker = this.spawn(experiment, seed, 10_000, new Int32Array(new SharedArrayBuffer(4)))
        this.checks.add(worker)
        let settled = false
        const settle = (fn: () => void): void => {
          if (settled) return
          settled = true
          fn()
        }
        worker.on('message', (raw: unknown) => {
          const msg = workerMessageSchema.safeParse(raw)
          if (!msg.success) {
            void worker.terminate()
            return settle(() => reject(new Error('the engine thread sent a malformed message')))
          }
          if (msg.data.type === 'done') settle(() => resolve(msg.data.type === 'done' ? msg.data.result : (undefined as never)))
          else if (msg.data.type === 'failed') {
            const message = msg.data.message
            settle(() => reject(new Error(message)))
          }
        })
        worker.on('error', (err) => settle(() => reject(err)))
        worker.on('exit', () => {
          this.checks.delete(worker)
          this.release()
          settle(() => reject(new Error('the engine thread stopped before the run finished')))
        })
      }
      if (this.slotsInUse < this.maxConcurrent) start()
      else this.waiting.push({ kind: 'check', start })
    })
  }

  /**
   * Runs the published cases on an engine thread (they take seconds: never on the thread that answers the UI);
   * `onProgress` hears how many of them are done.
   */
  validate(onProgress?: (done: number, total: number) => void): Promise<ValidationReport> {
    const worker = new Worker(this.workerPath, { workerData: { role: 'validation' } })
    this.checks.add(worker)
    return new Promise<ValidationReport>((resolve, reject) => {
      worker.on('message', (raw: unknown) => {
        const msg = validationMessageSchema.safeParse(raw)
        if (!msg.success) {
          void worker.terminate()
          return reject(new Error('the engine thread sent a malformed message'))
        }
        if (msg.data.type === 'progress') onProgress?.(msg.data.done, msg.data.total)
        else if (msg.data.type === 'report') resolve(msg.data.report)
        else reject(new Error(msg.data.message))
      })
      worker.on('error', reject)
      worker.on('exit', () => {
        this.checks.delete(worker)
        reject(new Error('the engine thread stopped before the published cases were run'))
      })
    })
  }

  /** A new engine thread for `experiment`, pausing on `control`, within the memory budget. */
  private spawn(experiment: Experiment, seed: number, batchWallMs: number, control: Int32Array): Worker {
    return spawnEngineThread(this.workerPath, this.job(experiment, seed, batchWallMs, control, false, 'max'))
  }

  /** What an engine thread is given for a run of `experiment`, pausing on `control`, within the memory budget. */
  private job(experiment: Experiment, seed: number, batchWallMs: number, control: Int32Array, inlineBaselines: boolean, pace: RunPace): EngineThreadJob {
    return {
      experiment,
      seed,
      batchWallMs,
      pace,
      eventBudget: this.eventBudget,
      memoryBudgetBytes: this.memoryBudgetBytes,
      control: control.buffer as SharedArrayBuffer,
      inlineBaselines
    }
  }

  /** Stops a run (or takes it off the queue); resolves with its final record. */
  async cancel(runId: string): Promise<RunRecord | undefined> {
    const entry = this.active.get(runId)
    if (!entry) return this.store.getRun(runId)
    entry.cancelRequested = true
    if (entry.worker === null) {
      this.end(runId, entry, 'cancelled', null, null)
      return entry.finished
    }
    await entry.worker.terminate()
    return entry.finished
  }

  /** Resolves when the run ends (immediately when it is not active). */
  async wait(runId: string): Promise<RunRecord | undefined> {
    const entry = this.active.get(runId)
    return entry ? entry.finished : this.store.getRun(runId)
  }

  /** Stops every active run as `interrupted`; used when the app quits. */
  async shutdown(reason = 'Hyperlab was closed while this run was in progress'): Promise<void> {
    const entries = [...this.active.values()]
    for (const entry of entries) entry.stopReason = reason
    this.waiting.splice(0).forEach((w) => {
      if (w.kind === 'run') this.end(w.run.id, w.entry, 'interrupted', null, reason)
    })
    await Promise.all([...this.checks].map((w) => w.terminate()))
    await Promise.all(
      entries.map(async (entry) => {
        await entry.worker?.terminate()
        await entry.finished
      })
    )
    await this.pool.close()
  }

  private onMessage(runId: string, entry: ActiveRun, raw: unknown): void {
    if (entry.ended) return
    const parsed = workerMessageSchema.safeParse(raw)
    if (!parsed.success) {
      void entry.worker?.terminate()
      this.end(runId, entry, 'failed', null, 'the engine thread sent a malformed message')
      return
    }
    const msg = parsed.data
    switch (msg.type) {
      case 'batch':
        entry.simulatedMs = msg.simulated_s * 1000
        const count = totalCount(msg.blocks)
        if (count > 0 || msg.events.length > 0 || msg.arrays.length > 0) {
          try {
            this.store.appendSampleBlocks(runId, entry.nextSeq, msg.blocks, msg.progress, msg.events, msg.arrays)
          } catch (err) {
            // The disk is full or the database is locked: stop here, keep what is committed.
            void entry.worker?.terminate()
            this.end(runId, entry, 'failed', null, `could not store samples: ${errorMessage(err)}`)
            return
          }
          entry.nextSeq += count
          // Unpacked only for someone to hear them (a window's live charts, the CLI).
          if ((count > 0 || msg.arrays.length > 0) && this.listeners.size > 0) this.emit({ type: 'samples', runId, samples: unpackBlocks(msg.blocks), arrays: msg.arrays })
          if (msg.events.length > 0) this.emit({ type: 'events', runId, events: msg.events })
        }
        this.emit({ type: 'progress', runId, progress: msg.progress, simulatedS: msg.simulated_s })
        break
      case 'done':
        entry.threadFree = true
        this.end(runId, entry, 'done', msg.result, null)
        break
      case 'failed':
        entry.threadFree = true
        this.end(runId, entry, 'failed', null, msg.message)
        break
      case 'held':
        // Only if the run is still paused: a resume may have overtaken the message.
        entry.held = Atomics.load(entry.control, 0) === PAUSED
        break
    }
  }

  private end(
    runId: string,
    entry: ActiveRun,
    status: 'done' | 'failed' | 'cancelled' | 'interrupted',
    result: RunResult | null,
    error: string | null
  ): void {
    if (entry.ended) return
    entry.ended = true
    this.active.delete(runId)
    if (entry.worker !== null) {
      entry.detach()
      // A thread that ended the run itself takes the next run; any other is ended (a new run gets a new one).
      if (entry.threadFree && this.pool.owns(entry.worker)) this.pool.giveBack(entry.worker)
      else if (status !== 'cancelled' && status !== 'interrupted') void entry.worker.terminate()
      this.release()
    }
    let run: RunRecord | undefined
    try {
      this.store.finishRun(runId, { status, wallMs: Date.now() - entry.started, result, error })
      run = this.store.getRun(runId)
    } catch (err) {
      // The end could not be written; the run stays `running` in the file and is
      // marked interrupted at the next start. Callers still learn how it ended.
      run = undefined
      error = `${error ? `${error}; ` : ''}could not record the end of the run: ${errorMessage(err)}`
    }
    const final: RunRecord = run ?? {
      ...this.lastKnown(runId),
      status,
      error,
      ended_at: new Date().toISOString()
    }
    // Its samples no longer change: the overview that draws a long run fast can be made now. A run of at most one
    // block of samples gets it when first drawn instead (services/runs.ts), where that takes about a millisecond:
    // a sweep of many short runs, most never drawn one by one, does not spend the main thread on it per run.
    if (entry.nextSeq > BLOCK_SAMPLES) {
      try {
        this.store.buildSampleOverview(runId)
      } catch {
        // Locked or full: it is made when the run is next drawn.
      }
    }
    this.emit({ type: 'ended', run: final, result: run ? result : null })
    entry.resolve(final)
  }

  /** The run's record as far as the store can still read it, for reporting an end it could not write. */
  private lastKnown(runId: string): RunRecord {
    const fallback: RunRecord = {
      id: runId,
      experiment_id: '',
      experiment_name: '',
      status: 'running',
      seed: 0,
      duration_s: 0,
      created_at: new Date().toISOString(),
      ended_at: null,
      wall_ms: null,
      progress: 0,
      checksum: null,
      error: null,
      version: null,
      app_version: null
    }
    try {
      return this.store.getRun(runId) ?? fallback
    } catch {
      return fallback
    }
  }

  private emit(event: RunnerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A subscriber's failure must not stop the run or the other subscribers.
      }
    }
  }
}
