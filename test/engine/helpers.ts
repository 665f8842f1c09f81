/** Builders of experiment documents for the engine tests, parsed with the real schema and reference checks. */
import { parseExperiment } from '../../src/shared/experiment/parse'
import { experimentSchema, type Experiment, type ExperimentInput } from '../../src/shared/experiment/schema'
import { studentQuantile } from '../../src/main/engine/kernel/student'

export function experiment(input: Omit<ExperimentInput, 'format' | 'name'> & { name?: string }): Experiment {
  const doc = experimentSchema.parse({ format: 'hyperlab/experiment@1', name: 'test', ...input })
  const checked = parseExperiment(doc)
  if (!checked.ok) throw new Error(`invalid test experiment: ${JSON.stringify(checked.issues)}`)
  return checked.experiment
}

/** The timing of a short engine test: `duration_s` simulated seconds with `warmup_s` of warm-up, a sample a second, no bare-metal baseline. */
export function shortRun(duration_s: number, warmup_s = 1) {
  return { duration_s, warmup_s, sample_ms: 1000, baseline: 'none' as const }
}

/** Mean and 95 % confidence half-width of n independent replications (Student's t at n − 1 degrees of freedom). */
export function confidence(xs: number[]): { mean: number; half: number } {
  const n = xs.length
  if (n < 2) throw new Error('a confidence interval needs at least two replications')
  const mean = xs.reduce((s, x) => s + x, 0) / n
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1))
  return { mean, half: (studentQuantile(0.95, n - 1) * sd) / Math.sqrt(n) }
}
