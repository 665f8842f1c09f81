/**
 * Sweeps as a use case: start one from experiment text, follow it, cancel
 * it, resume it, and read it back as points with their runs and, per VM and
 * metric, the mean of the replications with its 95 % interval. Where the runs
 * happen is an execution's business (localPool.ts, coordinator.ts); this
 * service records the sweep, hands over what is left to run, and ends the
 * sweep exactly once: done, cancelled, or interrupted (resumable).
 */
import type { Experiment } from '../../shared/experiment'
import { pointDocument } from '../../shared/experiment'
import { errorMessage, LabError, type Issue } from '../../shared/errors'
import { CONFIDENCE } from '../../shared/stats/interval'
import { pointStats, type SweepDetail, type SweepMode, type SweepRecord } from '../../shared/sweeps'
import type { ExperimentReader } from '../reading/reader'
import type { Runner } from '../runner/runner'
import { requireExperiment, requireMemory } from '../services/services'
import type { Store } from '../store/store'
import type { ExecutionFactory, SweepExecution, SweepItem } from './execution'
import { localExecution, Slots } from './localPool'
import { pointsForStore, requirePlan } from './points'

export type SweepEvent = { type: 'progress'; sweep: SweepRecord } | { type: 'ended'; sweep: SweepRecord }

export interface SweepServiceDeps {
  store: Store
  runner: Runner
  reader: ExperimentReader
  /** Runs the lab's local sweeps may have going at once (default: the runner's engine slots). */
  slots?: Slots
}

/** How to run a sweep: its execution, and what the store records of it. */
export interface ExecutionChoice {
  mode: SweepMode
  factory: ExecutionFactory
}

interface Active {
  execution: SweepExecution
  /** How it ends if stopped: set before the execution is told to stop. */
  stopping: 'cancelled' | 'interrupted' | null
  reason: string | null
  done: Promise<SweepRecord>
  /** As it was launched, for reporting an end the store could not record. */
  record: SweepRecord
}

export class SweepService {
  private readonly active = new Map<string, Active>()
  private readonly listeners = new Set<(event: SweepEvent) => void>()
  /** This machine's cores, shared by every local sweep of the lab. */
  readonly local: ExecutionChoice
  private readonly localSlots: Slots

  constructor(private readonly deps: SweepServiceDeps) {
    // As many points at once as the runner has engine slots: a sweep fills the cores the lab may use.
    this.localSlots = deps.slots ?? new Slots(deps.runner.maxConcurrent)
    this.local = { mode: 'local', factory: localExecution(deps.store, deps.runner, this.localSlots) }
  }

  subscribe(listener: (event: SweepEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Reads `text` (sweep included), records the sweep and its points, and starts running them. */
  async start(text: string, how: ExecutionChoice = this.local): Promise<SweepRecord> {
    const { store } = this.deps
    // The engine threads load while the text is read and the sweep recorded (a text that does not read leaves
    // them idle, and they end after a while).
    if (how === this.local) this.deps.runner.prestartThreads(this.localSlots.size)
    const experiment = await requireExperiment(this.deps.reader, text)
    const plan = requirePlan(experiment)
    // The points were checked when the file was read: their documents can run as they are.
    const documents = new Map(plan.points.map((p) => [p.point, pointDocument(experiment, plan, p) as unknown as Experiment]))
    this.requireMemory(plan.points.map((p) => ({ label: `${p.point} (${p.label})`, experiment: documents.get(p.point)! })))
    const saved = store.saveExperiment(text, experiment.name)
    const points = pointsForStore(experiment, plan)
    const record = store.sweeps.create({
      experimentId: saved.id,
      name: experiment.name,
      seed: experiment.seed,
      parameters: plan.parameters.map((p) => ({ path: p.path, values: p.values })),
      seeds: plan.seeds,
      replications: plan.replications,
      mode: how.mode,
      points
    })
    this.launch(record, how, (point) => {
      const doc = documents.get(point)
      return doc ? Promise.resolve(doc) : Promise.reject(new Error(`point ${point} is not in the sweep`))
    })
    return store.sweeps.get(record.id) ?? record
  }

  /** Runs what a sweep that ended (cancelled, interrupted, or done with failures) has not finished. */
  async resume(sweepId: string, how: ExecutionChoice = this.local): Promise<SweepRecord> {
    const { store } = this.deps
    const sweep = this.require(sweepId)
    if (sweep.status === 'running') {
      throw new LabError('conflict', this.active.has(sweepId) ? `sweep "${sweepId}" is running` : `sweep "${sweepId}" is being run by another Hyperlab process`)
    }
    if (!store.sweeps.resume(sweepId, how.mode)) throw new LabError('conflict', `sweep "${sweepId}" was resumed meanwhile`)
    if (how === this.local) this.deps.runner.prestartThreads(this.localSlots.size)
    const record = store.sweeps.get(sweepId)!
    const read = new Map<number, Promise<Experiment>>()
    const texts = new Map(store.sweeps.points(sweepId).map((p) => [p.point, p.experiment_text]))
    this.launch(record, how, (point) => {
      let pending = read.get(point)
      if (!pending) {
        pending = requireExperiment(this.deps.reader, texts.get(point) ?? '')
        read.set(point, pending)
      }
      return pending
    })
    return store.sweeps.get(sweepId) ?? record
  }

  /** Stops a running sweep: its runs in flight end cancelled, the rest wait for a resume. */
  async cancel(sweepId: string): Promise<SweepRecord> {
    const sweep = this.require(sweepId)
    const entry = this.active.get(sweepId)
    if (!entry) {
      throw new LabError(
        'conflict',
        sweep.status === 'running' ? `sweep "${sweepId}" is being run by another Hyperlab process: stop it there` : `sweep "${sweepId}" is ${sweep.status}, so there is nothing to cancel`
      )
    }
    entry.stopping ??= 'cancelled'
    await entry.execution.stop('cancel')
    return entry.done
  }

  /** Resolves with the sweep's record once it has ended (at once when it is not running here). */
  async wait(sweepId: string): Promise<SweepRecord | undefined> {
    const entry = this.active.get(sweepId)
    return entry ? entry.done : this.deps.store.sweeps.get(sweepId)
  }

  isActive(sweepId: string): boolean {
    return this.active.has(sweepId)
  }

  list(limit?: number): SweepRecord[] {
    return this.deps.store.sweeps.list(limit)
  }

  /** The sweep, its points and runs, and per point the statistics of one VM (the first, unless named). */
  detail(sweepId: string, vm?: string): SweepDetail {
    const { sweeps } = this.deps.store
    const sweep = this.require(sweepId)
    const { parameters, seeds } = sweeps.parameters(sweepId)
    const vms = sweeps.vms(sweepId)
    if (vm !== undefined && !vms.includes(vm)) {
      throw new LabError('invalid-request', vms.length > 0 ? `VM "${vm}" is not in this sweep (VMs: ${vms.join(', ')})` : `no run of this sweep has finished yet, so it has no VMs to show`)
    }
    const chosen = vm ?? vms[0] ?? null
    const runs = sweeps.runs(sweepId)
    const values = chosen ? sweeps.metricValues(sweepId, chosen) : []
    return {
      sweep,
      parameters,
      seeds,
      common_random_numbers: true,
      confidence: CONFIDENCE,
      vms,
      vm: chosen,
      points: sweeps.points(sweepId, false).map((p) => ({
        point: p.point,
        label: p.label,
        values: p.values,
        runs: runs.filter((r) => r.point === p.point).map(({ point: _point, ...run }) => run),
        stats: pointStats(values.filter((v) => v.point === p.point).map((v) => v.values))
      }))
    }
  }

  /**
   * Stops every sweep this lab runs, as interrupted (a resume picks them up).
   * The stop is asked at once; the promise settles once their runs have ended.
   */
  shutdown(reason = 'Hyperlab was closed while this sweep was in progress'): Promise<void> {
    const entries = [...this.active.values()]
    for (const entry of entries) {
      entry.stopping ??= 'interrupted'
      entry.reason ??= reason
    }
    return Promise.all(entries.map(async (entry) => {
      await entry.execution.stop('shutdown')
      await entry.done
    })).then(() => undefined)
  }

  /** Refuses, before anything is stored, a sweep with points too big for an engine thread's memory, naming them. */
  private requireMemory(points: { label: string; experiment: Experiment }[]): void {
    const issues: Issue[] = []
    for (const { label, experiment } of points) {
      try {
        requireMemory(experiment, this.deps.runner.memoryBudgetBytes)
      } catch (err) {
        if (!(err instanceof LabError)) throw err
        for (const issue of err.issues ?? []) issues.push({ path: issue.path, message: `at sweep point ${label}: ${issue.message}` })
      }
    }
    if (issues.length > 0) throw new LabError('invalid-experiment', `${issues[0]!.path}: ${issues[0]!.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, issues.slice(0, 100))
  }

  private require(sweepId: string): SweepRecord {
    const sweep = this.deps.store.sweeps.get(sweepId)
    if (!sweep) throw new LabError('not-found', `sweep "${sweepId}" does not exist`)
    return sweep
  }

  private launch(record: SweepRecord, how: ExecutionChoice, experimentOf: (point: number) => Promise<Experiment>): void {
    const { store } = this.deps
    const { seeds } = store.sweeps.parameters(record.id)
    const texts = new Map(store.sweeps.points(record.id).map((p) => [p.point, p.experiment_text]))
    const items: SweepItem[] = store.sweeps.unfinished(record.id)
    const changed = (): void => {
      const now = store.sweeps.get(record.id)
      if (now) this.emit({ type: 'progress', sweep: now })
    }
    const execution = how.factory({
      sweepId: record.id,
      experimentId: record.experiment_id,
      seeds,
      items,
      experimentOf,
      textOf: (point) => texts.get(point) ?? '',
      changed
    })
    const entry: Active = { execution, stopping: null, reason: null, done: Promise.resolve(record), record }
    entry.done = execution.finished.then(
      () => this.end(record.id, entry, null),
      (err: unknown) => this.end(record.id, entry, errorMessage(err))
    )
    this.active.set(record.id, entry)
    changed()
  }

  private end(sweepId: string, entry: Active, failure: string | null): SweepRecord {
    const { store } = this.deps
    this.active.delete(sweepId)
    // An execution that failed (its queue went away) leaves the sweep resumable.
    const status = failure !== null ? 'interrupted' : (entry.stopping ?? 'done')
    const error = failure ?? (status === 'interrupted' ? entry.reason : null)
    let sweep: SweepRecord | undefined
    try {
      store.sweeps.finish(sweepId, status, error)
      sweep = store.sweeps.get(sweepId)
    } catch {
      // The store is closing or locked: the next open marks the sweep interrupted.
    }
    const final = sweep ?? { ...entry.record, status, error, ended_at: new Date().toISOString() }
    this.emit({ type: 'ended', sweep: final })
    return final
  }

  private emit(event: SweepEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A subscriber's failure must not stop the sweep or the other subscribers.
      }
    }
  }
}
