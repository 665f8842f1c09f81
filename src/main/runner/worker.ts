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
 * When the main scenario falls into independent parts (engine
 * partitionExperiment: no host, array, volume or event in common) and the
 * machine has more cores, this thread starts more threads (this same file,
 * in its parts role), shares the parts out among them and itself, and feeds
 * what they make — samples as they come, the parts' summaries at the end —
 * to the engine, which merges them: the samples, result and checksum are
 * those of one thread, in a fraction of the time.
 *
 * In its pooled role the thread is long-lived and takes runs in turn (a
 * sweep's slots keep one each), so a run does not pay for starting a thread.
 *
 * In its validation role the thread runs the published cases
 * (src/main/validation) and posts its progress and the report.
 */
import { MessageChannel, receiveMessageOnPort, Worker, parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import { shareParts } from './shares'
import {
  createBaselineRun,
  createPartsRun,
  createSimulation,
  type BaselineThroughputs,
  type PartSummary,
  type SimulationRun
} from '../engine'
import { parseExperiment, zodIssues } from '../../shared/experiment'
import { errorMessage, formatIssues } from '../../shared/errors'
import { runResultSchema, type Sample } from '../../shared/result'
import {
  baselineInputSchema,
  baselineMessageSchema,
  PAUSED,
  partsInputSchema,
  partsMessageSchema,
  workerInputSchema,
  type PartsMessage,
  type ValidationMessage,
  type WorkerInput,
  type WorkerMessage
} from './messages'
import { runValidation } from '../validation/run'
import { packBlocks } from '../store/sampleBlocks'
import { pacedLimitS } from '../../shared/pace'

const SLICE_EVENTS = 20_000
/** A paced run advances in smaller slices, so it overshoots the wall clock by little: at most this many events… */
const PACED_SLICE_EVENTS = 2_000
/** …and about this much wall time at the run's pace, judged by its events per simulated second so far. */
const PACED_SLICE_WALL_MS = 2
/** The first paced slice, before the run's event rate is known. */
const PACED_FIRST_SLICE_EVENTS = 50

/**
 * Events for a paced run's next slice. A fixed count would move a light
 * experiment's clock in jumps of seconds (two thousand events can be three
 * simulated seconds), and a warm thread would take the first jump at once.
 */
function pacedSliceEvents(sim: SimulationRun, pace: number): number {
  if (sim.simulatedS <= 0) return PACED_FIRST_SLICE_EVENTS
  const perSimulatedS = sim.eventsProcessed / sim.simulatedS
  return Math.max(1, Math.min(PACED_SLICE_EVENTS, Math.round((perSimulatedS * pace * PACED_SLICE_WALL_MS) / 1000)))
}
/** A baseline thread silent this long (while not paused) has died. */
const HEARTBEAT_TIMEOUT_MS = 30_000

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer)
}

/** Blocks this thread while the runner holds the run paused; returns the ms spent paused. */
function waitWhilePaused(control: Int32Array): number {
  if (Atomics.load(control, 0) !== PAUSED) return 0
  post({ type: 'held' })
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

/** The parts role: simulate the parts given, post their samples about every batchWallMs, then their summaries. */
function runPartsRole(): void {
  const port = (workerData as { port?: MessagePort }).port
  try {
    const input = partsInputSchema.parse(workerData)
    const parsed = parseExperiment(input.experiment)
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues))
    const control = new Int32Array(input.control)
    const shared = new Float64Array(input.progress)
    const run = createPartsRun(parsed.experiment, {
      seed: input.seed,
      parts: input.parts,
      maxOpsInFlight: input.maxOpsInFlight,
      ...(input.partVms === undefined ? {} : { partVms: input.partVms })
    })
    const durationNs = parsed.experiment.duration_s * 1e9
    let pending: Sample[] = []
    let lastPost = performance.now()
    while (!run.finished) {
      waitWhilePaused(control)
      const samples = run.advance(SLICE_EVENTS)
      if (samples.length > 0) pending = pending.concat(samples)
      shared[0] = run.nowNs / 1e9
      shared[1] = shared[1]! + 1
      shared[2] = run.events
      const projected = overBudget(run.events, durationNs > 0 ? run.nowNs / durationNs : 1, input.eventBudget)
      if (projected !== null) throw new Error(`stopped: at this pace the run would need about ${projected.toExponential(1)} events; shorten duration_s or lower the load`)
      if (performance.now() - lastPost >= input.batchWallMs) {
        port?.postMessage({ type: 'samples', samples: pending, events: run.takeNotable(), arrays: run.takeArraySamples() } satisfies PartsMessage)
        pending = []
        lastPost = performance.now()
      }
    }
    port?.postMessage({ type: 'samples', samples: pending, events: run.takeNotable(), arrays: run.takeArraySamples() } satisfies PartsMessage)
    port?.postMessage({ type: 'parts', summaries: run.summaries(), events: run.events })
  } catch (err) {
    port?.postMessage({ type: 'failed', message: errorMessage(err) } satisfies PartsMessage)
  }
  port?.close()
}

interface PartsThread {
  port: MessagePort
  /** [simulated s its parts reached, slices done (a heartbeat), events]. */
  shared: Float64Array
  thread: Worker
  done: boolean
}

/** Starts a thread for `parts`; returns where its messages arrive and its progress and heartbeat. */
function startParts(input: WorkerInput, parts: number[]): PartsThread {
  const channel = new MessageChannel()
  const shared = new SharedArrayBuffer(24)
  const { experiment, seed, control, eventBudget, maxOpsInFlight, batchWallMs, partVms } = input
  const thread = new Worker(__filename, {
    workerData: {
      role: 'parts',
      ...{ experiment, seed, parts, control, progress: shared, eventBudget, maxOpsInFlight, batchWallMs, port: channel.port2 },
      ...(partVms === undefined ? {} : { partVms })
    },
    transferList: [channel.port2],
    resourceLimits: { maxOldGenerationSizeMb: input.memoryMb }
  })
  return { port: channel.port1, shared: new Float64Array(shared), thread, done: false }
}

/**
 * Hands what the parts threads posted meanwhile to the run (it throws a thread's failure). The message is
 * checked against its schema and the checked original passed on: the summary's key order is part of the
 * checksum, and the clone a thread receives keeps it.
 */
function drainParts(threads: readonly PartsThread[], sim: SimulationRun): void {
  for (const t of threads) {
    if (t.done) continue
    for (let got = receiveMessageOnPort(t.port); got; got = receiveMessageOnPort(t.port)) {
      const check = partsMessageSchema.safeParse(got.message)
      if (!check.success) throw new Error('a thread simulating parts of the run sent a malformed message')
      const m = got.message as PartsMessage
      if (m.type === 'failed') throw new Error(m.message)
      if (m.type === 'samples') sim.provideSamples(m.samples, m.events, m.arrays)
      else {
        sim.provideParts(m.summaries as PartSummary[])
        t.done = true
        void t.thread.terminate()
        break
      }
    }
  }
  let now = Infinity
  let events = 0
  for (const t of threads) {
    events += t.shared[2]!
    if (!t.done) now = Math.min(now, t.shared[0]!)
  }
  sim.setPartProgress(now, events)
}

function main(): void {
  runJob(workerInputSchema.parse(workerData))
}

/**
 * The pooled role: a long-lived thread that takes runs in turn, one message each, and answers each with
 * its batches and its `done` or `failed`, then waits for the next. Its modules are loaded, its catalog read
 * and its code compiled once, not once per run; what one run builds is dropped when it ends, so a run's
 * result cannot depend on the runs before it.
 */
function runPooled(): void {
  parentPort?.on('message', (raw: unknown) => {
    const input = workerInputSchema.safeParse(raw)
    if (!input.success) {
      post({ type: 'failed', message: 'the engine thread was given a malformed run' })
      return
    }
    try {
      runJob(input.data)
    } catch (err) {
      post({ type: 'failed', message: errorMessage(err) })
    }
  })
}

/** One run on this thread: parse, simulate (sharing parts and baselines out to threads of its own), post. */
function runJob(input: WorkerInput): void {
  const parsed = parseExperiment(input.experiment)
  if (!parsed.ok) {
    post({ type: 'failed', message: formatIssues(parsed.issues) })
    return
  }
  const control = new Int32Array(input.control)
  const started = performance.now()
  const apart = parsed.experiment.baseline === 'native' && input.inlineBaselines !== true
  // A pool that runs one thread per run (inlineBaselines) keeps each run on its thread.
  const shares = shareParts(parsed.experiment, input.threads ?? (input.inlineBaselines === true ? 1 : availableParallelism()), input.partVms)
  const sim = createSimulation(parsed.experiment, {
    seed: input.seed,
    baselines: apart ? 'external' : 'inline',
    maxOpsInFlight: input.maxOpsInFlight,
    parts: shares[0] ?? [],
    ...(input.partVms === undefined ? {} : { partVms: input.partVms })
  })
  const helper = apart ? startBaselines(input) : null
  const partThreads = shares.slice(1).map((parts) => startParts(input, parts))
  try {
    run(input, sim, control, started, helper, parsed.experiment.duration_s, partThreads)
  } finally {
    if (helper) void helper.thread.terminate()
    for (const t of partThreads) void t.thread.terminate()
  }
}

/** Waits until the parts threads have handed every part over; fails if one falls silent. Keeps the runner informed meanwhile. */
function awaitParts(threads: readonly PartsThread[], sim: SimulationRun, control: Int32Array, idleMs: number, onWait: () => void): void {
  const beats = threads.map((t) => t.shared[1]!)
  let lastBeat = performance.now()
  for (;;) {
    drainParts(threads, sim)
    if (!sim.awaitingParts) return
    const now = performance.now()
    if (threads.some((t, i) => t.shared[1] !== beats[i]) || Atomics.load(control, 0) === PAUSED) {
      threads.forEach((t, i) => (beats[i] = t.shared[1]!))
      lastBeat = now
    } else if (now - lastBeat > HEARTBEAT_TIMEOUT_MS) {
      throw new Error('a thread simulating parts of the run stopped without an answer')
    }
    onWait()
    sleep(idleMs)
  }
}

/** Runs the main scenario, takes the baselines' answer, posts batches and the result. */
function run(
  input: WorkerInput,
  sim: SimulationRun,
  control: Int32Array,
  started: number,
  helper: BaselineThread | null,
  durationS: number,
  partThreads: readonly PartsThread[]
): void {
  let pending: Sample[] = []
  let lastPost = started
  let pausedMs = 0
  // Progress is simulated time over the run's duration, the one figure every view shows.
  const progressNow = (): number => (sim.finished ? 1 : durationS > 0 ? Math.min(1, sim.simulatedS / durationS) : sim.progress)
  const flush = (): void => {
    // Packed here and their buffers handed over, not copied: the runner's thread checks and stores them whole.
    const blocks = packBlocks(pending)
    post(
      { type: 'batch', blocks, events: sim.takeNotable(), arrays: sim.takeArraySamples(), progress: progressNow(), simulated_s: sim.simulatedS },
      blocks.map((b) => b.data)
    )
    pending = []
    lastPost = performance.now()
  }
  let answered = helper === null
  while (!sim.finished) {
    pausedMs += waitWhilePaused(control)
    try {
      if (partThreads.length > 0) {
        drainParts(partThreads, sim)
        // This thread's own parts are done: wait for the others' (their samples keep flowing to the runner).
        if (sim.awaitingParts) {
          awaitParts(partThreads, sim, control, Math.min(50, input.batchWallMs), () => {
            pausedMs += waitWhilePaused(control)
            if (performance.now() - lastPost >= input.batchWallMs) {
              pending = pending.concat(sim.advance(1))
              flush()
            }
          })
        }
      }
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
      samples = sim.advance(paced ? pacedSliceEvents(sim, input.pace as number) : SLICE_EVENTS)
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
  else if (role === 'parts') runPartsRole()
  else if (role === 'validation') runCases()
  else if (role === 'pool') runPooled()
  else main()
} catch (err) {
  post({ type: 'failed', message: errorMessage(err) })
}
