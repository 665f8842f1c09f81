/**
 * A sweep's points as the store keeps them: each point's document written
 * out as experiment text (the file without its sweep block, the point's
 * values set), and the run record of a point's replication. The text is what
 * a point's run is stored with, so it opens, re-simulates and verifies like
 * any run.
 */
import { stringify } from 'yaml'
import { planSweep, pointDocument, type Experiment, type SweepPlan } from '../../shared/experiment'
import { LabError } from '../../shared/errors'
import type { NewSweep } from '../store/sweeps'
import type { NewRun } from '../store/store'

/** The plan of a checked experiment's sweep; a LabError when it has none. */
export function requirePlan(experiment: Experiment): SweepPlan {
  if (!experiment.sweep) {
    throw new LabError('invalid-request', `"${experiment.name}" has no sweep block, so it is one run: start it as a run`)
  }
  const planned = planSweep(experiment)
  // The reader checked the file, sweep included; a plan it accepted cannot fail here.
  if (!planned.ok) throw new LabError('invalid-experiment', planned.issues[0]?.message ?? 'invalid sweep', planned.issues)
  return planned.plan
}

/** The points with their documents as text, for the store. */
export function pointsForStore(experiment: Experiment, plan: SweepPlan): NewSweep['points'] {
  return plan.points.map((p) => ({
    point: p.point,
    label: p.label,
    values: p.values,
    experimentText: stringify(pointDocument(experiment, plan, p), { aliasDuplicateObjects: false, lineWidth: 0 })
  }))
}

/** The run of `point` at replication `replication` (1-based), with that replication's seed. */
export function pointRun(sweep: { experiment_id: string; seeds: readonly number[] }, point: { experimentText: string; name: string; durationS: number }, replication: number): NewRun {
  const seed = sweep.seeds[replication - 1]
  if (seed === undefined) throw new Error(`replication ${replication} has no seed`)
  return {
    experimentId: sweep.experiment_id,
    experimentName: point.name,
    experimentText: point.experimentText,
    seed,
    durationS: point.durationS
  }
}
