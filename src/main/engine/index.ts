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
import type { RunResult, Sample } from '../../shared/result'
import { Fnv64 } from './checksum'
import { layoutRegions, type Region } from './regions'
import { baselineKey } from './baselines'
import { buildResult, throughputOf } from './results'
import { Scenario } from './scenario'

export interface SimulationRun {
  /** Process at most maxEvents kernel events; returns the samples (main scenario only) completed meanwhile, in time order. */
  advance(maxEvents: number): Sample[]
  readonly finished: boolean
  /** 0..1 across the main scenario and the baselines. */
  readonly progress: number
  /** Simulated seconds done in the main scenario. */
  readonly simulatedS: number
  /** Kernel events processed so far, main scenario and baselines. */
  readonly eventsProcessed: number
  /** Only when finished: the RunResult with sim.wall_ms = 0 (the caller fills wall time). */
  result(): RunResult
}

class Run implements SimulationRun {
  private readonly main: Scenario
  private readonly regions: Map<string, Region>
  /** Baselines to simulate, each for a representative VM and every VM that shares its key. */
  private readonly baselineJobs: Array<{ vm: string; alone: boolean; for: string[] }>
  private baseline: Scenario | null = null
  private baselineIndex = 0
  private readonly nativeTp = new Map<string, number>()
  private readonly aloneTp = new Map<string, number>()
  private pending: Sample[] = []
  private readonly hash = new Fnv64()
  private events = 0
  private doneResult: RunResult | null = null
  finished = false

  constructor(
    private readonly exp: Experiment,
    private readonly seed: number
  ) {
    this.regions = layoutRegions(exp)
    this.main = new Scenario(exp, { seed, regions: this.regions, onSample: (s) => this.onSample(s) })
    const jobs = new Map<string, { vm: string; alone: boolean; for: string[] }>()
    const add = (vm: string, alone: boolean): void => {
      const key = baselineKey(exp, vm, alone, this.regions)
      const job = jobs.get(key)
      if (job) job.for.push(vm)
      else jobs.set(key, { vm, alone, for: [vm] })
    }
    if (exp.baseline === 'native') {
      for (const v of exp.vms) {
        add(v.id, false)
        if (exp.vms.length > 1) add(v.id, true)
      }
    }
    this.baselineJobs = [...jobs.values()]
  }

  private onSample(s: Sample): void {
    this.pending.push(s)
    const h = this.hash
    h.number(s.t_ms).string(s.vm).number(s.throughput_ops_s)
    h.number(s.latency_mean_ms ?? NaN).number(s.latency_p99_ms ?? NaN).number(s.disk_iops).number(s.cpu_pct)
  }

  get progress(): number {
    const total = this.main.durationNs * (1 + this.baselineJobs.length)
    if (total <= 0 || this.finished) return 1
    const done = this.main.sim.now + this.main.durationNs * this.baselineIndex + (this.baseline ? this.baseline.sim.now : 0)
    return Math.min(1, done / total)
  }

  get simulatedS(): number {
    return this.main.sim.now / 1e9
  }

  get eventsProcessed(): number {
    return this.events
  }

  advance(maxEvents: number): Sample[] {
    let budget = Math.max(1, Math.floor(maxEvents))
    while (budget > 0 && !this.finished) {
      if (!this.main.ended) {
        const n = this.main.advance(budget)
        budget -= n
        this.events += n
        continue
      }
      if (this.baselineIndex >= this.baselineJobs.length) {
        this.finish()
        break
      }
      if (!this.baseline) {
        const job = this.baselineJobs[this.baselineIndex]!
        this.baseline = new Scenario(this.exp, { seed: this.seed, regions: this.regions, baselineFor: job.vm, alone: job.alone })
      }
      const n = this.baseline.advance(budget)
      budget -= n
      this.events += n
      if (this.baseline.ended) {
        const vm = this.baseline.vms[0]!
        const job = this.baselineJobs[this.baselineIndex]!
        const tp = throughputOf(this.baseline, vm)
        for (const id of job.for) (job.alone ? this.aloneTp : this.nativeTp).set(id, tp)
        this.baseline = null
        this.baselineIndex++
      }
    }
    const out = this.pending
    this.pending = []
    return out
  }

  private finish(): void {
    const partial = buildResult(this.exp, this.seed, this.main, this.nativeTp, this.aloneTp, this.events)
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

export function createSimulation(experiment: Experiment, options: { seed: number }): SimulationRun {
  return new Run(experiment, options.seed)
}

/** Runs a simulation to its end; returns every sample and the result. */
export function runToEnd(experiment: Experiment, seed: number): { samples: Sample[]; result: RunResult } {
  const run = createSimulation(experiment, { seed })
  const samples: Sample[] = []
  while (!run.finished) for (const s of run.advance(1_000_000)) samples.push(s)
  return { samples, result: run.result() }
}

export { Simulator, type Handler, type SimTime } from './kernel'
export { Rng } from './rng'
export { Histogram } from './histogram'
export { Sampler } from './distributions'
