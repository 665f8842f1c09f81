/**
 * The mean of independent replications with its 95 % confidence interval:
 * mean ± t(0.975, n − 1) · s / √n, s the sample standard deviation.
 * One replication has a mean but no interval; a value a run could not
 * measure (null) is left out and lowers n.
 */
import { studentQuantile } from './student'

export const CONFIDENCE = 0.95

export interface MeanWithInterval {
  /** Replications that measured the value. */
  n: number
  mean: number | null
  /** Sample standard deviation (n − 1 in the denominator); null below two values. */
  sd: number | null
  /** [low, high] of the 95 % interval of the mean; null below two values. */
  ci95: [number, number] | null
}

export function meanWithInterval(values: readonly (number | null | undefined)[]): MeanWithInterval {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  const n = xs.length
  if (n === 0) return { n, mean: null, sd: null, ci95: null }
  const mean = xs.reduce((s, x) => s + x, 0) / n
  if (n === 1) return { n, mean, sd: null, ci95: null }
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1))
  const half = (studentQuantile(CONFIDENCE, n - 1) * sd) / Math.sqrt(n)
  return { n, mean, sd, ci95: [mean - half, mean + half] }
}
