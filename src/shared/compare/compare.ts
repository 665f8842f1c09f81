/**
 * The comparison of two or more stored runs: runs whose experiments are
 * equal but for the seed are replications of one arm; every further arm is
 * compared with the first, VM by VM (matched by id), metric by metric — the
 * delta, absolute and relative, with a 95 % interval where replications
 * exist — together with what changed between the experiments and whether
 * the arms share random streams. Pure: the caller loads and parses the runs.
 */
import type { Experiment } from '../experiment/schema'
import type { RunResult, VmResult } from '../result'
import { diffExperiments } from './diff'
import { mean, meanInterval, pairedInterval, welchInterval, type Interval } from './stats'
import {
  METRIC_KEYS,
  type Arm,
  type ArmComparison,
  type ArmMetric,
  type Comparison,
  type MetricDelta,
  type MetricKey
} from './schema'

export interface ComparedRun {
  run_id: string
  created_at: string
  seed: number
  checksum: string
  experiment: Experiment
  result: RunResult
}

export interface MetricInfo {
  key: MetricKey
  label: string
  unit: string
  /** Which direction is an improvement; null when neither is (more disk I/O is neither good nor bad). */
  better: 'higher' | 'lower' | null
  get(v: VmResult): number | null
}

export const METRICS: readonly MetricInfo[] = [
  { key: 'throughput_ops_s', label: 'Throughput', unit: 'ops/s', better: 'higher', get: (v) => v.throughput_ops_s },
  { key: 'latency_mean_ms', label: 'Latency, mean', unit: 'ms', better: 'lower', get: (v) => v.latency_ms.mean },
  { key: 'latency_p50_ms', label: 'Latency, p50', unit: 'ms', better: 'lower', get: (v) => v.latency_ms.p50 },
  { key: 'latency_p95_ms', label: 'Latency, p95', unit: 'ms', better: 'lower', get: (v) => v.latency_ms.p95 },
  { key: 'latency_p99_ms', label: 'Latency, p99', unit: 'ms', better: 'lower', get: (v) => v.latency_ms.p99 },
  { key: 'disk_iops', label: 'Disk', unit: 'IOPS', better: null, get: (v) => v.disk.iops },
  { key: 'disk_mb_s', label: 'Disk', unit: 'MB/s', better: null, get: (v) => v.disk.mb_s },
  { key: 'net_gbps', label: 'Network', unit: 'Gb/s', better: null, get: (v) => v.net.gbps },
  { key: 'cpu_guest_pct', label: 'CPU, guest', unit: '%', better: null, get: (v) => v.cpu.guest_pct },
  { key: 'cpu_hypervisor_pct', label: 'CPU, hypervisor', unit: '%', better: 'lower', get: (v) => v.cpu.hypervisor_pct },
  { key: 'cpu_ready_pct', label: 'CPU, ready', unit: '%', better: 'lower', get: (v) => v.cpu.ready_pct },
  { key: 'overhead_pct', label: 'Overhead vs native', unit: '%', better: 'lower', get: (v) => v.overhead_pct },
  { key: 'virtualization_pts', label: 'Virtualization tax', unit: 'pts', better: 'lower', get: (v) => v.overhead_split_pct?.virtualization ?? null },
  { key: 'contention_pts', label: 'Contention', unit: 'pts', better: 'lower', get: (v) => v.overhead_split_pct?.contention ?? null }
]

const METRIC_BY_KEY = new Map(METRICS.map((m) => [m.key, m]))

export function metricInfo(key: MetricKey): MetricInfo {
  return METRIC_BY_KEY.get(key)!
}

/** Arms of the comparison, before statistics: the experiment and one run per seed. */
interface ArmRuns {
  label: string
  experiment: Experiment
  /** By seed, in the order given. */
  runs: ComparedRun[]
  duplicates: string[]
}

/** The experiment without its seed, as a key: equal keys are replications of one arm. */
function armKey(e: Experiment): string {
  const { seed: _seed, ...rest } = e
  return JSON.stringify(rest)
}

function armLabel(index: number): string {
  let label = ''
  let n = index
  do {
    label = String.fromCharCode(65 + (n % 26)) + label
    n = Math.floor(n / 26) - 1
  } while (n >= 0)
  return label
}

function groupArms(runs: readonly ComparedRun[]): ArmRuns[] {
  const arms: ArmRuns[] = []
  const byKey = new Map<string, ArmRuns>()
  for (const run of runs) {
    const key = armKey(run.experiment)
    let arm = byKey.get(key)
    if (!arm) {
      arm = { label: armLabel(arms.length), experiment: run.experiment, runs: [], duplicates: [] }
      byKey.set(key, arm)
      arms.push(arm)
    }
    if (arm.runs.some((r) => r.seed === run.seed)) arm.duplicates.push(run.run_id)
    else arm.runs.push(run)
  }
  return arms
}

function vmIds(arm: ArmRuns): string[] {
  return Object.keys(arm.runs[0]!.result.vms)
}

/** The metric's value in each replication of the arm, by seed (absent when a run did not measure it). */
function valuesBySeed(arm: ArmRuns, vm: string, metric: MetricInfo): Map<number, number> {
  const out = new Map<number, number>()
  for (const run of arm.runs) {
    const v = run.result.vms[vm]
    const x = v ? metric.get(v) : null
    if (x !== null && Number.isFinite(x)) out.set(run.seed, x)
  }
  return out
}

function armStats(arm: ArmRuns): Arm {
  return {
    label: arm.label,
    experiment_name: arm.experiment.name,
    run_ids: arm.runs.map((r) => r.run_id),
    seeds: arm.runs.map((r) => r.seed),
    duplicate_run_ids: arm.duplicates,
    vms: vmIds(arm).map((vm) => ({
      vm,
      metrics: METRICS.map((metric): ArmMetric => {
        const xs = [...valuesBySeed(arm, vm, metric).values()]
        return { key: metric.key, mean: xs.length > 0 ? mean(xs) : null, n: xs.length, ci95: meanInterval(xs) }
      })
    }))
  }
}

/**
 * One metric of one VM, arm against reference. Replications run with the
 * same seeds on both sides are compared pair by pair (their random draws are
 * the same, so the interval is that of the change alone); otherwise the two
 * sides are independent samples.
 */
function metricDelta(ref: ArmRuns, arm: ArmRuns, vm: string, metric: MetricInfo): MetricDelta {
  const a = valuesBySeed(ref, vm, metric)
  const b = valuesBySeed(arm, vm, metric)
  const common = [...a.keys()].filter((seed) => b.has(seed))
  let xs: number[]
  let ys: number[]
  let ci: Interval | null
  let method: MetricDelta['method']
  if (common.length >= 2) {
    xs = common.map((s) => a.get(s)!)
    ys = common.map((s) => b.get(s)!)
    ci = pairedInterval(xs, ys)
    method = 'paired'
  } else {
    xs = [...a.values()]
    ys = [...b.values()]
    ci = welchInterval(xs, ys)
    method = ci ? 'welch' : 'single'
  }
  const reference = xs.length > 0 ? mean(xs) : null
  const value = ys.length > 0 ? mean(ys) : null
  const delta = reference !== null && value !== null ? value - reference : null
  return {
    key: metric.key,
    reference,
    value,
    delta,
    relative_pct: delta !== null && reference !== null && reference !== 0 ? (100 * delta) / Math.abs(reference) : null,
    ci95: ci,
    method,
    n_reference: xs.length,
    n_value: ys.length
  }
}

function streamsNote(ref: ArmRuns, arm: ArmRuns, common: number[]): string {
  const seeds = (x: ArmRuns): string => x.runs.map((r) => r.seed).join(', ')
  if (common.length === 0) {
    const single = ref.runs.length < 2 || arm.runs.length < 2
    return (
      `Different seeds (${ref.label}: ${seeds(ref)}; ${arm.label}: ${seeds(arm)}): the arms draw independent random numbers, ` +
      `so each delta also holds sampling noise` +
      (single ? '; with one run a side there is no confidence interval. Run both with the same seed to compare on common random numbers.' : '.')
    )
  }
  const all = common.length === ref.runs.length && common.length === arm.runs.length
  return (
    `${all ? 'Same' : 'Shared'} seed${common.length > 1 ? 's' : ''} ${common.join(', ')}: every VM draws from a random stream of its own, ` +
    `derived from the seed and its id, so a VM present in both arms sees the same arrivals and service draws (common random numbers) ` +
    `and its delta comes from the change, not from chance` +
    (common.length >= 2 ? '; intervals pair the runs seed by seed.' : '.')
  )
}

function compareArms(ref: ArmRuns, arm: ArmRuns): ArmComparison {
  const refSeeds = new Set(ref.runs.map((r) => r.seed))
  const common = arm.runs.map((r) => r.seed).filter((s) => refSeeds.has(s))
  const refVms = vmIds(ref)
  const armVms = vmIds(arm)
  const both = refVms.filter((vm) => armVms.includes(vm))
  const { seed: _a, ...refExp } = ref.experiment
  const { seed: _b, ...armExp } = arm.experiment
  return {
    arm: arm.label,
    reference: ref.label,
    what_changed: diffExperiments({ ...refExp, seed: 0 }, { ...armExp, seed: 0 }),
    random_streams: { shared: common.length > 0, common_seeds: common, note: streamsNote(ref, arm, common) },
    vms: both.map((vm) => ({ vm, metrics: METRICS.map((metric) => metricDelta(ref, arm, vm, metric)) })),
    vms_removed: refVms.filter((vm) => !armVms.includes(vm)),
    vms_added: armVms.filter((vm) => !refVms.includes(vm))
  }
}

/**
 * Compares the runs, the first given being (in) the reference arm. Throws
 * when fewer than two runs are given or a run is listed twice.
 */
export function compareRuns(runs: readonly ComparedRun[]): Comparison {
  if (runs.length < 2) throw new Error('a comparison needs at least two runs')
  const ids = new Set<string>()
  for (const r of runs) {
    if (ids.has(r.run_id)) throw new Error(`run "${r.run_id}" is listed twice`)
    ids.add(r.run_id)
  }
  const arms = groupArms(runs)
  const armOf = new Map<string, string>()
  for (const arm of arms) for (const r of [...arm.runs.map((x) => x.run_id), ...arm.duplicates]) armOf.set(r, arm.label)
  const [ref, ...others] = arms
  return {
    runs: runs.map((r) => ({
      run_id: r.run_id,
      arm: armOf.get(r.run_id)!,
      experiment_name: r.experiment.name,
      seed: r.seed,
      checksum: r.checksum,
      created_at: r.created_at
    })),
    arms: arms.map(armStats),
    comparisons: others.map((arm) => compareArms(ref!, arm))
  }
}

export { METRIC_KEYS }
