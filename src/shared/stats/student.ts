/**
 * Student's t distribution for confidence intervals of a mean from n
 * replications, at n − 1 degrees of freedom, exact for every whole number of
 * degrees of freedom. P(|T| < t) has a closed form as a finite series in
 * θ = atan(t / √ν) (Abramowitz & Stegun, Handbook of Mathematical Functions,
 * 26.7.3 for odd ν and 26.7.4 for even ν); the quantile is found by bisection
 * on θ to the last bit a double holds. No table, no large-ν approximation.
 */

/** P(−t < T < t) for Student's t with `df` (a whole number ≥ 1) degrees of freedom. */
export function studentCentralProbability(t: number, df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`Student's t needs a whole number of degrees of freedom ≥ 1 (got ${df})`)
  return centralByAngle(Math.atan(Math.abs(t) / Math.sqrt(df)), df)
}

/** A&S 26.7.3 / 26.7.4 with θ given: the series has (ν − 1) / 2 or ν / 2 terms. */
function centralByAngle(theta: number, df: number): number {
  const s = Math.sin(theta)
  const c2 = Math.cos(theta) ** 2
  if (df % 2 === 0) {
    // sin θ · [1 + ½cos²θ + (1·3)/(2·4)cos⁴θ + … + (1·3…(ν−3))/(2·4…(ν−2))cos^(ν−2)θ]
    let term = 1
    let sum = 1
    for (let k = 2; k <= df - 2; k += 2) {
      term *= (c2 * (k - 1)) / k
      sum += term
    }
    return s * sum
  }
  // (2/π)·[θ + sin θ cos θ · (1 + (2/3)cos²θ + … + (2·4…(ν−3))/(3·5…(ν−2))cos^(ν−3)θ)]; ν = 1 leaves θ alone.
  if (df === 1) return (2 / Math.PI) * theta
  let term = 1
  let sum = 1
  for (let k = 3; k <= df - 2; k += 2) {
    term *= (c2 * (k - 1)) / k
    sum += term
  }
  return (2 / Math.PI) * (theta + s * Math.cos(theta) * sum)
}

const cache = new Map<string, number>()

/**
 * The t with P(|T| < t) = `confidence` at `df` degrees of freedom: the
 * half-width of a two-sided interval in standard errors (12.706 for 95 % and
 * df = 1, 2.262 for df = 9, 1.984 for df = 100).
 */
export function studentQuantile(confidence: number, df: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`a confidence level lies between 0 and 1 (got ${confidence})`)
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`Student's t needs a whole number of degrees of freedom ≥ 1 (got ${df})`)
  const key = `${confidence}:${df}`
  const known = cache.get(key)
  if (known !== undefined) return known
  // The probability rises with θ from 0 (θ = 0) to 1 (θ = π/2): bisect until the interval cannot shrink.
  let lo = 0
  let hi = Math.PI / 2
  for (;;) {
    const mid = (lo + hi) / 2
    if (mid <= lo || mid >= hi) break
    if (centralByAngle(mid, df) < confidence) lo = mid
    else hi = mid
  }
  const t = Math.sqrt(df) * Math.tan((lo + hi) / 2)
  cache.set(key, t)
  return t
}
