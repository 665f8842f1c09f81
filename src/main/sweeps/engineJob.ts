/**
 * One run on an engine thread without a store: what a `hyperlab worker`
 * does with a point it takes from the queue. The thread (out/main/worker.js,
 * the runner's own, in its pooled role) simulates the run and its baselines
 * and posts sample batches; they are gathered here and handed back with the
 * result. The worker's pool keeps one thread per point it runs at once, so a
 * point does not pay for starting one; a thread that fails or is stopped is
 * not reused.
 */
import type { Experiment } from '../../shared/experiment'
import type { ArraySample, RunResult, Sample } from '../../shared/result'
import type { EngineThreadPool } from '../runner/enginePool'
import { engineHeapMb, engineThreadInput } from '../runner/engineThread'
import { workerMessageSchema } from '../runner/messages'
import { unpackBlocks } from '../store/sampleBlocks'
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../runner/runner'

export interface EngineJob {
  readonly finished: Promise<{ result: RunResult; samples: Sample[]; arrays: ArraySample[] }>
  stop(): Promise<void>
}

/** The engine's own reason a run could not finish (the experiment, the model, a budget). */
export class EngineFailure extends Error {
  override name = 'EngineFailure'
}

export function runOnEngineThread(pool: EngineThreadPool, experiment: Experiment, seed: number, memoryBudgetBytes = DEFAULT_MEMORY_BUDGET_BYTES, eventBudget = 1e10): EngineJob {
  const memoryMb = engineHeapMb(memoryBudgetBytes)
  const thread = pool.take()
  const samples: Sample[] = []
  const arrays: ArraySample[] = []
  let settled = false
  let detach = (): void => undefined
  const finished = new Promise<{ result: RunResult; samples: Sample[]; arrays: ArraySample[] }>((resolve, reject) => {
    /** Ends the job: a thread that answered the run itself takes the next point, any other is ended. */
    const settle = (threadFree: boolean, outcome: () => void): void => {
      settled = true
      detach()
      if (threadFree) pool.giveBack(thread)
      else void thread.terminate()
      outcome()
    }
    const onMessage = (raw: unknown): void => {
      if (settled) return
      const msg = workerMessageSchema.safeParse(raw)
      if (!msg.success) return settle(false, () => reject(new Error('the engine thread sent a malformed message')))
      const m = msg.data
      if (m.type === 'batch') {
        for (const s of unpackBlocks(m.blocks)) samples.push(s)
        for (const s of m.arrays) arrays.push(s)
      } else if (m.type === 'held') {
        // A sweep's runs are not paused; nothing to do.
      } else if (m.type === 'done') {
        settle(true, () => resolve({ result: m.result, samples, arrays }))
      } else {
        settle(true, () => reject(new EngineFailure(m.message)))
      }
    }
    const onError = (err: Error & { code?: string }): void => {
      if (settled) return
      const why = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory: the engine thread passed its ${memoryMb} MB` : `engine error: ${err.message}`
      settle(false, () => reject(new EngineFailure(why)))
    }
    const onExit = (): void => {
      if (settled) return
      settle(false, () => reject(new Error('the engine thread stopped before the run finished')))
    }
    thread.on('message', onMessage)
    thread.on('error', onError)
    thread.on('exit', onExit)
    detach = () => {
      thread.off('message', onMessage)
      thread.off('error', onError)
      thread.off('exit', onExit)
    }
  })
  thread.postMessage(
    engineThreadInput({
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
  )
  return {
    finished,
    async stop() {
      await thread.terminate()
    }
  }
}
