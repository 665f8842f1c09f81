/**
 * The engine thread: parses the experiment it is given, advances the
 * simulation in slices, and posts sample batches about every `batchWallMs`
 * of wall time so the UI moves live while the run stays fast. The wall clock
 * lives here, never in the engine.
 *
 * When the experiment asks for baselines, this thread starts a second one
 * (this same file, in its baseline role) that simulates them while it runs
 * the main scenario, then hands their throughputs to the engine: the result
 * and its checksum are the same as when one thread does both, in about the
 * time of the longer part. Both threads pause on the same shared flag, and a
 * thread's nested threads end with it.
 */
import { MessageChannel, receiveMessageOnPort, Worker, parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { createBaselineRun, createSimulation, type BaselineThroughputs } from '../engine'
import { parseExperiment, zodIssues } from '../../shared/experiment'
import { formatIssues } from '../../shared/errors'
import { runResultSchema, type Sample } from '../../shared/result'
import { baselineInputSchema, baselineMessageSchema, PAUSED, workerInputSchema, type WorkerMessage } from './messages'

const SLICE_EVENTS = 20_000

function post(message: WorkerMessage): void {
  parentPort?.postMessage(message)
}

/** Blocks this thread while the runner holds the run paused; returns the ms spent paused. */
function waitWhilePaused(control: Int32Array): number {
  if (Atomics.load(control, 0) !== PAUSED) return 0
  // Blocks this thread only; the runner wakes it on resume (or terminates it on cancel).
  const from = performance.now()
  while (Atomics.load(control, 0) === PAUSED) Atomics.wait(control, 0, PAUSED, 1000)
  return performance.now() - from
}

/** Sleeps this thread for `ms` without spinning. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** The baseline role: simulate the baselines, keep `progress` current, post the throughputs once. */
function runBaselines(): void {
  const input = baselineInputSchema.parse(workerData)
  const port = input.port
  try {
    const parsed = parseExperiment(input.experiment)
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues))
    const control = new Int32Array(input.control)
    const progress = new Float64Array(input.progress)
    const run = createBaselineRun(parsed.experiment, { seed: input.seed })
    while (!run.finished) {
      waitWhilePaused(control)
      run.advance(SLICE_EVENTS)
      progress[0] = run.progress
    }
    port.postMessage({ type: 'baselines', ...run.result() })
  } catch (err) {
    port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) })
  }
  port.close()
}

/** Starts the baseline thread; returns where its answer arrives and its progress. */
function startBaselines(experiment: unknown, seed: number, control: SharedArrayBuffer): { port: MessagePort; progress: Float64Array; thread: Worker } {
  const channel = new MessageChannel()
  const progress = new SharedArrayBuffer(8)
  const thread = new Worker(__filename, {
    workerData: { role: 'baselines', experiment, seed, control, progress, port: channel.port2 },
    transferList: [channel.port2]
  })
  return { port: channel.port1, progress: new Float64Array(progress), thread }
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
  const apart = parsed.experiment.baseline === 'native'
  const sim = createSimulation(parsed.experiment, { seed: input.seed, baselines: apart ? 'external' : 'inline' })
  const helper = apart ? startBaselines(input.experiment, input.seed, input.control) : null
  let pending: Sample[] = []
  let lastPost = started
  let pausedMs = 0
  while (!sim.finished) {
    pausedMs += waitWhilePaused(control)
    if (helper) sim.setBaselineProgress(helper.progress[0]!)
    if (sim.awaitingBaselines && helper) {
      // The main scenario is done; the baselines are not: take their answer when it comes.
      const got = receiveMessageOnPort(helper.port)
      if (got) {
        const answer = baselineMessageSchema.parse(got.message)
        if (answer.type === 'failed') {
          post({ type: 'failed', message: answer.message })
          return
        }
        const { native, alone, events } = answer
        const b: BaselineThroughputs = { native, alone, events }
        sim.provideBaselines(b)
        void helper.thread.terminate()
      } else sleep(Math.min(50, input.batchWallMs))
    } else {
      const samples = sim.advance(SLICE_EVENTS)
      if (samples.length > 0) pending = pending.concat(samples)
    }
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
  if ((workerData as { role?: unknown } | null)?.role === 'baselines') runBaselines()
  else main()
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) })
}
