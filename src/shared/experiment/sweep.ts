/**
 * A sweep: the points an experiment's `sweep:` block spans (every
 * combination of its parameters' values, the first parameter varying
 * slowest), the seed of each replication, and the document of each point.
 *
 * Every point is a full experiment and is checked like one (schema and
 * references); a problem found at some points only is reported once, named
 * by the parameter values that cause it (`when hosts[*].hypervisor =
 * hyperv-2008r2: …`). A path that matches nothing is refused at the path.
 *
 * Replication r runs with the same seed at every point (common random
 * numbers: the engine draws each entity's random numbers from (seed, entity),
 * so points differ only by what the sweep changed); replication 1 uses the
 * experiment's own seed.
 */
import type { Issue } from '../errors'
import { LIMITS } from '../limits'
import { formatPath, isWithin } from './paths'
import type { Experiment } from './schema'
import type { SweepValue } from './sweepSchema'
import { copyValue } from './docValues'
import { parseSweepPath, resolveSweepPath, setAt, type Place } from './sweepPath'

export interface SweepParameterPlan {
  /** As written, e.g. `hosts[*].hypervisor`. */
  path: string
  values: SweepValue[]
  /** What the path sets in the experiment, e.g. `hosts[0].hypervisor`, `hosts[1].hypervisor`. */
  places: Place[]
  /** The name points are labelled with: the last field, or the whole path where two parameters share it. */
  name: string
}

export interface SweepPointPlan {
  /** 1-based. */
  point: number
  /** One value per parameter, in parameter order. */
  values: SweepValue[]
  /** `hypervisor=esx-4.0, clients=8`. */
  label: string
}

export interface SweepPlan {
  parameters: SweepParameterPlan[]
  points: SweepPointPlan[]
  replications: number
  /** The seed of replication r is seeds[r − 1], the same at every point. */
  seeds: number[]
}

export type PlanOutcome = { ok: true; plan: SweepPlan } | { ok: false; issues: Issue[] }

/** Fields a sweep may not vary: what identifies the document, and the seed (replications vary it). */
const FIXED: Record<string, string> = {
  format: 'the format is fixed',
  seed: 'replications vary the seed (replication 1 uses the experiment\'s seed)',
  sweep: 'a sweep cannot vary itself'
}

/** The points, seeds and places of `exp`'s sweep, or the problems with its block. */
export function planSweep(exp: Experiment): PlanOutcome {
  const sweep = exp.sweep
  if (!sweep) return { ok: false, issues: [{ path: 'sweep', message: 'is missing: this experiment is not a sweep' }] }
  const issues: Issue[] = []
  const base = baseDocument(exp)
  const parameters: SweepParameterPlan[] = []
  sweep.parameters.forEach((p, i) => {
    const at = `sweep.parameters[${i}]`
    const parts = parseSweepPath(p.path)
    if (typeof parts === 'string') return issues.push({ path: `${at}.path`, message: `"${p.path}" ${parts}` })
    const head = parts[0]!
    if (head.kind === 'key' && Object.hasOwn(FIXED, head.key)) return issues.push({ path: `${at}.path`, message: `cannot vary ${head.key}: ${FIXED[head.key]}` })
    const places = resolveSweepPath(base, parts)
    if (typeof places === 'string') return issues.push({ path: `${at}.path`, message: `"${p.path}" matches nothing: ${places}` })
    const earlier = parameters.findIndex((q) => q.places.some((a) => places.some((b) => isWithin(a, b) || isWithin(b, a))))
    if (earlier >= 0) {
      const other = parameters[earlier]!
      const shared = places.find((b) => other.places.some((a) => isWithin(a, b) || isWithin(b, a)))!
      return issues.push({
        path: `${at}.path`,
        message: `"${p.path}" sets ${formatPath(shared)}, which "${other.path}" also sets; a place can be swept by one parameter only`
      })
    }
    const seen = new Map<string, number>()
    p.values.forEach((v, j) => {
      const key = JSON.stringify(v)
      const first = seen.get(key)
      if (first !== undefined) issues.push({ path: `${at}.values[${j}]`, message: `repeats values[${first}] (${formatSweepValue(v)}): the two points would be the same` })
      else seen.set(key, j)
    })
    const last = [...parts].reverse().find((s) => s.kind === 'key')
    parameters.push({ path: p.path, values: p.values, places, name: last?.kind === 'key' ? last.key : p.path })
  })
  if (sweep.parameters.length === 0 && sweep.replications < 2) {
    issues.push({ path: 'sweep', message: 'varies nothing: give it parameters, or 2 or more replications' })
  }
  const points = sweep.parameters.reduce((n, p) => n * p.values.length, 1)
  if (points > LIMITS.sweepPoints) {
    issues.push({ path: 'sweep.parameters', message: `span ${points.toLocaleString('en-US')} points; a sweep may have at most ${LIMITS.sweepPoints.toLocaleString('en-US')}` })
  } else if (points * exp.vms.length > LIMITS.sweepPointVms) {
    const most = Math.floor(LIMITS.sweepPointVms / exp.vms.length)
    issues.push({ path: 'sweep.parameters', message: `span ${points.toLocaleString('en-US')} points of ${exp.vms.length} VMs; an experiment of ${exp.vms.length} VMs may sweep at most ${most.toLocaleString('en-US')} points` })
  } else if (points * sweep.replications > LIMITS.sweepRuns) {
    issues.push({
      path: 'sweep.replications',
      message: `${points} points × ${sweep.replications} replications = ${(points * sweep.replications).toLocaleString('en-US')} runs; a sweep may have at most ${LIMITS.sweepRuns.toLocaleString('en-US')}`
    })
  }
  if (issues.length > 0) return { ok: false, issues }
  const names = parameters.map((p) => p.name)
  for (const p of parameters) if (names.filter((n) => n === p.name).length > 1) p.name = p.path
  return { ok: true, plan: { parameters, points: enumeratePoints(parameters), replications: sweep.replications, seeds: replicationSeeds(exp.seed, sweep.replications) } }
}

/** Every combination of the values, the first parameter varying slowest. */
function enumeratePoints(parameters: SweepParameterPlan[]): SweepPointPlan[] {
  const out: SweepPointPlan[] = []
  const total = parameters.reduce((n, p) => n * p.values.length, 1)
  for (let k = 0; k < total; k++) {
    let rest = k
    const values: SweepValue[] = new Array(parameters.length)
    for (let i = parameters.length - 1; i >= 0; i--) {
      const n = parameters[i]!.values.length
      values[i] = parameters[i]!.values[rest % n]!
      rest = Math.floor(rest / n)
    }
    out.push({ point: k + 1, values, label: pointLabel(parameters, values) })
  }
  return out
}

function pointLabel(parameters: SweepParameterPlan[], values: SweepValue[]): string {
  return parameters.length === 0 ? 'the experiment as written' : parameters.map((p, i) => `${p.name}=${formatSweepValue(values[i])}`).join(', ')
}

/** A value as a label shows it: `esx-4.0`, `8`, `true`, `{"preset":"oltp"}` (shortened). */
export function formatSweepValue(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  const json = JSON.stringify(v) ?? String(v)
  return json.length > 60 ? json.slice(0, 59) + '…' : json
}

/** The experiment as a plain document without its sweep block. */
function baseDocument(exp: Experiment): Record<string, unknown> {
  const doc = copyValue(exp) as Record<string, unknown>
  delete doc.sweep
  return doc
}

/** The document of one point: the experiment without its sweep, the point's values set, its name saying which point. */
export function pointDocument(exp: Experiment, plan: SweepPlan, point: SweepPointPlan): Record<string, unknown> {
  const doc = baseDocument(exp)
  plan.parameters.forEach((p, i) => p.places.forEach((place) => setAt(doc, place, point.values[i])))
  if (plan.parameters.length > 0) doc.name = pointName(exp.name, point.label)
  return doc
}

/** `name [label]`, within the 200 characters a name may have. */
function pointName(name: string, label: string): string {
  const full = `${name} [${label}]`
  if (full.length <= 200) return full
  const room = Math.max(20, 200 - name.length - 4)
  const shown = label.length > room ? label.slice(0, room - 1) + '…' : label
  return `${name.slice(0, 200 - shown.length - 4)}… [${shown}]`.slice(0, 200)
}

/**
 * Seeds of replications 1…n: the experiment's seed first, then a mix of it
 * with the replication number (murmur3's finalizer), all distinct.
 */
export function replicationSeeds(seed: number, n: number): number[] {
  const seeds = [seed >>> 0]
  const used = new Set(seeds)
  for (let k = 1; seeds.length < n; k++) {
    let z = (seed ^ Math.imul(k, 0x9e3779b9)) >>> 0
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    z = (z ^ (z >>> 16)) >>> 0
    if (!used.has(z)) {
      used.add(z)
      seeds.push(z)
    }
  }
  return seeds
}

/**
 * Checks the sweep block and every point with `checkPoint` (the same schema
 * and reference checks as any experiment). A problem at every point is
 * reported as it is; one at some points is prefixed with the parameter values
 * that bring it about.
 */
export function checkSweep(exp: Experiment, checkPoint: (doc: unknown) => Issue[]): Issue[] {
  const planned = planSweep(exp)
  if (!planned.ok) return planned.issues
  const { plan } = planned
  const found = new Map<string, { issue: Issue; points: number[] }>()
  for (const point of plan.points) {
    for (const issue of checkPoint(pointDocument(exp, plan, point))) {
      const key = `${issue.path}\u0000${issue.message}`
      const entry = found.get(key)
      if (entry) entry.points.push(point.point)
      else found.set(key, { issue, points: [point.point] })
    }
  }
  const issues = [...found.values()].map(({ issue, points }) =>
    points.length === plan.points.length ? issue : { path: issue.path, message: `${pointCondition(plan, points)}: ${issue.message}` }
  )
  if (issues.length <= MAX_SWEEP_ISSUES) return issues
  const more = issues.length - MAX_SWEEP_ISSUES
  return [...issues.slice(0, MAX_SWEEP_ISSUES), { path: 'sweep', message: `and ${more.toLocaleString('en-US')} more problem${more === 1 ? '' : 's'} at its points` }]
}

/** Problems listed for a sweep's points; the rest are counted. */
const MAX_SWEEP_ISSUES = 100

/**
 * The parameter values shared by `points` (1-based): `when hosts[*].hypervisor
 * = hyperv-2008r2` when they are every combination of those values, else the
 * points themselves.
 */
export function pointCondition(plan: SweepPlan, points: readonly number[]): string {
  const chosen = points.map((p) => plan.points[p - 1]!)
  const sets = plan.parameters.map((_, i) => new Set(chosen.map((pt) => JSON.stringify(pt.values[i]))))
  const product = sets.reduce((n, s) => n * s.size, 1)
  if (product === chosen.length) {
    const parts = plan.parameters.flatMap((p, i) => {
      const s = sets[i]!
      if (s.size === p.values.length) return []
      const values = p.values.filter((v) => s.has(JSON.stringify(v))).map(formatSweepValue)
      return [`${p.path} ${values.length === 1 ? `= ${values[0]}` : `is ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`}`]
    })
    if (parts.length > 0) return `when ${parts.join(' and ')}`
  }
  const shown = chosen.slice(0, 3).map((pt) => `${pt.point} (${pt.label})`)
  const more = chosen.length > 3 ? ` and ${chosen.length - 3} more` : ''
  return `at sweep point${chosen.length === 1 ? '' : 's'} ${shown.join(', ')}${more}`
}

/** Points, replications and runs of a sweep, and the paths it varies; null for one run (or a sweep that cannot be planned). */
export function sweepSize(experiment: Experiment): { points: number; replications: number; runs: number; parameters: string[] } | null {
  if (!experiment.sweep) return null
  const planned = planSweep(experiment)
  if (!planned.ok) return null
  const { plan } = planned
  return { points: plan.points.length, replications: plan.replications, runs: plan.points.length * plan.replications, parameters: plan.parameters.map((p) => p.path) }
}
