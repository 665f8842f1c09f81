/**
 * One run on an engine thread without a store: what a `hyperlab worker`
 * does with a point it takes from the queue. The thread (out/main/worker.js,
 * the runner's own) simulates the run and its baselines and posts sample
 * batches; they are gathered here and handed back with the result.
 */
import type { Experiment } from '../../shared/experiment'
import type { RunResult, Sample } from '../../shared/result'
import { engineHeapMb, spawnEngineThread } from '../runner/engineThread'
import { workerMessageSchema } from '../runner/messages'
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../runner/runner'

export interface EngineJob {
  readonly finished: Promise<{ result: RunResult; samples: Sample[] }>
  stop(): Promise<void>
}

/** The engine's own reason a run could not finish (the experiment, the model, a budget). */
export class EngineFailure extends Error {
  override name = 'EngineFailure'
}

export function runOnEngineThread(workerPath: string, experiment: Experiment, seed: number, memoryBudgetBytes = DEFAULT_MEMORY_BUDGET_BYTES, eventBudget = 1e10): EngineJob {
  const memoryMb = engineHeapMb(memoryBudgetBytes)
  const thread = spawnEngineThread(workerPath, {
    experiment,
    seed,
    // Nobody watches progress: batches once a second keep memory flat.
    batchWallMs: 1000,
    // A sweep's point runs as fast as it can.
    pace: 'max',
    eventBudget,
    // The same budget as the runner's.
    memoryBudgetBytes,
    control: new SharedArrayBuffer(4),
    inlineBaselines: true
  })
  const samples: Sample[] = []
  let settled = false
  const finished = new Promise<{ result: RunResult; samples: Sample[] }>((resolve, reject) => {
    thread.on('message', (raw: unknown) => {
      const msg = workerMessageSchema.safeParse(raw)
      if (!msg.success) {
        settled = true
        void thread.terminate()
        return reject(new Error('the engine thread sent a malformed message'))
      }
      const m = msg.data
      if (m.type === 'batch') {
        for (const s of m.samples) samples.push(s)
      } else if (m.type === 'done') {
        settled = true
        resolve({ result: m.result, samples })
        void thread.terminate()
      } else {
        settled = true
        reject(new EngineFailure(m.message))
        void thread.terminate()
      }
    })
    thread.on('error', (err: Error & { code?: string }) => {
      if (settled) return
      settled = true
      const why = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory: the engine thread passed its ${memoryMb} MB` : `engine error: ${err.message}`
      reject(new EngineFailure(why))
    })
    thread.on('exit', () => {
      if (settled) return
      settled = true
      reject(new Error('the engine thread stopped before the run finished'))
    })
  })
  return {
    finished,
    async stop() {
      await thread.terminate()
    }
  }
}
