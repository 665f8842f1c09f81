/**
 * The statistics of a comparison across replications (runs of one
 * experiment with different seeds): means, sample standard deviations and
 * 95 % confidence intervals of a difference of means — paired when the two
 * sides ran the same seeds (common random numbers: each pair differs only by
 * the change), Welch's unequal-variance interval otherwise.
 */

/** Two-sided 95 % quantiles of Student's t for 1…30 degrees of freedom (any statistics table). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042
]
const Z975 = 1.959964

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom (may be
 * fractional, as Welch's is): the table up to 30, interpolated between whole
 * degrees; above 30 the Cornish–Fisher expansion, within 0.001 there.
 */
export function t975(df: number): number {
  if (!(df >= 1)) return Number.NaN
  if (df <= 30) {
    const lo = Math.floor(df)
    const hi = Math.min(30, lo + 1)
    const f = df - lo
    return T975[lo - 1]! * (1 - f) + T975[hi - 1]! * f
  }
  const z = Z975
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length
}

/** Sample variance (n − 1 in the denominator); NaN for fewer than two values. */
export function variance(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN
  const m = mean(xs)
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)
}

export interface Interval {
  low: number
  high: number
}

/** 95 % confidence interval of the mean of `xs`; null for fewer than two values. */
export function meanInterval(xs: readonly number[]): Interval | null {
  if (xs.length < 2) return null
  const half = t975(xs.length - 1) * Math.sqrt(variance(xs) / xs.length)
  const m = mean(xs)
  return { low: m - half, high: m + half }
}

/** 95 % interval of mean(b) − mean(a) for independent samples (Welch); null unless both have two or more values. */
export function welchInterval(a: readonly number[], b: readonly number[]): Interval | null {
  if (a.length < 2 || b.length < 2) return null
  const va = variance(a) / a.length
  const vb = variance(b) / b.length
  const d = mean(b) - mean(a)
  const se = Math.sqrt(va + vb)
  if (se === 0) return { low: d, high: d }
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1))
  const half = t975(df) * se
  return { low: d - half, high: d + half }
}

/** 95 % interval of the mean of paired differences b[i] − a[i]; null for fewer than two pairs. */
export function pairedInterval(a: readonly number[], b: readonly number[]): Interval | null {
  if (a.length !== b.length) throw new Error('paired samples must have the same length')
  return meanInterval(a.map((x, i) => b[i]! - x))
}
