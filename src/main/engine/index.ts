/**
 * The engine's public API. `createSimulation` builds the main scenario (every
 * VM) and, when the experiment asks for `baseline: native`, baselines run
 * after it: per VM one bare-metal scenario and, when the VM has neighbours,
 * one with the VM alone under its hypervisor (which splits the overhead into
 * virtualization tax and contention); `advance` runs them in slices of kernel
 * events, so a worker thread can post samples and progress between slices.
 * Pure and deterministic: same experiment + same seed → same samples, same
 * summary, same checksum.
 */
import type { Experiment } from '../../shared/experiment/schema'
import type { NotableEvent } from '../../shared/replay'
import type { RunResult, Sample } from '../../shared/result'
import { Fnv64 } from './kernel/checksum'
import { layoutRegions } from './scenario/regions'
import { BaselineRun, baselineJobs, type BaselineThroughputs } from './scenario/baselines'
import { buildResult } from './report/results'
import { Scenario } from './scenario/scenario'

export interface SimulationRun {
  /** Process at most maxEvents kernel events; returns the samples (main scenario only) completed meanwhile, in time order. */
  advance(maxEvents: number): Sample[]
  /** The notable moments (notable.ts) of the main scenario since the last call, in time order. */
  takeNotable(): NotableEvent[]
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
}

class Run implements SimulationRun {
  private readonly main: Scenario
  /** The baselines when this run simulates them itself; null when the caller runs them elsewhere. */
  private readonly baselines: BaselineRun | null
  private provided: BaselineThroughputs | null = null
  private externalProgress = 0
  private readonly jobCount: number
  private pending: Sample[] = []
  private notable: NotableEvent[] = []
  private readonly hash = new Fnv64()
  private mainEvents = 0
  private doneResult: RunResult | null = null
  finished = false

  constructor(
    private readonly exp: Experiment,
    private readonly seed: number,
    inline: boolean,
    maxOpsInFlight?: number
  ) {
    const regions = layoutRegions(exp)
    const bound = maxOpsInFlight === undefined ? {} : { maxOpsInFlight }
    this.main = new Scenario(exp, { seed, regions, kind: 'main', onSample: (s) => this.onSample(s), onNotable: (e) => this.notable.push(e), ...bound })
    this.baselines = inline ? new BaselineRun(exp, seed, regions, maxOpsInFlight) : null
    this.jobCount = (this.baselines?.jobs ?? baselineJobs(exp, regions)).length
  }

  private onSample(s: Sample): void {
    this.pending.push(s)
    const h = this.hash
    h.number(s.t_ms).string(s.vm).number(s.throughput_ops_s)
    h.number(s.latency_mean_ms ?? NaN).number(s.latency_p99_ms ?? NaN).number(s.disk_iops).number(s.cpu_pct)
  }

  /** How far the main scenario is through its duration (not clamped). */
  private get mainProgress(): number {
    return this.main.durationNs > 0 ? this.main.sim.now / this.main.durationNs : 1
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
    return this.main.sim.now / 1e9
  }

  get eventsProcessed(): number {
    return this.mainEvents + (this.baselines ? this.baselines.events : 0)
  }

  get eventsProgress(): number {
    if (this.baselines || this.finished) return this.progress
    return Math.min(1, this.mainProgress)
  }

  get awaitingBaselines(): boolean {
    return this.main.ended && !this.finished && this.baselines === null && this.provided === null
  }

  setBaselineProgress(p: number): void {
    this.externalProgress = Math.max(0, Math.min(1, p))
  }

  provideBaselines(b: BaselineThroughputs): void {
    if (this.baselines) throw new Error('this run simulates its own baselines')
    if (this.provided) throw new Error('the baselines were already provided')
    this.provided = b
    if (this.main.ended) this.finish()
  }

  advance(maxEvents: number): Sample[] {
    let budget = Math.max(1, Math.floor(maxEvents))
    while (budget > 0 && !this.finished) {
      if (!this.main.ended) {
        const n = this.main.advance(budget)
        budget -= n
        this.mainEvents += n
        continue
      }
      if (this.baselines && !this.baselines.finished) {
        budget -= this.baselines.advance(budget)
        continue
      }
      if (!this.baselines && !this.provided) break
      this.finish()
    }
    const out = this.pending
    this.pending = []
    return out
  }

  takeNotable(): NotableEvent[] {
    const out = this.notable
    this.notable = []
    return out
  }

  private finish(): void {
    const b = this.baselines ? this.baselines.result() : this.provided!
    const native = new Map(Object.entries(b.native))
    const alone = new Map(Object.entries(b.alone))
    const partial = buildResult(this.exp, this.seed, this.main, native, alone, this.mainEvents + b.events, new Map(Object.entries(b.nativeDetail)))
    hashValue(this.hash, partial)
    this.doneResult = { ...partial, checksum: this.hash.hex() }
    this.finished = true
  }

  result(): RunResult {
    if (!this.doneResult) throw new Error('the simulation has not finished')
    // A copy: the caller fills wall time.
    return { ...this.doneResult, sim: { ...this.doneResult.sim } }
  }
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
}

export function createSimulation(experiment: Experiment, options: SimulationOptions): SimulationRun {
  return new Run(experiment, options.seed, options.baselines !== 'external', options.maxOpsInFlight)
}

/** The baselines of an experiment on their own, for a caller that runs them beside the main scenario. */
export function createBaselineRun(experiment: Experiment, options: { seed: number; maxOpsInFlight?: number }): BaselineRun {
  return new BaselineRun(experiment, options.seed, undefined, options.maxOpsInFlight)
}

/** Runs a simulation to its end; returns every sample, the notable moments and the result. */
export function runToEnd(experiment: Experiment, seed: number): { samples: Sample[]; events: NotableEvent[]; result: RunResult } {
  const run = createSimulation(experiment, { seed })
  const samples: Sample[] = []
  const events: NotableEvent[] = []
  while (!run.finished) {
    for (const s of run.advance(1_000_000)) samples.push(s)
    events.push(...run.takeNotable())
  }
  return { samples, events, result: run.result() }
}

export { Simulator, type Handler, type SimTime } from './kernel/kernel'
export type { BaselineRun, BaselineThroughputs } from './scenario/baselines'
export { Rng } from './kernel/rng'
export { estimateRunMemory, opsInFlightAllowed, MEMORY_MODEL, SimulationLimit, type MemoryEstimate } from './scenario/memory'
export { Histogram } from './kernel/histogram'
export { Sampler } from './kernel/distributions'
