/**
 * The main scenario of a run as independent parts (scenario/partition.ts):
 * `PartsRun` simulates some of them, each in a scenario of its own, side by
 * side on one thread, a slice of events at a time to the part furthest
 * behind; `SampleMerger` puts the samples of every part — from here or from
 * another thread — back into the order one scenario of the whole emits them:
 * by window, then in the experiment's VM order; `ArraySampleMerger` does the
 * same for the arrays' samples (an array belongs to exactly one part, as
 * every VM that uses it does). Parts share nothing, so the
 * samples and summary are the same whichever parts run where.
 */
import type { Experiment } from '../../shared/experiment/schema'
import type { NotableEvent } from '../../shared/replay'
import type { ArraySample, Sample } from '../../shared/result'
import { summarizePart, type PartSummary } from './report/results'
import type { Region } from './scenario/regions'
import { Scenario } from './scenario/scenario'
import { queueSubjects } from './scenario/notable'
import type { Part } from './scenario/partition'

/** Events a part runs before the next part's turn: enough to keep its working set in cache, few enough to keep parts abreast. */
const PART_SLICE = 50_000

/** Operations in flight a part may hold: its VMs' share of the run's bound. */
export function partBound(maxOpsInFlight: number | undefined, partVms: number, totalVms: number): number | undefined {
  if (maxOpsInFlight === undefined || totalVms === 0) return maxOpsInFlight
  return Math.max(1, Math.ceil((maxOpsInFlight * partVms) / totalVms))
}

export class PartsRun {
  private readonly scenarios: Scenario[]
  private out: Sample[] = []
  private notable: NotableEvent[] = []
  private arraySamples: ArraySample[] = []
  private done: PartSummary[] | null = null
  private readonly eventIndexes: (readonly number[])[]
  events = 0

  constructor(
    exp: Experiment,
    seed: number,
    parts: readonly Part[],
    regions: Map<string, Region>,
    maxOpsInFlight?: number
  ) {
    const onSample = (s: Sample): void => {
      this.out.push(s)
    }
    const onNotable = (e: NotableEvent): void => {
      this.notable.push(e)
    }
    const onArraySample = (s: ArraySample): void => {
      this.arraySamples.push(s)
    }
    this.eventIndexes = parts.map((p) => p.eventIndexes)
    this.scenarios = parts.map((p) => {
      const bound = partBound(maxOpsInFlight, p.vmIndexes.length, exp.vms.length)
      return new Scenario(p.experiment, { seed, regions, kind: 'main', onSample, onNotable, onArraySample, ...(bound === undefined ? {} : { maxOpsInFlight: bound }) })
    })
  }

  get finished(): boolean {
    return this.scenarios.every((s) => s.ended)
  }

  /** Simulated ns every part has reached. */
  get nowNs(): number {
    let min = Infinity
    for (const s of this.scenarios) min = Math.min(min, s.ended ? s.durationNs : s.sim.now)
    return min === Infinity ? 0 : min
  }

  /** Runs at most `maxEvents` events, a slice at a time to the part furthest behind; returns its samples (any order). */
  advance(maxEvents: number): Sample[] {
    let budget = Math.max(1, Math.floor(maxEvents))
    while (budget > 0) {
      let next: Scenario | null = null
      for (const s of this.scenarios) if (!s.ended && (next === null || s.sim.now < next.sim.now)) next = s
      if (next === null) break
      const n = next.advance(Math.min(budget, PART_SLICE))
      budget -= n
      this.events += n
    }
    const out = this.out
    this.out = []
    return out
  }

  /** The notable moments (scenario/notable.ts) its parts reported since the last call (any order). */
  takeNotable(): NotableEvent[] {
    const out = this.notable
    this.notable = []
    return out
  }

  /** The arrays' samples its parts made since the last call (any order). */
  takeArraySamples(): ArraySample[] {
    const out = this.arraySamples
    this.arraySamples = []
    return out
  }

  /** Only when finished: what each part contributes to the run's summary. */
  summaries(): PartSummary[] {
    if (!this.finished) throw new Error('the parts have not finished')
    this.done ??= this.scenarios.map((s, i) => summarizePart(s, this.eventIndexes[i]))
    return this.done
  }
}

/** Samples from any parts, released window by window once every VM's sample of the window is in, in VM order. */
export class SampleMerger {
  private readonly order: Map<string, number>
  private readonly windows = new Map<number, Sample[]>()
  /** Window times held, ascending. */
  private times: number[] = []

  constructor(exp: Experiment) {
    this.order = new Map(exp.vms.map((v, i) => [v.id, i]))
  }

  push(samples: readonly Sample[]): void {
    for (const s of samples) {
      let w = this.windows.get(s.t_ms)
      if (!w) {
        this.windows.set(s.t_ms, (w = []))
        this.times.push(s.t_ms)
        // Parts report windows in time order each, so a new time is nearly always the latest.
        for (let i = this.times.length - 1; i > 0 && this.times[i - 1]! > this.times[i]!; i--) {
          const t = this.times[i]!
          this.times[i] = this.times[i - 1]!
          this.times[i - 1] = t
        }
      }
      w.push(s)
    }
  }

  /** The windows complete so far, oldest first; with `all`, also what is left (at the end of the run). */
  take(all = false): Sample[] {
    const out: Sample[] = []
    let k = 0
    for (; k < this.times.length; k++) {
      const t = this.times[k]!
      const w = this.windows.get(t)!
      if (!all && w.length < this.order.size) break
      w.sort((a, b) => this.order.get(a.vm)! - this.order.get(b.vm)!)
      for (const s of w) out.push(s)
      this.windows.delete(t)
    }
    if (k > 0) this.times = this.times.slice(k)
    return out
  }
}

/**
 * Records from any parts, held until every part has passed their time and
 * then released in `order`: the order one scenario of the whole would give.
 */
class ReleaseByTime<T extends { t_ms: number }> {
  private held: T[] = []

  constructor(private readonly order: (a: T, b: T) => number) {}

  push(records: readonly T[]): void {
    for (const r of records) this.held.push(r)
  }

  /** The records at or before `throughMs` (every part has passed it), in order. */
  take(throughMs: number): T[] {
    if (this.held.length === 0) return []
    const out: T[] = []
    const kept: T[] = []
    for (const r of this.held) (r.t_ms <= throughMs ? out : kept).push(r)
    this.held = kept
    return out.sort(this.order)
  }
}

/** Arrays' samples from any parts, released in the order one scenario of the whole emits them: by window, then in the experiment's array order. */
export class ArraySampleMerger extends ReleaseByTime<ArraySample> {
  constructor(exp: Experiment) {
    const rank = new Map(exp.arrays.map((a, i) => [a.id, i]))
    super((a, b) => a.t_ms - b.t_ms || rank.get(a.array)! - rank.get(b.array)!)
  }
}

/** Power events before queue events at one instant: they run before the window that watches the queues closes. */
const KIND_ORDER: Record<NotableEvent['kind'], number> = { 'vm-started': 0, 'vm-stopped': 0, 'queue-saturated': 1, 'queue-relieved': 1 }

/**
 * Notable moments from any parts, released in the order one scenario of the whole reports them: by time, power
 * events first, then by subject in the whole's order (VMs as listed; queues as the watch lists them: each host's
 * cores and links, then local disks, then arrays' back ends). A moment is released once every part has passed it.
 */
export class NotableMerger extends ReleaseByTime<NotableEvent> {
  constructor(exp: Experiment) {
    const subjects = new Map([...exp.vms.map((v) => v.id), ...queueSubjects(exp)].map((s, i) => [s, i]))
    const rank = (e: NotableEvent): number => subjects.get(e.subject) ?? Infinity
    super((a, b) => a.t_ms - b.t_ms || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || rank(a) - rank(b))
  }
}
