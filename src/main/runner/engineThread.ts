/**
 * An engine thread for one run, within a memory budget: a heap limit, and a
 * bound on operations in flight derived from the memory model
 * (engine/scenario/memory.ts). The runner and a `hyperlab worker` start
 * theirs alike.
 */
import { Worker } from 'node:worker_threads'
import type { Experiment } from '../../shared/experiment'
import type { RunPace } from '../../shared/pace'
import { opsInFlightAllowed } from '../engine'
import type { WorkerInput } from './messages'

/** The heap limit of an engine thread under `memoryBudgetBytes`, MB. */
export function engineHeapMb(memoryBudgetBytes: number): number {
  return Math.max(64, Math.floor(memoryBudgetBytes / 2 ** 20))
}

export interface EngineThreadJob {
  experiment: Experiment
  seed: number
  batchWallMs: number
  pace: RunPace
  eventBudget: number
  memoryBudgetBytes: number
  /** The shared control word the thread pauses on. */
  control: SharedArrayBuffer
  /** Simulate the baselines on the run's own thread (a sweep's pool keeps one thread per slot). */
  inlineBaselines?: boolean
}

/** Starts the built engine thread (`workerPath`) on `job`. */
export function spawnEngineThread(workerPath: string, job: EngineThreadJob): Worker {
  const memoryMb = engineHeapMb(job.memoryBudgetBytes)
  const input: WorkerInput = {
    experiment: job.experiment,
    seed: job.seed,
    batchWallMs: job.batchWallMs,
    pace: job.pace,
    eventBudget: job.eventBudget,
    maxOpsInFlight: Math.max(1, opsInFlightAllowed(job.experiment, job.memoryBudgetBytes)),
    memoryMb,
    control: job.control,
    ...(job.inlineBaselines ? { inlineBaselines: true } : {})
  }
  return new Worker(workerPath, { workerData: input, resourceLimits: { maxOldGenerationSizeMb: memoryMb } })
}
