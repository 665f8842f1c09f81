/**
 * Long-lived engine threads (the engine thread's pooled role) that take runs
 * in turn: the runner's runs (a sweep's slots each keep one busy) and a
 * `hyperlab worker`'s points pay once per thread, not once per run, for
 * starting a thread, loading and compiling the engine and reading its catalog. A thread is lent to one run until that run's own
 * `done` or `failed` (then it is given back), or is gone: one that dies, or
 * that its run's owner terminates (a cancel, a crash, a store failure), is
 * never given back, and the next run gets a new thread. Idle threads do not
 * keep the process alive and end after a while unused.
 */
import type { Worker } from 'node:worker_threads'
import { spawnPooledEngineThread } from './engineThread'

export interface EngineThreadPoolOptions {
  /** Idle threads kept at most (more given back are ended). */
  keep: number
  /** How long an idle thread is kept, ms. */
  idleMs: number
}

export class EngineThreadPool {
  /** Idle threads and the timers that end them. */
  private readonly idle = new Map<Worker, NodeJS.Timeout>()
  /** Every thread alive, lent or idle. */
  private readonly alive = new Set<Worker>()

  constructor(
    private readonly workerPath: string,
    private readonly memoryBudgetBytes: number,
    private readonly options: EngineThreadPoolOptions
  ) {}

  /** An idle thread, or a new one: the caller's until it gives it back or terminates it. */
  take(): Worker {
    const [reused] = this.idle
    if (reused) {
      const [worker, timer] = reused
      clearTimeout(timer)
      this.idle.delete(worker)
      worker.ref()
      return worker
    }
    return this.spawn()
  }

  /**
   * Starts idle threads until `count` are idle (at most `keep`), all at once: runs that are about to come (a
   * sweep's first ones) find them loading while the lab still reads and records the sweep.
   */
  prestart(count: number): void {
    while (this.idle.size < Math.min(count, this.options.keep)) this.giveBack(this.spawn())
  }

  /** Whether `worker` is one of this pool's threads (alive). */
  owns(worker: Worker): boolean {
    return this.alive.has(worker)
  }

  /** A thread whose run has ended on its own (its `done` or `failed` was the last it posted), ready for the next. */
  giveBack(worker: Worker): void {
    if (!this.alive.has(worker) || this.idle.size >= this.options.keep) {
      void worker.terminate()
      return
    }
    worker.unref()
    const timer = setTimeout(() => void worker.terminate(), this.options.idleMs)
    timer.unref()
    this.idle.set(worker, timer)
  }

  /** Ends the idle threads (the lent ones end with their runs). */
  async close(): Promise<void> {
    await Promise.all([...this.idle.keys()].map((worker) => worker.terminate()))
  }

  private spawn(): Worker {
    const worker = spawnPooledEngineThread(this.workerPath, this.memoryBudgetBytes)
    this.alive.add(worker)
    // A run's owner hears its thread's errors; an idle thread's error ends it, and the exit drops it here.
    worker.on('error', () => undefined)
    worker.on('exit', () => this.forget(worker))
    return worker
  }

  private forget(worker: Worker): void {
    this.alive.delete(worker)
    const timer = this.idle.get(worker)
    if (timer) clearTimeout(timer)
    this.idle.delete(worker)
  }
}
