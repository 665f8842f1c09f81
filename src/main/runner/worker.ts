/**
 * The engine thread: parses the experiment it is given, advances the
 * simulation in slices, and posts sample batches about every `batchWallMs`
 * of wall time so the UI moves live while the run stays fast. The wall clock
 * lives here, never in the engine.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { createSimulation } from '../engine'
import { parseExperiment, zodIssues } from '../../shared/experiment'
import { formatIssues } from '../../shared/errors'
import { runResultSchema, type Sample } from '../../shared/result'
import { PAUSED, workerInputSchema, type WorkerMessage } from './messages'

const SLICE_EVENTS = 20_000

function post(message: WorkerMessage): void {
  parentPort?.postMessage(message)
}

function main(): void {
  const input = workerInputSchema.parse(workerData)
  const parsed = parseExperiment(input.experiment)
  if (!parsed.ok) {
    post({ type: 'failed', message: formatIssues(parsed.issues) })
    return
  }
  const control = new Int32Array(input.control)
  const started = performance.now()
  const sim = createSimulation(parsed.experiment, { seed: input.seed })
  let pending: Sample[] = []
  let lastPost = started
  let pausedMs = 0
  while (!sim.finished) {
    if (Atomics.load(control, 0) === PAUSED) {
      // Blocks this thread only; the runner wakes it on resume (or terminates it on cancel).
      const from = performance.now()
      while (Atomics.load(control, 0) === PAUSED) Atomics.wait(control, 0, PAUSED, 1000)
      pausedMs += performance.now() - from
    }
    const samples = sim.advance(SLICE_EVENTS)
    if (samples.length > 0) pending = pending.concat(samples)
    // A run projected to need more events than its budget (tens of minutes on a
    // desktop) stops with the reason instead of running for days: for example a
    // closed loop whose operations take almost no time. Early progress is too
    // noisy to judge, so the projection waits for a share of the budget.
    const events = sim.eventsProcessed
    if (events >= input.eventBudget / 200 && events / Math.max(sim.progress, 1e-12) > input.eventBudget) {
      const projected = events / Math.max(sim.progress, 1e-12)
      post({ type: 'batch', samples: pending, progress: sim.progress, simulated_s: sim.simulatedS })
      post({
        type: 'failed',
        message:
          `stopped: at this pace the run would need about ${projected.toExponential(1)} events ` +
          `(${sim.simulatedS.toPrecision(3)} simulated s after ${events.toExponential(1)}); ` +
          'shorten duration_s, lower the load, or give each operation more work or think time'
      })
      return
    }
    const t = performance.now()
    if (t - lastPost >= input.batchWallMs || sim.finished) {
      post({ type: 'batch', samples: pending, progress: sim.progress, simulated_s: sim.simulatedS })
      pending = []
      lastPost = t
    }
  }
  const result = sim.result()
  result.sim.wall_ms = Math.round(performance.now() - started - pausedMs)
  // A NaN or a missing figure is a model bug; say where, rather than let the runner see a malformed message.
  const check = runResultSchema.safeParse(result, { reportInput: true })
  if (!check.success) {
    const first = zodIssues(check.error.issues)[0]
    post({ type: 'failed', message: `the engine produced an invalid result at ${first?.path}: ${first?.message}` })
    return
  }
  post({ type: 'done', result })
}

try {
  main()
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) })
}
