import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { RunRecord } from '../src/shared/contract'
import { runToEnd } from '../src/main/engine'
import { EngineThreadPool } from '../src/main/runner/enginePool'
import { parseExperimentText } from '../src/shared/experiment'
import type { Runner } from '../src/main/runner/runner'
import { requireExperiment, startRun } from '../src/main/services/services'
import type { Store } from '../src/main/store/store'
import type { ExperimentReader } from '../src/main/reading/reader'
import { useRunnerLabs } from './runnerLab'
import { BUILT_WORKER, longExperimentYaml, requireBuild, ROOT } from './fixtures'

beforeAll(requireBuild)

const { lab, cleanups } = useRunnerLabs()
const example = readFileSync(join(ROOT, 'resources/examples/four-vms-one-disk.yaml'), 'utf8')

/** Starts `text` as a sweep's pool does (its baselines on the run's own thread), with `seed`. */
async function startPooled(deps: { store: Store; runner: Runner; reader: ExperimentReader }, text: string, seed: number): Promise<RunRecord> {
  const experiment = await requireExperiment(deps.reader, text)
  const saved = deps.store.saveExperiment(text, experiment.name)
  const run = deps.store.createRun({ experimentId: saved.id, experimentName: experiment.name, experimentText: text, seed, durationS: experiment.duration_s })
  deps.runner.start(run, { ...experiment, seed }, { inlineBaselines: true })
  return run
}

/** The threads of the runner's pool, lent or idle. */
function poolThreads(runner: Runner): Set<unknown> {
  return (runner as unknown as { pool: { alive: Set<unknown> } }).pool.alive
}

describe('engine thread pool', () => {
  it('gives a thread back after its run and lends the same one to the next', async () => {
    const pool = new EngineThreadPool(BUILT_WORKER, 2 ** 30, { keep: 1, idleMs: 60_000 })
    cleanups.push(() => pool.close())
    const first = pool.take()
    pool.giveBack(first)
    expect(pool.take()).toBe(first)
    const second = pool.take()
    expect(second).not.toBe(first)
    // Only one idle thread is kept: the second given back is ended.
    pool.giveBack(first)
    const exited = new Promise((resolve) => second.once('exit', resolve))
    pool.giveBack(second)
    await exited
    expect(pool.owns(second)).toBe(false)
    expect(pool.owns(first)).toBe(true)
  })

  it('starts idle threads ahead of runs, at most as many as it keeps, and lends them first', () => {
    const pool = new EngineThreadPool(BUILT_WORKER, 2 ** 30, { keep: 2, idleMs: 60_000 })
    cleanups.push(() => pool.close())
    pool.prestart(3)
    const started = [...(pool as unknown as { alive: Set<unknown> }).alive]
    expect(started).toHaveLength(2)
    pool.prestart(2)
    expect((pool as unknown as { alive: Set<unknown> }).alive.size).toBe(2)
    const lent = pool.take()
    expect(started).toContain(lent)
    pool.giveBack(lent)
  })

  it('runs pooled runs in turn on one thread, each with the checksum of the engine run in this process', async () => {
    const deps = lab({ maxConcurrent: 1 })
    const { runner } = deps
    const seeds = [7, 8, 7]
    const pooled: (string | null | undefined)[] = []
    for (const seed of seeds) {
      const run = await startPooled(deps, example, seed)
      const ended = await runner.wait(run.id)
      expect(ended?.status).toBe('done')
      pooled.push(ended?.checksum)
      expect(poolThreads(runner).size).toBe(1)
    }
    const parsed = parseExperimentText(example)
    if (!parsed.ok) throw new Error('the example does not read')
    const alone = seeds.map((seed) => runToEnd({ ...parsed.experiment, seed }, seed).result.checksum)
    expect(pooled).toEqual(alone)
    expect(pooled[0]).toBe(pooled[2])
    expect(pooled[0]).not.toBe(pooled[1])
  })

  it('pauses and resumes a pooled run, and ends the thread of one that is cancelled; the next run gets a new thread', async () => {
    const deps = lab({ maxConcurrent: 1 })
    const { runner, store } = deps
    const long = await startPooled(deps, longExperimentYaml(), 3)
    await new Promise<void>((resolve) => runner.subscribe((e) => e.type === 'samples' && e.runId === long.id && resolve()))
    const [thread] = poolThreads(runner)
    expect(runner.setPaused(long.id, true)).toBe(true)
    expect(runner.isPaused(long.id)).toBe(true)
    expect(runner.setPaused(long.id, false)).toBe(true)
    expect((await runner.cancel(long.id))?.status).toBe('cancelled')
    expect(store.countSamples(long.id)).toBeGreaterThan(0)
    const next = await startPooled(deps, example, 7)
    expect((await runner.wait(next.id))?.status).toBe('done')
    expect(poolThreads(runner).has(thread)).toBe(false)
    expect(poolThreads(runner).size).toBe(1)
  })

  it('ends a pooled run as failed when the engine refuses it, and keeps the thread for the next', async () => {
    const deps = lab({ maxConcurrent: 1, eventBudget: 1e5 })
    const { runner } = deps
    const over = await startPooled(deps, longExperimentYaml(), 3)
    const ended = await runner.wait(over.id)
    expect(ended?.status).toBe('failed')
    expect(ended?.error).toMatch(/stopped: at this pace/)
    const [thread] = poolThreads(runner)
    const next = await startPooled(deps, longExperimentYaml(2), 3)
    expect((await runner.wait(next.id))?.status).toBe('done')
    expect([...poolThreads(runner)]).toEqual([thread])
  })

  it('runs single runs (baselines on a thread of their own) on the pool too: one after another on the same thread, with the same checksum', async () => {
    const deps = lab({ maxConcurrent: 1 })
    const { runner } = deps
    const first = await startRun(deps, example, 7)
    const firstEnd = await runner.wait(first.id)
    expect(firstEnd?.status).toBe('done')
    const [thread] = poolThreads(runner)
    const second = await startRun(deps, example, 7)
    expect((await runner.wait(second.id))?.checksum).toBe(firstEnd?.checksum)
    expect([...poolThreads(runner)]).toEqual([thread])
    const parsed = parseExperimentText(example)
    if (!parsed.ok) throw new Error('the example does not read')
    expect(firstEnd?.checksum).toBe(runToEnd({ ...parsed.experiment, seed: 7 }, 7).result.checksum)
  })
})
