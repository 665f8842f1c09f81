/** Student's t quantiles against the published table (two-sided 95 %), at every degree of freedom a test or the stopping rule uses. */
import { describe, expect, it } from 'vitest'
import { studentQuantile } from '../../src/main/engine/kernel/student'
import { confidence } from './helpers'

describe("Student's t", () => {
  // Fisher & Yates / any statistics table: t(0.975, df).
  const table: Array<[number, number]> = [[1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [9, 2.262], [10, 2.228], [19, 2.093], [29, 2.045], [60, 2.0], [120, 1.98]]
  for (const [df, t] of table) {
    it(`95 % two-sided at ${df} degrees of freedom is ${t}`, () => {
      expect(studentQuantile(0.95, df)).toBeCloseTo(t, 3)
    })
  }

  it('tends to the normal 1.960 for many degrees of freedom', () => {
    expect(studentQuantile(0.95, 1e6)).toBeCloseTo(1.96, 3)
  })

  it('a confidence interval of n replications uses n − 1 degrees of freedom', () => {
    // Ten values with standard deviation 1: the half-width is t(9) / √10, not t(10) / √10.
    const xs = [-1.5, -1, -0.5, 0, 0.5, 0.5, 0, -0.5, 1, 1.5]
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1))
    expect(confidence(xs).half).toBeCloseTo((2.262 * sd) / Math.sqrt(10), 3)
    // And for a count no table lists.
    const many = Array.from({ length: 37 }, (_, i) => Math.sin(i))
    const m = many.reduce((s, x) => s + x, 0) / many.length
    const s = Math.sqrt(many.reduce((acc, x) => acc + (x - m) ** 2, 0) / (many.length - 1))
    expect(confidence(many).half).toBeCloseTo((2.028 * s) / Math.sqrt(37), 3)
  })
})
