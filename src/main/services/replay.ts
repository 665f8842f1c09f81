/**
 * Playing back a stored run from its samples, without simulating: series
 * on one time axis, the summary as it stood
 * at a moment of simulated time, its events in words, and what a
 * re-simulation produced differently from the stored result.
 */
import type { Difference, RunEvent, RunSeries, SummaryAt } from '../../shared/replay'
import type { ArraySample, RunResult } from '../../shared/result'
import type { StoredRunEvent } from '../store/events'
import { EXTRA_KEYS, type ExtraKey, type SampleColumns } from '../store/sampleBlocks'
import type { DisplayColumns } from '../store/samples'

/**
 * A rounding for the values of one series: to the step that leaves its
 * largest magnitude 6 significant digits (between a millionth and a
 * hundred-thousandth of it). More than a chart can show, and about half the
 * bytes of full doubles to send. One step per series keeps it to a
 * multiplication per value.
 */
export function seriesRounding(values: ArrayLike<number>): (v: number) => number {
  let max = 0
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!)
    if (a > max && Number.isFinite(a)) max = a
  }
  if (max === 0) return (v) => v
  const e = Math.floor(Math.log10(max)) - 5
  // Dividing by an exact power of ten (or multiplying by one) leaves the shortest decimal.
  if (e >= 0) {
    const f = 10 ** e
    return (v) => Math.round(v / f) * f
  }
  const f = 10 ** -e
  return (v) => Math.round(v * f) / f
}

export interface SeriesQuery {
  fromMs: number
  toMs: number
  vms?: readonly string[]
}

/** The measures a series carries for every run, then those only runs that recorded them carry. */
const SERIES_KEYS = ['throughput_ops_s', 'latency_mean_ms', 'latency_p99_ms', 'disk_iops', 'cpu_pct'] as const

type SeriesVm = RunSeries['vms'][number]

/**
 * A run's samples at a chart's width (store: getDisplayColumns) as series on
 * one time axis, only the VMs asked for. NaN (no operation completed, or a
 * measure not recorded) becomes null; a recorded-later measure is left out
 * when none of the run's samples has it. `arrays`: the run's array samples in
 * the same buckets (store: getArraySamples); those at a time of the axis are
 * placed on it.
 */
export function toSeries(runId: string, shown: DisplayColumns, q: SeriesQuery, arrays: readonly ArraySample[] = []): RunSeries {
  const m = shown.columns
  const wanted = q.vms ? new Set(q.vms) : null
  const keep = m.vms.map((name) => wanted === null || wanted.has(name))
  const times = new Set<number>()
  for (let i = 0; i < m.count; i++) if (keep[m.vm[i]!]) times.add(m.t_ms[i]!)
  const axis = [...times].sort((a, b) => a - b)
  const at = new Map(axis.map((t, i) => [t, i]))
  const recorded = (key: ExtraKey): boolean => {
    const values = m[key]
    for (let i = 0; i < m.count; i++) if (!Number.isNaN(values[i]!)) return true
    return false
  }
  const keys: (keyof Omit<SeriesVm, 'vm'>)[] = [...SERIES_KEYS, ...EXTRA_KEYS.filter(recorded)]
  const series = m.vms.map((vm) => {
    const s: SeriesVm = { vm } as SeriesVm
    for (const key of keys) s[key] = new Array<number | null>(axis.length).fill(null)
    return s
  })
  const row = new Int32Array(m.count).fill(-1)
  for (let i = 0; i < m.count; i++) if (keep[m.vm[i]!]) row[i] = at.get(m.t_ms[i]!)!
  for (const key of keys) {
    const values = m[key]
    const round = seriesRounding(values)
    for (let i = 0; i < m.count; i++) {
      if (row[i]! < 0) continue
      const x = values[i]!
      series[m.vm[i]!]![key]![row[i]!] = Number.isNaN(x) ? null : round(x)
    }
  }
  return {
    run_id: runId,
    from_ms: axis.length > 0 ? Math.max(q.fromMs, 0) : q.fromMs,
    to_ms: axis.length > 0 ? Math.min(q.toMs, axis[axis.length - 1]!) : q.toMs,
    window_ms: shown.windowMs,
    bucket_ms: shown.bucketMs,
    t_ms: axis,
    vms: series.filter((_, v) => keep[v]),
    arrays: arraySeries(arrays, at)
  }
}

/** Array samples placed on a series' time axis (`at`: t_ms → row), one entry per array in order of appearance. */
function arraySeries(samples: readonly ArraySample[], at: ReadonlyMap<number, number>): RunSeries['arrays'] {
  const placed = samples.filter((s) => at.has(s.t_ms))
  const round = {
    utilization_pct: seriesRounding(placed.map((s) => s.utilization_pct)),
    queue_depth: seriesRounding(placed.map((s) => s.queue_depth)),
    iops: seriesRounding(placed.map((s) => s.iops))
  }
  const byArray = new Map<string, RunSeries['arrays'][number]>()
  const column = (): (number | null)[] => new Array<number | null>(at.size).fill(null)
  for (const s of placed) {
    let a = byArray.get(s.array)
    if (!a) byArray.set(s.array, (a = { array: s.array, utilization_pct: column(), queue_depth: column(), iops: column() }))
    const row = at.get(s.t_ms)!
    a.utilization_pct[row] = round.utilization_pct(s.utilization_pct)
    a.queue_depth[row] = round.queue_depth(s.queue_depth)
    a.iops[row] = round.iops(s.iops)
  }
  return [...byArray.values()]
}

/**
 * Each VM's summary over the windows that ended after `warmupMs` and by
 * `tMs` (see vmSummaryAtSchema: what is exact and what is not). `c` holds
 * the run's samples from its start, in time order.
 */
export function summarizeAt(runId: string, c: SampleColumns, warmupMs: number, tMs: number): Omit<SummaryAt, 'events' | 'complete'> {
  const n = c.vms.length
  const prev = new Float64Array(n)
  const ops = new Float64Array(n)
  const time = new Float64Array(n)
  const latSum = new Float64Array(n)
  const latOps = new Float64Array(n)
  const p99 = new Float64Array(n).fill(NaN)
  const iops = new Float64Array(n)
  const cpu = new Float64Array(n)
  // The windows' optional fields, time-weighted; a VM with a counted window lacking one has none (NaN).
  const extras = Object.fromEntries(EXTRA_KEYS.map((k) => [k, new Float64Array(n)])) as Record<ExtraKey, Float64Array>
  let last = warmupMs
  let windows = 0
  for (let i = 0; i < c.count; i++) {
    const t = c.t_ms[i]!
    if (t > tMs) break
    const v = c.vm[i]!
    const w = t - prev[v]!
    prev[v] = t
    if (t <= warmupMs || w <= 0) continue
    if (v === 0) windows++
    last = Math.max(last, t)
    // A window's operations are a whole number; the stored rate times the width gives it back up to rounding.
    const done = Math.round((c.throughput_ops_s[i]! * w) / 1000)
    ops[v] = ops[v]! + done
    time[v] = time[v]! + w
    const mean = c.latency_mean_ms[i]!
    if (!Number.isNaN(mean) && done > 0) {
      latSum[v] = latSum[v]! + mean * done
      latOps[v] = latOps[v]! + done
    }
    const worst = c.latency_p99_ms[i]!
    if (!Number.isNaN(worst) && !(worst <= p99[v]!)) p99[v] = worst
    iops[v] = iops[v]! + c.disk_iops[i]! * w
    cpu[v] = cpu[v]! + c.cpu_pct[i]! * w
    for (const k of EXTRA_KEYS) extras[k][v] = extras[k][v]! + c[k][i]! * w
  }
  // A run stored before the optional fields were sampled has none in any window.
  const recorded = EXTRA_KEYS.filter((k) => c.count > 0 && !Number.isNaN(c[k][0]!))
  const vms: SummaryAt['vms'] = {}
  c.vms.forEach((vm, v) => {
    const span = time[v]!
    vms[vm] = {
      ops: ops[v]!,
      throughput_ops_s: span > 0 ? (ops[v]! * 1000) / span : 0,
      latency_mean_ms: latOps[v]! > 0 ? latSum[v]! / latOps[v]! : null,
      latency_p99_max_ms: Number.isNaN(p99[v]!) ? null : p99[v]!,
      disk_iops: span > 0 ? iops[v]! / span : 0,
      cpu_pct: span > 0 ? cpu[v]! / span : 0
    }
    for (const k of recorded) {
      const sum = extras[k][v]!
      if (!Number.isNaN(sum)) vms[vm]![k] = span > 0 ? sum / span : 0
    }
  })
  return { run_id: runId, t_ms: tMs, period: { from_ms: warmupMs, to_ms: last, windows }, vms }
}

const UTILIZATION = (v: number | null): string => (v === null ? '' : ` (${v} % busy)`)

/** A stored event with its line for a person. */
export function describeEvent(e: StoredRunEvent): RunEvent {
  const text: Record<StoredRunEvent['kind'], string> = {
    'vm-started': `VM ${e.subject} started`,
    'vm-stopped': `VM ${e.subject} stopped`,
    'queue-saturated': `${e.subject} saturated${UTILIZATION(e.value)}`,
    'queue-relieved': `${e.subject} no longer saturated${UTILIZATION(e.value)}`,
    paused: 'run paused',
    resumed: 'run resumed',
    refused: `${e.subject} refused`
  }
  return { ...e, text: text[e.kind] }
}

/** The experiment events a finished run's engine did not carry out, with their reasons. */
export function refusedEvents(result: RunResult | null): RunEvent[] {
  if (!result) return []
  return result.events
    .filter((e) => !e.ok)
    .map((e) => {
      const { at_s, do: verb, ok: _ok, reason, ...rest } = e
      const subject = [verb, ...Object.values(rest).map(String)].join(' ')
      return { t_ms: at_s * 1000, kind: 'refused' as const, subject, value: null, text: `${subject} refused: ${reason ?? 'no reason given'}` }
    })
}

/** Events in time order; stored events keep their order among equal times, refused ones come after them. */
export function timeline(stored: readonly StoredRunEvent[], result: RunResult | null): RunEvent[] {
  const all = [...stored.map(describeEvent), ...refusedEvents(result)]
  return all.map((e, i) => [e, i] as const).sort((a, b) => a[0].t_ms - b[0].t_ms || a[1] - b[1]).map(([e]) => e)
}

const MAX_DIFFERENCES = 200

type Leaf = number | string | boolean | null

/**
 * The figures of `recomputed` that differ from `stored`, by path (wall time
 * aside: it is not part of a run's outcome). A figure present on one side
 * only differs from null.
 */
export function differences(stored: RunResult, recomputed: RunResult): { list: Difference[]; total: number } {
  const list: Difference[] = []
  let total = 0
  const leaf = (v: unknown): v is Leaf => v === null || v === undefined || typeof v !== 'object'
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (path === 'sim.wall_ms') return
    if (leaf(a) || leaf(b)) {
      const x = (a ?? null) as Leaf
      const y = (b ?? null) as Leaf
      if (typeof x === 'object' && x !== null) return walk(x, {}, path)
      if (typeof y === 'object' && y !== null) return walk({}, y, path)
      if (x === y) return
      total++
      if (list.length >= MAX_DIFFERENCES) return
      const delta = typeof x === 'number' && typeof y === 'number' && x !== 0 ? (100 * (y - x)) / Math.abs(x) : null
      list.push({ path, stored: x, recomputed: y, delta_pct: delta })
      return
    }
    if (Array.isArray(a) || Array.isArray(b)) {
      const xs = Array.isArray(a) ? a : []
      const ys = Array.isArray(b) ? b : []
      for (let i = 0; i < Math.max(xs.length, ys.length); i++) walk(xs[i], ys[i], `${path}[${i}]`)
      return
    }
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)])
    for (const k of keys) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k)
  }
  walk(stored, recomputed, '')
  return { list, total }
}
