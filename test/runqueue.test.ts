/**
 * Runs beyond the engine slots wait `queued` and start in order; each run's
 * memory is bounded before it starts (refused with the number) and while it
 * runs (a saturated open stream stops with the VM named).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createSimulation, SimulationLimit } from '../src/main/engine'
import { startRun } from '../src/main/services/services'
import { LabError } from '../src/shared/errors'
import { parseExperimentText } from '../src/shared/experiment'
import { useRunnerLabs } from './runnerLab'
import { longExperimentYaml, requireBuild } from './fixtures'

beforeAll(requireBuild)
const { lab } = useRunnerLabs()

/** `vms` VMs, each a closed loop of `clients`. */
function crowd(vms: number, clients: number, instructions = 1000): string {
  const list = Array.from(
    { length: vms },
    (_, i) => `  - { id: vm${i}, host: h${i % 256}, workload: { kind: custom, arrival: { process: closed, clients: ${clients} }, per_op: { instructions: ${instructions} } } }`
  )
  const hosts = Array.from({ length: Math.min(vms, 256) }, (_, i) => `  - { id: h${i}, cpu: nehalem-x5570, hypervisor: esx-4.0, memory_gb: 4096 }`)
  return `format: hyperlab/experiment@1\nname: crowd\nduration_s: 1\nbaseline: none\nhosts:\n${hosts.join('\n')}\nvms:\n${list.join('\n')}\n`
}

describe('run queue', () => {
  it('queues runs beyond its slots, starts them in order as slots free, and cancels a queued run without starting it', async () => {
    const { store, runner, reader, events } = lab({ maxConcurrent: 1 })
    const first = await startRun({ store, runner, reader }, longExperimentYaml())
    const second = await startRun({ store, runner, reader }, longExperimentYaml())
    const third = await startRun({ store, runner, reader }, longExperimentYaml())
    expect([first.status, second.status, third.status]).toEqual(['running', 'queued', 'queued'])
    expect(store.getRun(second.id)?.status).toBe('queued')
    expect(runner.setPaused(second.id, true)).toBe(false)

    const cancelled = await runner.cancel(third.id)
    expect(cancelled?.status).toBe('cancelled')
    await runner.cancel(first.id)
    await expect.poll(() => store.getRun(second.id)?.status, { timeout: 30_000 }).toBe('running')
    expect(events.some((e) => e.type === 'started' && e.run.id === second.id)).toBe(true)
    expect(events.some((e) => e.type === 'started' && e.run.id === third.id)).toBe(false)
    await runner.cancel(second.id)
  })

  it('marks queued runs interrupted when the lab closes, with the reason', async () => {
    const { store, runner, reader } = lab({ maxConcurrent: 1 })
    await startRun({ store, runner, reader }, longExperimentYaml())
    const waiting = await startRun({ store, runner, reader }, longExperimentYaml())
    await runner.shutdown()
    expect(store.getRun(waiting.id)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/closed/) })
  })
})

describe('memory bounds of a run', () => {
  it('refuses before starting a run whose clients would not fit, naming the size and the largest VMs', async () => {
    const { store, runner, reader } = lab()
    const error = await startRun({ store, runner, reader }, crowd(1024, 100_000)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LabError)
    const issue = (error as LabError).issues?.[0]
    expect(issue?.path).toBe('(run)')
    expect(issue?.message).toMatch(/^needs about 41\.\d GB of memory to simulate \(67\.1 MB for the engine, 1,024 VMs × 96 kB, 102,400,000 closed-loop clients × 400 bytes\)/)
    expect(issue?.message).toMatch(/lower the clients of vm0 \(100,000\), vm1 \(100,000\)/)
    expect(store.listRuns()).toHaveLength(0)
  })

  it('accepts the same shape within the budget', async () => {
    const { store, runner, reader } = lab()
    const run = await startRun({ store, runner, reader }, crowd(64, 1000, 1e8))
    expect((await runner.wait(run.id))?.status).toBe('done')
  })

  it('stops an open stream that outpaces service once its operations in flight reach the budget, naming the VM', () => {
    const text = longExperimentYaml(60).replace('rate_per_s: 1000', 'rate_per_s: 1000000')
    const parsed = parseExperimentText(text)
    if (!parsed.ok) throw new Error('invalid')
    const sim = createSimulation(parsed.experiment, { seed: 1, maxOpsInFlight: 50_000 })
    let thrown: unknown
    try {
      while (!sim.finished) sim.advance(100_000)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(SimulationLimit)
    expect((thrown as Error).message).toMatch(/^VM "os" is saturated: 50,000 operations in flight after .* simulated s \(arrivals at 1,000,000\/s/)
  })

  it('fails such a run in the runner with the reason, keeping its samples', async () => {
    const { store, runner, reader } = lab({ memoryBudgetBytes: 80 * 2 ** 20 })
    const run = await startRun({ store, runner, reader }, longExperimentYaml(60).replace('rate_per_s: 1000', 'rate_per_s: 1000000'))
    const ended = await runner.wait(run.id)
    expect(ended?.status).toBe('failed')
    expect(ended?.error).toMatch(/VM "os" is saturated/)
  })
})

describe('a run that outgrows its thread', () => {
  it('fails as "out of memory" without taking the process down', async () => {
    // Samples held for one batch at the end (a 10 s batch interval and a quick run): far more heap than 96 MB.
    const { store, runner, reader } = lab({ memoryBudgetBytes: 96 * 2 ** 20, batchWallMs: 10_000 })
    const vms = Array.from(
      { length: 256 },
      (_, i) => `  - { id: vm${i}, host: h1, workload: { kind: custom, arrival: { process: poisson, rate_per_s: 1 }, per_op: { instructions: 1000 } } }`
    )
    const text = `format: hyperlab/experiment@1\nname: heavy samples\nduration_s: 60\nsample_ms: 10\nbaseline: none\nhosts: [{ id: h1, cpu: nehalem-x5570, hypervisor: esx-4.0, sockets: 8, memory_gb: 4096 }]\nvms:\n${vms.join('\n')}\n`
    // Past the services' estimate (which would refuse it), straight to the runner, as a run that outgrows it would be.
    const parsed = parseExperimentText(text)
    if (!parsed.ok) throw new Error('invalid')
    const saved = store.saveExperiment(text, 'heavy samples')
    const run = store.createRun({ experimentId: saved.id, experimentName: 'heavy samples', experimentText: text, seed: 1, durationS: 60 })
    runner.start(run, parsed.experiment)
    const ended = await runner.wait(run.id)
    expect(ended?.status).toBe('failed')
    expect(ended?.error).toMatch(/^out of memory: the engine thread passed its 96 MB/)
    // The lab still runs the next one.
    const next = await startRun({ store, runner, reader }, longExperimentYaml(5))
    expect((await runner.wait(next.id))?.status).toBe('done')
  })
})
