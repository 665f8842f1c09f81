/**
 * How a sweep's runs are carried out: on this machine's cores (localPool.ts)
 * or through a Redis queue by `hyperlab worker`s (coordinator.ts). The
 * service hands an execution the (point, replication) pairs still to run and
 * learns from it when each run has been stored and when all have ended.
 */
import type { Experiment } from '../../shared/experiment'

export interface SweepItem {
  point: number
  /** 1-based. */
  replication: number
}

export interface ExecutionContext {
  sweepId: string
  experimentId: string
  /** Seed of each replication (index r − 1). */
  seeds: readonly number[]
  /** What is left to run, replication by replication (every point once, then again). */
  items: readonly SweepItem[]
  /** The checked experiment of a point (read once per point). */
  experimentOf(point: number): Promise<Experiment>
  /** The stored text of a point's document. */
  textOf(point: number): string
  /** Called after each run of the sweep has been stored (started or ended). */
  changed(): void
}

export interface SweepExecution {
  /** Settles when every item has ended, or once the execution has been stopped. */
  readonly finished: Promise<void>
  /**
   * Stops: `cancel` ends what is in flight as cancelled and drops what waits;
   * `shutdown` leaves what it cannot finish to a later resume.
   */
  stop(how: 'cancel' | 'shutdown'): Promise<void>
}

export type ExecutionFactory = (context: ExecutionContext) => SweepExecution
