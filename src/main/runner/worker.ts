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
 * thread's nested threads end with it. The baseline thread keeps a heartbeat
 * in shared memory, so a thread that dies without a word is noticed.
 *
 * In its validation role the thread runs the published cases
 * (src/main/validation) and posts its progress and the report.
 */
import { MessageChannel, receiveMessageOnPort, Worker, parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { createBaselineRun, createSimulation, type BaselineThroughputs, type SimulationRun } from '../engine'
import { parseExperiment, zodIssues } from '../../shared/experiment'
import { errorMessage, formatIssues } from '../../shared/errors'
import { runResultSchema, type Sample } from '../../shared/result'
import { baselineInputSchema, baselineMessageSchema, PAUSED, workerInputSchema, type ValidationMessage, type WorkerInput, type WorkerMessage } from './messages'
import { runValidation } from '../validation/run'
import { pacedLimitS } from '../../shared/pace'

const SLICE_EVENTS = 20_000
/** A paced run advances in smaller slices, so it overshoots the wall clock by little. */
const PACED_SLICE_EVENTS = 2_000
/** A baseline thread silent this long (while not paused) has died. */
const HEARTBEAT_TIMEOUT_MS = 30_000

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

/** A word nobody writes, so waiting on it sleeps for the whole timeout. */
const idle = new Int32Array(new SharedArrayBuffer(4))

/** Sleeps this thread for `ms` without spinning. */
function sleep(ms: number): void {
  Atomics.wait(idle, 0, 0, ms)
}

/**
 * The events a run is projected to need when that is more than `budget`, else
 * null. A run over its budget (tens of minutes on a desktop) stops with the
 * reason instead of running for days: for example a closed loop whose
 * operations take almost no time. Early progress is too noisy to judge, so the
 * projection waits for a share of the budget.
 */
function overBudget(events: number, progress: number, budget: number): number | null {
  const projected = events / Math.max(progress, 1e-12)
  return events >= budget / 200 && projected > budget ? projected : null
}

/** The validation role: run the published cases, posting progress after each and the report at the end. */
function runCases(): void {
  const say = (m: ValidationMessage): void => parentPort?.postMessage(m)
  try {
    const report = runValidation(undefined, (done, total) => say({ type: 'progress', done, total }))
    say({ type: 'report', report })
  } catch (err) {
    say({ type: 'failed', message: errorMessage(err) })
  }
}

/** The baseline role: simulate the baselines, keep progress and heartbeat current, post the throughputs once. */
function runBaselines(): void {
  const port = (workerData as { port?: MessagePort }).port
  try {
    const input = baselineInputSchema.parse(workerData)
    const parsed = parseExperiment(input.experiment)
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues))
    const control = new Int32Array(input.control)
    const shared = new Float64Array(input.progress)
    const run = createBaselineRun(parsed.experiment, { seed: input.seed, maxOpsInFlight: input.maxOpsInFlight })
    while (!run.finished) {
      waitWhilePaused(control)
      run.advance(SLICE_EVENTS)
      shared[0] = run.progress
      shared[1] = shared[1]! + 1
      const projected = overBudget(run.events, run.progress, input.eventBudget)
      if (projected !== null) {
        throw new Error(
          `stopped: at this pace the baselines would need about ${projected.toExponential(1)} events; ` +
            'shorten duration_s, lower the load, or set baseline: none'
        )
      }
    }
    port?.postMessage({ type: 'baselines', ...run.result() })
  } catch (err) {
    port?.postMessage({ type: 'failed', message: errorMessage(err) })
  }
  port?.close()
}

interface BaselineThread {
  port: MessagePort
  /** [progress 0..1, slices done]. */
  shared: Float64Array
  thread: Worker
}

/** Starts the baseline thread; returns where its answer arrives and its progress and heartbeat. */
function startBaselines(input: WorkerInput): BaselineThread {
  const channel = new MessageChannel()
  const shared = new SharedArrayBuffer(16)
  const { experiment, seed, control, eventBudget, maxOpsInFlight } = input
  const thread = new Worker(__filename, {
    workerData: { role: 'baselines', experiment, seed, control, progress: shared, eventBudget, maxOpsInFlight, port: channel.port2 },
    transferList: [channel.port2],
    resourceLimits: { maxOldGenerationSizeMb: input.memoryMb }
  })
  return { port: channel.port1, shared: new Float64Array(shared), thread }
}

/** The baseline thread's answer if it has come (it throws the thread's failure), else null. */
function answerOf(helper: BaselineThread): BaselineThroughputs | null {
  const got = receiveMessageOnPort(helper.port)
  if (!got) return null
  const answer = baselineMessageSchema.parse(got.message)
  if (answer.type === 'failed') throw new Error(answer.message)
  return { native: answer.native, alone: answer.alone, nativeDetail: answer.nativeDetail, events: answer.events }
}

/** Waits for the baseline thread's answer; fails if it falls silent. Keeps the runner informed meanwhile. */
function awaitBaselines(helper: BaselineThread, control: Int32Array, idleMs: number, onWait: () => void): BaselineThroughputs {
  let beat = helper.shared[1]!
  let lastBeat = performance.now()
  for (;;) {
    const answer = answerOf(helper)
    if (answer) return answer
    const now = performance.now()
    if (helper.shared[1] !== beat || Atomics.load(control, 0) === PAUSED) {
      beat = helper.shared[1]!
      lastBeat = now
    } else if (now - lastBeat > HEARTBEAT_TIMEOUT_MS) {
      throw new Error('the thread simulating the baselines stopped without an answer')
    }
    onWait()
    sleep(idleMs)
  }
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
  const apart = parsed.experiment.baseline === 'native' && input.inlineBaselines !== true
  const sim = createSimulation(parsed.experiment, {
    seed: input.seed,
    baselines: apart ? 'external' : 'inline',
    maxOpsInFlight: input.maxOpsInFlight
  })
  const helper = apart ? startBaselines(input) : null
  try {
    run(input, sim, control, started, helper, parsed.experiment.duration_s)
  } finally {
    if (helper) void helper.thread.terminate()
  }
}

/** Runs the main scenario, takes the baselines' answer, posts batches and the result. */
function run(
  input: WorkerInput,
  sim: SimulationRun,
  control: Int32Array,
  started: number,
  helper: BaselineThread | null,
  durationS: number
): void {
  let pending: Sample[] = []
  let lastPost = started
  let pausedMs = 0
  // Progress is simulated time over the run's duration, the one figure every view shows.
  const progressNow = (): number => (sim.finished ? 1 : durationS > 0 ? Math.min(1, sim.simulatedS / durationS) : sim.progress)
  const flush = (): void => {
    post({ type: 'batch', samples: pending, events: sim.takeNotable(), progress: progressNow(), simulated_s: sim.simulatedS })
    pending = []
    lastPost = performance.now()
  }
  let answered = helper === null
  while (!sim.finished) {
    pausedMs += waitWhilePaused(control)
    try {
      if (helper && !answered) {
        sim.setBaselineProgress(helper.shared[0]!)
        // Take the baselines' answer as soon as it comes (a failure stops the run at once); once the main
        // scenario is done, wait for it.
        const answer = sim.awaitingBaselines
          ? awaitBaselines(helper, control, Math.min(50, input.batchWallMs), () => {
              pausedMs += waitWhilePaused(control)
              sim.setBaselineProgress(helper.shared[0]!)
              if (performance.now() - lastPost >= input.batchWallMs) flush()
            })
          : answerOf(helper)
        if (answer) {
          sim.provideBaselines(answer)
          answered = true
          void helper.thread.terminate()
        }
      }
    } catch (err) {
      post({ type: 'failed', message: errorMessage(err) })
      return
    }
    // Paced: hold simulated time to pace × the wall time run so far (pauses excluded); the baselines' tail is not paced.
    const paced = input.pace !== 'max' && !sim.awaitingBaselines
    if (paced) {
      const aheadS = sim.simulatedS - pacedLimitS(input.pace, performance.now() - started - pausedMs)
      if (aheadS > 0) {
        if (performance.now() - lastPost >= input.batchWallMs) flush()
        sleep(Math.max(1, Math.min(input.batchWallMs, (aheadS * 1000) / (input.pace as number))))
        continue
      }
    }
    let samples: Sample[]
    try {
      samples = sim.advance(paced ? PACED_SLICE_EVENTS : SLICE_EVENTS)
    } catch (err) {
      // A run that reached a bound (e.g. a saturated open stream) keeps the samples it made.
      flush()
      post({ type: 'failed', message: errorMessage(err) })
      return
    }
    if (samples.length > 0) pending = pending.concat(samples)
    const events = sim.eventsProcessed
    const projected = sim.finished ? null : overBudget(events, sim.eventsProgress, input.eventBudget)
    if (projected !== null) {
      flush()
      post({
        type: 'failed',
        message:
          `stopped: at this pace the run would need about ${projected.toExponential(1)} events ` +
          `(${sim.simulatedS.toPrecision(3)} simulated s after ${events.toExponential(1)}); ` +
          'shorten duration_s, lower the load, or give each operation more work or think time'
      })
      return
    }
    if (performance.now() - lastPost >= input.batchWallMs || sim.finished) flush()
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
  const role = (workerData as { role?: unknown } | null)?.role
  if (role === 'baselines') runBaselines()
  else if (role === 'validation') runCases()
  else main()
} catch (err) {
  post({ type: 'failed', message: errorMessage(err) })
}
