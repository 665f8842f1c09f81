import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { runToEnd } from '../src/main/engine'
import type { Runner } from '../src/main/runner/runner'
import { startRun } from '../src/main/services/services'
import { Store } from '../src/main/store/store'
import { parseExperimentText } from '../src/shared/experiment'
import { useRunnerLabs } from './runnerLab'
import { BUILT_CLI, longExperimentYaml, requireBuild, ROOT, tempDir } from './fixtures'

beforeAll(requireBuild)

const { lab, cleanups } = useRunnerLabs()

/** Resolves once the runner has streamed its first batch of samples. */
function firstSamples(runner: Runner): Promise<void> {
  return new Promise((resolve) => runner.subscribe((e) => e.type === 'samples' && resolve()))
}

const example = readFileSync(join(ROOT, 'resources/examples/four-vms-one-disk.yaml'), 'utf8')

describe('runner', () => {
  it('runs an experiment on a worker, storing every sample it streams, with the same checksum as in-process', async () => {
    const { store, runner, reader, events } = lab()
    const run = await startRun({ store, runner, reader }, example)
    const ended = await runner.wait(run.id)
    expect(ended?.status).toBe('done')
    const streamed = events.flatMap((e) => (e.type === 'samples' ? e.samples : []))
    expect(streamed.length).toBeGreaterThan(0)
    expect(store.getSamples(run.id)).toEqual(streamed)
    const end = events.find((e) => e.type === 'ended')
    expect(end?.type === 'ended' && end.result?.checksum).toBeTruthy()

    const parsed = parseExperimentText(example)
    if (!parsed.ok) throw new Error('example invalid')
    const local = runToEnd(parsed.experiment, parsed.experiment.seed)
    expect(ended?.checksum).toBe(local.result.checksum)
    expect(local.samples).toEqual(streamed)
  })

  it("stores and streams the SAN arrays' samples of a run, as the engine makes them in process", async () => {
    const text = readFileSync(join(ROOT, 'resources/examples/san-lun-fc.yaml'), 'utf8')
    const { store, runner, reader, events } = lab()
    const run = await startRun({ store, runner, reader }, text)
    expect((await runner.wait(run.id))?.status).toBe('done')
    const streamed = events.flatMap((e) => (e.type === 'samples' ? e.arrays : []))
    expect(streamed.length).toBeGreaterThan(0)
    const parsed = parseExperimentText(text)
    if (!parsed.ok) throw new Error('example invalid')
    const local = runToEnd(parsed.experiment, parsed.experiment.seed)
    expect(streamed).toEqual(local.arraySamples)
    // Stored per array and window; read back in time order.
    const key = (s: { t_ms: number; array: string }) => `${s.t_ms}/${s.array}`
    expect(store.getArraySamples(run.id).map(key).sort()).toEqual(local.arraySamples.map(key).sort())
  })

  it('reports progress that rises to 1', async () => {
    const { store, runner, reader, events } = lab()
    const run = await startRun({ store, runner, reader }, example)
    await runner.wait(run.id)
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []))
    expect(progress.length).toBeGreaterThan(0)
    expect([...progress].sort((a, b) => a - b)).toEqual(progress)
    expect(progress.at(-1)).toBe(1)
  })

  it('holds a paced run to real time × its pace, with the samples and checksum of an unpaced run', async () => {
    const { store, runner, reader, events } = lab()
    const fast = await startRun({ store, runner, reader }, example)
    const fastEnd = await runner.wait(fast.id)
    const launched = performance.now()
    const paced = await startRun({ store, runner, reader }, example, undefined, undefined, 100)
    // Each batch: simulated time may not run ahead of 100 × the wall time since the start was asked
    // (a loaded machine only makes it later); one slice of overshoot allowed.
    const ahead: number[] = []
    runner.subscribe((e) => {
      if (e.type === 'progress' && e.runId === paced.id) ahead.push(e.simulatedS - (100 * (performance.now() - launched)) / 1000)
    })
    const pacedEnd = await runner.wait(paced.id)
    expect(pacedEnd?.status).toBe('done')
    expect(pacedEnd?.checksum).toBe(fastEnd?.checksum)
    expect(ahead.length).toBeGreaterThan(3)
    expect(Math.max(...ahead)).toBeLessThan(0.5)
    const samplesOf = (id: string) => events.flatMap((e) => (e.type === 'samples' && e.runId === id ? e.samples : []))
    expect(samplesOf(paced.id)).toEqual(samplesOf(fast.id))
  })

  it('cancels a run, keeping the samples it had committed', async () => {
    const { store, runner, reader, events } = lab()
    const run = await startRun({ store, runner, reader }, longExperimentYaml())
    await firstSamples(runner)
    const ended = await runner.cancel(run.id)
    expect(ended?.status).toBe('cancelled')
    const committed = events.flatMap((e) => (e.type === 'samples' ? e.samples : []))
    expect(store.getSamples(run.id)).toEqual(committed)
    expect(committed.length).toBeGreaterThan(0)
  })

  it('pauses and resumes a run: no samples arrive while paused, and the result is unchanged', async () => {
    const { store, runner, reader, events } = lab()
    const text = longExperimentYaml(400)
    const run = await startRun({ store, runner, reader }, text)
    await firstSamples(runner)
    expect(runner.setPaused(run.id, true)).toBe(true)
    // Once the thread says it is held, every sample simulated before the pause has been stored.
    await vi.waitFor(() => expect(runner.isHeld(run.id)).toBe(true), { timeout: 30_000, interval: 10 })
    const before = store.countSamples(run.id)
    await new Promise((r) => setTimeout(r, 400))
    expect(store.countSamples(run.id)).toBe(before)
    expect(runner.isPaused(run.id)).toBe(true)
    expect(runner.setPaused(run.id, false)).toBe(true)
    const ended = await runner.wait(run.id)
    expect(ended?.status).toBe('done')
    expect(events.filter((e) => e.type === 'paused').map((e) => e.type === 'paused' && e.paused)).toEqual([true, false])
    const parsed = parseExperimentText(text)
    if (!parsed.ok) throw new Error('invalid')
    expect(ended?.checksum).toBe(runToEnd(parsed.experiment, parsed.experiment.seed).result.checksum)
  })

  it('ends a run as failed, without crashing, when its samples cannot be stored', async () => {
    const { store, runner, reader } = lab()
    store.appendSampleBlocks = () => {
      throw new Error('database or disk is full')
    }
    const run = await startRun({ store, runner, reader }, longExperimentYaml())
    const ended = await runner.wait(run.id)
    expect(ended?.status).toBe('failed')
    expect(ended?.error).toMatch(/could not store samples: database or disk is full/)
    expect(store.getRun(run.id)?.status).toBe('failed')
  })

  it('stops, with the reason, a run projected to need far more events than its budget', async () => {
    const { store, runner, reader } = lab({ eventBudget: 2e6 })
    const tiny = longExperimentYaml(60)
      .replace('{ process: poisson, rate_per_s: 1000 }', '{ process: closed, clients: 1 }')
      .replace('per_op: { instructions: 1000, disk: [{ kind: read, kb: 4, count: 1 }] }', 'per_op: { instructions: 1 }')
    const run = await startRun({ store, runner, reader }, tiny)
    const ended = await runner.wait(run.id)
    expect(ended?.status).toBe('failed')
    expect(ended?.error).toMatch(/^stopped: at this pace the run would need about \d\.\de\+\d+ events/)
  })

  it('marks a run whose engine thread dies as interrupted, with its committed samples intact', async () => {
    const { store, runner, reader } = lab()
    const run = await startRun({ store, runner, reader }, longExperimentYaml())
    await firstSamples(runner)
    // Kill the worker behind the runner's back, as a crash of the thread would.
    const active = (runner as unknown as { active: Map<string, { worker: { terminate(): Promise<number> } }> }).active
    const committedBefore = store.countSamples(run.id)
    await active.get(run.id)?.worker.terminate()
    const ended = await runner.wait(run.id)
    expect(ended?.status).toBe('interrupted')
    expect(store.countSamples(run.id)).toBeGreaterThanOrEqual(committedBefore)
    expect(store.countSamples(run.id)).toBeGreaterThan(0)
  })

  it('marks a run interrupted after the whole process is killed mid-run, keeping the committed samples', async () => {
    const dir = tempDir()
    cleanups.push(dir.remove)
    const file = join(dir.path, 'long.yaml')
    const db = join(dir.path, 'lab.db')
    writeFileSync(file, longExperimentYaml())
    const child = spawn(process.execPath, [BUILT_CLI, 'run', file, '--db', db], { stdio: 'ignore' })
    cleanups.push(() => void child.kill('SIGKILL'))
    // Wait until some batches are committed (however long a busy machine takes to get there), then kill without warning.
    const reader = Store.open(db)
    let runId: string | undefined
    await vi.waitUntil(
      () => {
        runId = reader.listRuns(1)[0]?.id
        return runId !== undefined && reader.countSamples(runId) >= 2
      },
      { timeout: 50_000, interval: 50 }
    )
    expect(runId).toBeDefined()
    // Opening the database from another process must not touch a live run.
    Store.open(db).close()
    expect(reader.getRun(runId as string)?.status).toBe('running')
    reader.close()
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))

    const after = Store.open(db)
    const run = after.getRun(runId as string)
    expect(run?.status).toBe('interrupted')
    const samples = after.getSamples(runId as string)
    expect(samples.length).toBeGreaterThanOrEqual(2)
    // Committed batches are whole: windows are consecutive from the first.
    samples.forEach((s, i) => expect(s.t_ms).toBe((i + 1) * 1000))
    after.close()
  })
})
