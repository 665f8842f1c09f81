/**
 * An engine thread for one run, within a memory budget: a heap limit, and a
 * bound on operations in flight derived from the memory model
 * (engine/scenario/memory.ts). The runner and a `hyperlab worker` start
 * theirs alike: one thread per run, or a long-lived one (its pooled role)
 * that is handed runs one after another.
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

/** What an engine thread is given for `job`: at its start, or in a message to a pooled thread. */
export function engineThreadInput(job: EngineThreadJob): WorkerInput {
  return {
    experiment: job.experiment,
    seed: job.seed,
    batchWallMs: job.batchWallMs,
    pace: job.pace,
    eventBudget: job.eventBudget,
    maxOpsInFlight: Math.max(1, opsInFlightAllowed(job.experiment, job.memoryBudgetBytes)),
    memoryMb: engineHeapMb(job.memoryBudgetBytes),
    control: job.control,
    ...(job.inlineBaselines ? { inlineBaselines: true } : {})
  }
}

/** Starts the built engine thread (`workerPath`) on `job`. */
export function spawnEngineThread(workerPath: string, job: EngineThreadJob): Worker {
  const input = engineThreadInput(job)
  return new Worker(workerPath, { workerData: input, resourceLimits: { maxOldGenerationSizeMb: input.memoryMb } })
}

/** Starts a long-lived engine thread that takes runs in turn as `engineThreadInput` messages (enginePool.ts). */
export function spawnPooledEngineThread(workerPath: string, memoryBudgetBytes: number): Worker {
  return new Worker(workerPath, { workerData: { role: 'pool' }, resourceLimits: { maxOldGenerationSizeMb: engineHeapMb(memoryBudgetBytes) } })
}
