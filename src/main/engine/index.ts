/**
 * The engine's public API. `createSimulation` builds the main scenario (every
 * VM) and, when the experiment asks for `baseline: native`, baselines run
 * after it: per VM one bare-metal scenario and, when the VM has neighbours,
 * one with the VM alone under its hypervisor (which splits the overhead into
 * virtualization tax and contention); `advance` runs them in slices of kernel
 * events, so a worker thread can post samples and progress between slices.
 * The main scenario runs as the experiment's independent parts
 * (scenario/partition.ts), each in a scenario of its own; a caller with
 * spare threads may run some parts elsewhere (`createPartsRun`) and hand
 * their samples and summaries over. Pure and deterministic: same experiment
 * + same seed → same samples, same summary, same checksum, however the parts
 * are shared out.
 */
import type { Experiment } from '../../shared/experiment/schema'
import type { NotableEvent } from '../../shared/replay'
import type { ArraySample, RunResult, Sample } from '../../shared/result'
import { Fnv64 } from './kernel/checksum'
import { layoutRegions } from './scenario/regions'
import { BaselineRun, baselineJobs, type BaselineThroughputs } from './scenario/baselines'
import { assembleResult, runEvents, type PartSummary } from './report/results'
import { partitionExperiment, type Part } from './scenario/partition'
import { ArraySampleMerger, NotableMerger, PartsRun, SampleMerger } from './parts'

export interface SimulationRun {
  /** Process at most maxEvents kernel events; returns the samples (main scenario only) completed meanwhile, in time order. */
  advance(maxEvents: number): Sample[]
  /** The notable moments (notable.ts) of the main scenario since the last call, in time order. */
  takeNotable(): NotableEvent[]
  /** The SAN arrays' samples of the windows released so far and not yet taken, by window then in the experiment's array order. */
  takeArraySamples(): ArraySample[]
  readonly finished: boolean
  /** 0..1 across the main scenario and the baselines. */
  readonly progress: number
  /** Simulated seconds done in the main scenario. */
  readonly simulatedS: number
  /** Kernel events processed so far: main scenario and baselines, or only the main scenario while its baselines run elsewhere. */
  readonly eventsProcessed: number
  /** 0..1: how far the work whose events `eventsProcessed` counts has come (for projecting a run's total). */
  readonly eventsProgress: number
  /** Only when finished: the RunResult with sim.wall_ms = 0 (the caller fills wall time). */
  result(): RunResult
  /** With external baselines: the main scenario has ended and the run waits for `provideBaselines`. */
  readonly awaitingBaselines: boolean
  /** With external baselines: how far they are (0..1), for `progress`. */
  setBaselineProgress(p: number): void
  /** With external baselines: their result; the run then finishes. */
  provideBaselines(b: BaselineThroughputs): void
  /** Independent parts of the main scenario (see partitionExperiment). */
  readonly partCount: number
  /** With parts run elsewhere: this run's own parts are done and it waits for `provideParts`. */
  readonly awaitingParts: boolean
  /** With parts run elsewhere: the simulated seconds they all reached and the events they ran, for progress. */
  setPartProgress(simulatedS: number, events: number): void
  /** With parts run elsewhere: samples, notable moments and arrays' samples they made (any order; the run merges them). */
  provideSamples(samples: readonly Sample[], notable?: readonly NotableEvent[], arrays?: readonly ArraySample[]): void
  /** With parts run elsewhere: summaries of finished parts. */
  provideParts(summaries: readonly PartSummary[]): void
}

class Run implements SimulationRun {
  private readonly parts: Part[]
  /** The parts this run simulates itself (all of them unless the caller runs some elsewhere). */
  private readonly local: PartsRun
  /** Parts simulated elsewhere whose summaries have not come yet, and what came. */
  private remoteLeft: number
  private readonly remoteSummaries: PartSummary[] = []
  private remoteEvents = 0
  private remoteNowS = Infinity
  private readonly merger: SampleMerger
  private readonly durationNs: number
  /** The baselines when this run simulates them itself; null when the caller runs them elsewhere. */
  private readonly baselines: BaselineRun | null
  private provided: BaselineThroughputs | null = null
  private externalProgress = 0
  private readonly jobCount: number
  private readonly notable: NotableMerger
  private readonly arraySamples: ArraySampleMerger
  /** Time of the last sample window released: every part has passed it. */
  private releasedMs = -Infinity
  private readonly hash = new Fnv64()
  /** Samples the finish released (and hashed) before the summary, handed out by the next `advance`. */
  private tail: Sample[] = []
  private doneResult: RunResult | null = null
  finished = false

  constructor(
    private readonly exp: Experiment,
    private readonly seed: number,
    inline: boolean,
    maxOpsInFlight: number | undefined,
    localParts: readonly number[] | undefined,
    partVms: number | undefined
  ) {
    const regions = layoutRegions(exp)
    this.parts = partitionExperiment(exp, partVms)
    const mine = localParts ? pickParts(this.parts, localParts) : this.parts
    this.local = new PartsRun(exp, seed, mine, regions, maxOpsInFlight)
    this.remoteLeft = this.parts.length - mine.length
    this.remoteNowS = this.remoteLeft === 0 ? Infinity : 0
    this.merger = new SampleMerger(exp)
    this.durationNs = exp.duration_s * 1e9
    this.notable = new NotableMerger(exp)
    this.arraySamples = new ArraySampleMerger(exp)
    this.baselines = inline ? new BaselineRun(exp, seed, regions, maxOpsInFlight) : null
    this.jobCount = (this.baselines?.jobs ?? baselineJobs(exp, regions)).length
  }

  get partCount(): number {
    return this.parts.length
  }

  /** Hashes released samples in the order one scenario of the whole emits them. */
  private release(samples: Sample[]): Sample[] {
    const h = this.hash
    for (const s of samples) {
      h.number(s.t_ms).string(s.vm).number(s.throughput_ops_s)
      h.number(s.latency_mean_ms ?? NaN).number(s.latency_p99_ms ?? NaN).number(s.disk_iops).number(s.cpu_pct)
    }
    if (samples.length > 0) this.releasedMs = samples[samples.length - 1]!.t_ms
    return samples
  }

  private get mainEnded(): boolean {
    return this.local.finished && this.remoteLeft === 0
  }

  /** How far the main scenario is through its duration (not clamped). */
  private get mainProgress(): number {
    return this.durationNs > 0 ? (this.simulatedS * 1e9) / this.durationNs : 1
  }

  get progress(): number {
    if (this.finished) return 1
    const main = this.mainProgress
    if (this.jobCount === 0) return Math.min(1, main)
    // Run elsewhere at the same time: each part is half the way (which one ends last is not known ahead).
    if (!this.baselines) return Math.min(1, (main + this.externalProgress) / 2)
    // Run here after the main scenario: weighted as the simulated time each part covers at most.
    return Math.min(1, (main + this.jobCount * this.baselines.progress) / (1 + this.jobCount))
  }

  get simulatedS(): number {
    const local = this.local.finished ? Infinity : this.local.nowNs / 1e9
    const s = Math.min(local, this.remoteNowS)
    return s === Infinity ? this.exp.duration_s : s
  }

  get eventsProcessed(): number {
    return this.local.events + this.remoteEvents + (this.baselines ? this.baselines.events : 0)
  }

  get eventsProgress(): number {
    if (this.baselines || this.finished) return this.progress
    return Math.min(1, this.mainProgress)
  }

  get awaitingBaselines(): boolean {
    return this.mainEnded && !this.finished && this.baselines === null && this.provided === null
  }

  get awaitingParts(): boolean {
    return this.local.finished && this.remoteLeft > 0
  }

  setBaselineProgress(p: number): void {
    this.externalProgress = Math.max(0, Math.min(1, p))
  }

  provideBaselines(b: BaselineThroughputs): void {
    if (this.baselines) throw new Error('this run simulates its own baselines')
    if (this.provided) throw new Error('the baselines were already provided')
    this.provided = b
    this.tryFinish()
  }

  setPartProgress(simulatedS: number, events: number): void {
    if (this.remoteLeft > 0) this.remoteNowS = simulatedS
    this.remoteEvents = events
  }

  provideSamples(samples: readonly Sample[], notable: readonly NotableEvent[] = [], arrays: readonly ArraySample[] = []): void {
    this.merger.push(samples)
    this.notable.push(notable)
    this.arraySamples.push(arrays)
  }

  provideParts(summaries: readonly PartSummary[]): void {
    if (summaries.length > this.remoteLeft) throw new Error(`${summaries.length} part summaries came for ${this.remoteLeft} parts run elsewhere`)
    this.remoteSummaries.push(...summaries)
    this.remoteLeft -= summaries.length
    if (this.remoteLeft === 0) this.remoteNowS = Infinity
    this.tryFinish()
  }

  advance(maxEvents: number): Sample[] {
    let budget = Math.max(1, Math.floor(maxEvents))
    while (budget > 0 && !this.finished) {
      if (!this.local.finished) {
        const before = this.local.events
        this.merger.push(this.local.advance(budget))
        budget -= this.local.events - before
        continue
      }
      if (this.baselines && !this.baselines.finished) {
        budget -= this.baselines.advance(budget)
        continue
      }
      if (!this.tryFinish()) break
    }
    const out = this.tail.concat(this.release(this.merger.take()))
    this.tail = []
    return out
  }

  takeNotable(): NotableEvent[] {
    this.notable.push(this.local.takeNotable())
    return this.notable.take(this.finished ? Infinity : this.releasedMs)
  }

  takeArraySamples(): ArraySample[] {
    this.arraySamples.push(this.local.takeArraySamples())
    return this.arraySamples.take(this.finished ? Infinity : this.releasedMs)
  }

  /** Finishes once the main scenario's parts and the baselines are all in; false while something is missing. */
  private tryFinish(): boolean {
    if (this.finished) return true
    if (!this.mainEnded) return false
    if (this.baselines ? !this.baselines.finished : !this.provided) return false
    const b = this.baselines ? this.baselines.result() : this.provided!
    const native = new Map(Object.entries(b.native))
    const alone = new Map(Object.entries(b.alone))
    const summaries = [...this.local.summaries(), ...this.remoteSummaries]
    const events = runEvents(summaries) + b.events
    // Samples of windows still open when the last part ended (none when every part emitted all of them).
    this.tail = this.tail.concat(this.release(this.merger.take(true)))
    const partial = assembleResult(this.exp, this.seed, summaries, native, alone, events, new Map(Object.entries(b.nativeDetail)))
    hashValue(this.hash, partial)
    this.doneResult = { ...partial, checksum: this.hash.hex() }
    this.finished = true
    return true
  }


  result(): RunResult {
    if (!this.doneResult) throw new Error('the simulation has not finished')
    // A copy: the caller fills wall time.
    return { ...this.doneResult, sim: { ...this.doneResult.sim } }
  }
}

/** The parts of `all` at `indexes`, in that order; an index with no part is an error. */
function pickParts(all: readonly Part[], indexes: readonly number[]): Part[] {
  return indexes.map((i) => {
    const p = all[i]
    if (!p) throw new Error(`the experiment has no part ${i}`)
    return p
  })
}

/** Hashes a JSON-like value in key order, skipping wall-clock fields. */
function hashValue(h: Fnv64, v: unknown): void {
  if (v === null || v === undefined) h.string('∅')
  else if (typeof v === 'number') h.number(v)
  else if (typeof v === 'string') h.string(v)
  else if (typeof v === 'boolean') h.string(v ? 'true' : 'false')
  else if (Array.isArray(v)) {
    h.string('[')
    for (const x of v) hashValue(h, x)
    h.string(']')
  } else if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'wall_ms') continue
      h.string(k)
      hashValue(h, x)
    }
  }
}

export interface SimulationOptions {
  seed: number
  /**
   * `inline` (default): the run simulates its baselines after the main
   * scenario. `external`: the caller runs `createBaselineRun` elsewhere (a
   * second thread) and hands its result to `provideBaselines`; the result and
   * checksum are the same either way.
   */
  baselines?: 'inline' | 'external'
  /** Operations in flight the run may hold (see memory.ts); unbounded when absent. */
  maxOpsInFlight?: number
  /**
   * Indexes of the parts (see `partitionExperiment`) this run simulates; the caller runs the others with
   * `createPartsRun` and hands over what they make. All of them when absent.
   */
  parts?: readonly number[]
  /** VMs a part gathers (see PART_VMS); Infinity simulates the whole main scenario as one. Never changes a result. */
  partVms?: number
}

export function createSimulation(experiment: Experiment, options: SimulationOptions): SimulationRun {
  return new Run(experiment, options.seed, options.baselines !== 'external', options.maxOpsInFlight, options.parts, options.partVms)
}

/** Some parts of an experiment's main scenario on their own, for a caller that runs them on another thread. */
export function createPartsRun(
  experiment: Experiment,
  options: { seed: number; parts: readonly number[]; maxOpsInFlight?: number; partVms?: number }
): PartsRun {
  const mine = pickParts(partitionExperiment(experiment, options.partVms), options.parts)
  return new PartsRun(experiment, options.seed, mine, layoutRegions(experiment), options.maxOpsInFlight)
}

/** The baselines of an experiment on their own, for a caller that runs them beside the main scenario. */
export function createBaselineRun(experiment: Experiment, options: { seed: number; maxOpsInFlight?: number }): BaselineRun {
  return new BaselineRun(experiment, options.seed, undefined, options.maxOpsInFlight)
}

/** Runs a simulation to its end; returns every sample, the notable moments, the arrays' samples and the result. */
export function runToEnd(experiment: Experiment, seed: number): { samples: Sample[]; events: NotableEvent[]; arraySamples: ArraySample[]; result: RunResult } {
  const run = createSimulation(experiment, { seed })
  const samples: Sample[] = []
  const events: NotableEvent[] = []
  const arraySamples: ArraySample[] = []
  while (!run.finished) {
    for (const s of run.advance(1_000_000)) samples.push(s)
    events.push(...run.takeNotable())
    arraySamples.push(...run.takeArraySamples())
  }
  return { samples, events, arraySamples, result: run.result() }
}

export { Simulator, type Handler, type SimTime } from './kernel/kernel'
export type { BaselineRun, BaselineThroughputs } from './scenario/baselines'
export type { PartsRun } from './parts'
export type { PartSummary } from './report/results'
export { partitionExperiment, PART_VMS, type Part } from './scenario/partition'
export { Rng } from './kernel/rng'
export { estimateRunMemory, opsInFlightAllowed, MEMORY_MODEL, SimulationLimit, type MemoryEstimate } from './scenario/memory'
export { Histogram } from './kernel/histogram'
export { Sampler } from './kernel/distributions'
