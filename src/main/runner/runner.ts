/**
 * Runs experiments on engine threads, one worker per run. Each sample batch
 * a worker posts is appended to the store in one transaction and then
 * forwarded to subscribers (the UI's charts, the CLI's progress line). A run
 * ends exactly once: done, failed, cancelled, or interrupted when its worker
 * dies without finishing.
 */
import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import type { RunRecord } from '../../shared/contract'
import { errorMessage } from '../../shared/errors'
import type { Experiment } from '../../shared/experiment'
import type { RunResult, Sample } from '../../shared/result'
import type { Store } from '../store/store'
import { PAUSED, RUNNING, workerMessageSchema, type WorkerInput } from './messages'

export type RunnerEvent =
  | { type: 'progress'; runId: string; progress: number; simulatedS: number }
  | { type: 'samples'; runId: string; samples: Sample[] }
  | { type: 'paused'; runId: string; paused: boolean }
  | { type: 'ended'; run: RunRecord; result: RunResult | null }

export interface RunnerOptions {
  /** The built worker script (out/main/worker.js). */
  workerPath?: string
  /** Wall-clock ms between sample batches. */
  batchWallMs?: number
  /** Kernel events a run may be projected to need (default 10¹⁰, tens of minutes). */
  eventBudget?: number
}

interface ActiveRun {
  worker: Worker
  control: Int32Array
  nextSeq: number
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

  constructor(
    private readonly store: Store,
    options: RunnerOptions = {}
  ) {
    this.workerPath = options.workerPath ?? join(__dirname, 'worker.js')
    this.batchWallMs = options.batchWallMs ?? 100
    this.eventBudget = options.eventBudget ?? 1e10
  }

  subscribe(listener: (event: RunnerEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  isActive(runId: string): boolean {
    return this.active.has(runId)
  }

  /** Starts `run` (already stored as `running`) on a new worker. */
  start(run: RunRecord, experiment: Experiment): void {
    const { worker, control } = this.spawn(experiment, run.seed, this.batchWallMs)
    let resolve!: (r: RunRecord) => void
    const finished = new Promise<RunRecord>((r) => (resolve = r))
    const entry: ActiveRun = {
      worker,
      control,
      nextSeq: 0,
      cancelRequested: false,
      stopReason: null,
      ended: false,
      started: Date.now(),
      finished,
      resolve
    }
    this.active.set(run.id, entry)

    worker.on('message', (raw: unknown) => this.onMessage(run.id, entry, raw))
    worker.on('error', (err) => this.end(run.id, entry, 'failed', null, `engine error: ${err.message}`))
    worker.on('exit', () => {
      if (entry.cancelRequested) this.end(run.id, entry, 'cancelled', null, null)
      else this.end(run.id, entry, 'interrupted', null, entry.stopReason ?? 'the engine thread stopped before the run finished')
    })
  }

  /** Pauses or resumes an active run; false when the run is not active. */
  setPaused(runId: string, paused: boolean): boolean {
    const entry = this.active.get(runId)
    if (!entry) return false
    Atomics.store(entry.control, 0, paused ? PAUSED : RUNNING)
    Atomics.notify(entry.control, 0)
    this.emit({ type: 'paused', runId, paused })
    return true
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
    // Nobody watches a check's progress: one batch every 10 s at most.
    const { worker } = this.spawn(experiment, seed, 10_000)
    this.checks.add(worker)
    return new Promise<RunResult>((resolve, reject) => {
      worker.on('message', (raw: unknown) => {
        const msg = workerMessageSchema.safeParse(raw)
        if (!msg.success) {
          void worker.terminate()
          return reject(new Error('the engine thread sent a malformed message'))
        }
        if (msg.data.type === 'done') resolve(msg.data.result)
        else if (msg.data.type === 'failed') reject(new Error(msg.data.message))
      })
      worker.on('error', reject)
      worker.on('exit', () => {
        this.checks.delete(worker)
        reject(new Error('the engine thread stopped before the run finished'))
      })
    })
  }

  /** A new engine thread for `experiment`, and the pause flag it waits on. */
  private spawn(experiment: Experiment, seed: number, batchWallMs: number): { worker: Worker; control: Int32Array } {
    const control = new SharedArrayBuffer(4)
    const input: WorkerInput = { experiment, seed, batchWallMs, eventBudget: this.eventBudget, control }
    return { worker: new Worker(this.workerPath, { workerData: input }), control: new Int32Array(control) }
  }

  /** Stops a run; resolves with its final record. */
  async cancel(runId: string): Promise<RunRecord | undefined> {
    const entry = this.active.get(runId)
    if (!entry) return this.store.getRun(runId)
    entry.cancelRequested = true
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
    await Promise.all([...this.checks].map((w) => w.terminate()))
    await Promise.all(entries.map(async (entry) => {
      await entry.worker.terminate()
      await entry.finished
    }))
  }

  private onMessage(runId: string, entry: ActiveRun, raw: unknown): void {
    if (entry.ended) return
    const parsed = workerMessageSchema.safeParse(raw)
    if (!parsed.success) {
      void entry.worker.terminate()
      this.end(runId, entry, 'failed', null, 'the engine thread sent a malformed message')
      return
    }
    const msg = parsed.data
    switch (msg.type) {
      case 'batch':
        if (msg.samples.length > 0) {
          try {
            this.store.appendSamples(runId, entry.nextSeq, msg.samples, msg.progress)
          } catch (err) {
            // The disk is full or the database is locked: stop here, keep what is committed.
            void entry.worker.terminate()
            this.end(runId, entry, 'failed', null, `could not store samples: ${errorMessage(err)}`)
            return
          }
          entry.nextSeq += msg.samples.length
          this.emit({ type: 'samples', runId, samples: msg.samples })
        }
        this.emit({ type: 'progress', runId, progress: msg.progress, simulatedS: msg.simulated_s })
        break
      case 'done':
        this.end(runId, entry, 'done', msg.result, null)
        break
      case 'failed':
        this.end(runId, entry, 'failed', null, msg.message)
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
    if (status !== 'cancelled' && status !== 'interrupted') void entry.worker.terminate()
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
      error: null
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
