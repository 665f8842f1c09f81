/**
 * A store, a runner and a reader over the built engine thread, in a fresh
 * folder, for tests that run experiments: `useRunnerLabs()` registers the
 * clean-up after each test and returns the factory.
 */
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { ExperimentReader } from '../src/main/reading/reader'
import { Runner, type RunnerEvent, type RunnerOptions } from '../src/main/runner/runner'
import { Store } from '../src/main/store/store'
import { BUILT_READER, BUILT_WORKER, tempDir } from './fixtures'

export type Cleanup = () => void | Promise<void>

export function useRunnerLabs(): { lab: (options?: RunnerOptions) => RunnerLab; cleanups: Cleanup[] } {
  const cleanups: Cleanup[] = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })
  return { lab: (options = {}) => runnerLab(cleanups, options), cleanups }
}

export interface RunnerLab {
  store: Store
  runner: Runner
  reader: ExperimentReader
  events: RunnerEvent[]
  dir: string
}

function runnerLab(cleanups: Cleanup[], options: RunnerOptions): RunnerLab {
  const dir = tempDir()
  const store = Store.open(join(dir.path, 'lab.db'))
  const runner = new Runner(store, { workerPath: BUILT_WORKER, batchWallMs: 20, ...options })
  const reader = new ExperimentReader({ threadPath: BUILT_READER })
  const events: RunnerEvent[] = []
  runner.subscribe((e) => events.push(e))
  cleanups.push(dir.remove, () => store.close(), () => runner.shutdown(), () => reader.close())
  return { store, runner, reader, events, dir: dir.path }
}
