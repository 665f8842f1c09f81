/**
 * A sweep on this machine: its points are ordinary runs on the runner, at
 * most one per core at a time across every sweep of the lab (the slots are
 * shared), each run on one thread with its baselines, so a pool of N slots
 * keeps N cores busy. Runs are stored as they go, like any run, and carry
 * their point and replication.
 *
 * Invariants:
 * 1. A slot is held from just before a run is created until it has ended.
 * 2. Once stopped, no run starts; `finished` settles after the runs in flight end.
 * 3. An item whose finished run is already stored is skipped, never run twice.
 */
import { availableParallelism } from 'node:os'
import { errorMessage } from '../../shared/errors'
import type { Runner } from '../runner/runner'
import type { Store } from '../store/store'
import type { ExecutionContext, ExecutionFactory, SweepExecution } from './execution'
import { pointRun } from './points'

/** A counting semaphore: how many runs the lab's sweeps may have going at once. */
export class Slots {
  private free: number
  private readonly waiting: { owner: object; resolve: (got: boolean) => void }[] = []

  constructor(readonly size: number = availableParallelism()) {
    this.free = size
  }

  /** Resolves true with a slot held, or false when `owner` gives up waiting (`abandon`). */
  acquire(owner: object): Promise<boolean> {
    if (this.free > 0) {
      this.free--
      return Promise.resolve(true)
    }
    return new Promise((resolve) => this.waiting.push({ owner, resolve }))
  }

  release(): void {
    const next = this.waiting.shift()
    if (next) next.resolve(true)
    else this.free++
  }

  /** Answers `owner`'s waits with false. */
  abandon(owner: object): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (this.waiting[i]!.owner === owner) this.waiting.splice(i, 1)[0]!.resolve(false)
    }
  }
}

export function localExecution(store: Store, runner: Runner, slots: Slots): ExecutionFactory {
  return (context) => new LocalSweep(store, runner, slots, context)
}

class LocalSweep implements SweepExecution {
  readonly finished: Promise<void>
  private stopped = false
  private readonly active = new Set<string>()

  constructor(
    private readonly store: Store,
    private readonly runner: Runner,
    private readonly slots: Slots,
    private readonly context: ExecutionContext
  ) {
    this.finished = this.run()
  }

  private async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>()
    for (const item of this.context.items) {
      const got = await this.slots.acquire(this)
      if (!got) break
      if (this.stopped) {
        this.slots.release()
        break
      }
      const one = this.runOne(item.point, item.replication).finally(() => {
        this.slots.release()
        inFlight.delete(one)
      })
      inFlight.add(one)
    }
    await Promise.all(inFlight)
  }

  private async runOne(point: number, replication: number): Promise<void> {
    const { context } = this
    let experiment
    try {
      experiment = await context.experimentOf(point)
    } catch (err) {
      if (this.stopped) return
      // The stored point no longer reads (a newer catalog refuses it): the run fails with the reason.
      const run = this.store.sweeps.startPointRun(
        { sweepId: context.sweepId, point, replication },
        pointRun({ experiment_id: context.experimentId, seeds: context.seeds }, { experimentText: context.textOf(point), name: `point ${point}`, durationS: 0 }, replication)
      )
      if (run) this.store.finishRun(run.id, { status: 'failed', wallMs: null, error: `the point's experiment cannot be read: ${errorMessage(err)}` })
      context.changed()
      return
    }
    if (this.stopped) return
    const run = this.store.sweeps.startPointRun(
      { sweepId: context.sweepId, point, replication },
      {
        ...pointRun(
          { experiment_id: context.experimentId, seeds: context.seeds },
          { experimentText: context.textOf(point), name: experiment.name, durationS: experiment.duration_s },
          replication
        ),
        // The runner's slots are shared with the lab's single runs: a point may wait there too.
        status: this.runner.hasFreeSlot() ? 'running' : 'queued'
      }
    )
    if (!run) return
    this.active.add(run.id)
    // One thread per slot (the runner's pooled threads, kept across the sweep's runs), baselines included.
    this.runner.start(run, { ...experiment, seed: run.seed }, { inlineBaselines: true })
    context.changed()
    await this.runner.wait(run.id)
    this.active.delete(run.id)
    context.changed()
  }

  async stop(how: 'cancel' | 'shutdown'): Promise<void> {
    this.stopped = true
    this.slots.abandon(this)
    // On shutdown the runner interrupts its runs itself; a cancel ends them here.
    if (how === 'cancel') await Promise.all([...this.active].map((id) => this.runner.cancel(id)))
    await this.finished
  }
}
