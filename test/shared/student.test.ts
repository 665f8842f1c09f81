import { describe, expect, it } from 'vitest'
import { meanWithInterval } from '../../src/shared/stats/interval'
import { studentCentralProbability, studentQuantile } from '../../src/shared/stats/student'

describe("Student's t", () => {
  it('matches the closed forms at 1 and 2 degrees of freedom', () => {
    // ν = 1 is Cauchy: P(|T| < t) = 2·atan(t)/π; ν = 2: P(|T| < t) = t / √(2 + t²).
    expect(studentQuantile(0.95, 1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 9)
    expect(studentQuantile(0.95, 2)).toBeCloseTo((Math.SQRT2 * 0.95) / Math.sqrt(1 - 0.95 ** 2), 9)
    expect(studentQuantile(0.9, 1)).toBeCloseTo(Math.tan(0.45 * Math.PI), 9)
  })

  it('gives the published 97.5 % quantiles for small and large samples alike', () => {
    // qt(0.975, df) to 6 decimals, as statistics packages print it.
    const published: [number, number][] = [
      [3, 3.182446],
      [4, 2.776445],
      [5, 2.570582],
      [9, 2.262157],
      [10, 2.228139],
      [29, 2.04523],
      [30, 2.042272],
      [31, 2.039513],
      [100, 1.983972],
      [1000, 1.962339]
    ]
    for (const [df, t] of published) expect(studentQuantile(0.95, df), `df = ${df}`).toBeCloseTo(t, 5)
  })

  it('falls every step from one degree of freedom to the next and tends to the normal quantile, never a constant', () => {
    let previous = Infinity
    for (let df = 1; df <= 400; df++) {
      const t = studentQuantile(0.95, df)
      expect(t).toBeLessThan(previous)
      previous = t
    }
    // z + (z³ + z) / 4ν + …: still 1.2 × 10⁻⁴ above the normal quantile at ν = 20,000.
    expect(studentQuantile(0.95, 20_000)).toBeCloseTo(1.960083, 5)
    expect(studentQuantile(0.95, 20_000)).toBeGreaterThan(1.959964)
  })

  it('inverts its own probability', () => {
    for (const df of [1, 2, 7, 8, 63, 64]) {
      expect(studentCentralProbability(studentQuantile(0.95, df), df)).toBeCloseTo(0.95, 12)
      expect(studentCentralProbability(studentQuantile(0.99, df), df)).toBeCloseTo(0.99, 12)
    }
  })

  it('refuses degrees of freedom it cannot give exactly', () => {
    expect(() => studentQuantile(0.95, 0)).toThrow(/degrees of freedom/)
    expect(() => studentQuantile(0.95, 2.5)).toThrow(/whole number/)
    expect(() => studentQuantile(1, 3)).toThrow(/between 0 and 1/)
  })
})

describe('mean with a 95 % interval', () => {
  it('uses t at n − 1 degrees of freedom and the sample standard deviation', () => {
    const xs = [10, 12, 11, 13, 9]
    const out = meanWithInterval(xs)
    expect(out.n).toBe(5)
    expect(out.mean).toBeCloseTo(11, 12)
    expect(out.sd).toBeCloseTo(Math.sqrt(2.5), 12)
    const half = (2.776445 * Math.sqrt(2.5)) / Math.sqrt(5)
    expect(out.ci95?.[0]).toBeCloseTo(11 - half, 5)
    expect(out.ci95?.[1]).toBeCloseTo(11 + half, 5)
  })

  it('gives two replications the wide interval they deserve', () => {
    const out = meanWithInterval([1, 3])
    // s = √2, so the half-width is t(0.975, 1) · √2 / √2.
    expect(out.ci95?.[1]).toBeCloseTo(2 + 12.706205, 5)
  })

  it('has no interval for one value, and leaves out values a run could not measure', () => {
    expect(meanWithInterval([4])).toEqual({ n: 1, mean: 4, sd: null, ci95: null })
    expect(meanWithInterval([null, 4, undefined])).toEqual({ n: 1, mean: 4, sd: null, ci95: null })
    expect(meanWithInterval([])).toEqual({ n: 0, mean: null, sd: null, ci95: null })
  })
})
