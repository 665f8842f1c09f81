/**
 * Service-time and think-time distributions, compiled once from the
 * experiment's `{ dist, ... }` (milliseconds) into a sampler in nanoseconds.
 * Lognormal is parameterized by its mean and coefficient of variation:
 * σ² = ln(1 + cv²), μ = ln(mean) − σ²/2.
 */
import type { Distribution } from '../../../shared/experiment/schema'
import type { Rng } from './rng'

const NS_PER_MS = 1e6

export class Sampler {
  private constructor(
    private readonly kind: 0 | 1 | 2 | 3 | 4,
    private readonly a: number,
    private readonly b: number,
    private readonly points: Float64Array | null
  ) {}

  static exponential(meanNs: number): Sampler {
    return new Sampler(0, meanNs, 0, null)
  }
  static deterministic(valueNs: number): Sampler {
    return new Sampler(1, valueNs, 0, null)
  }
  static uniform(lowNs: number, highNs: number): Sampler {
    return new Sampler(2, lowNs, highNs - lowNs, null)
  }
  static lognormal(meanNs: number, cv: number): Sampler {
    const s2 = Math.log(1 + cv * cv)
    return new Sampler(3, Math.log(meanNs) - s2 / 2, Math.sqrt(s2), null)
  }
  /** Draws one of the points with equal probability. */
  static empirical(pointsNs: ArrayLike<number>): Sampler {
    return new Sampler(4, 0, 0, Float64Array.from(pointsNs))
  }

  /** From an experiment distribution given in milliseconds. */
  static fromMs(d: Distribution): Sampler {
    switch (d.dist) {
      case 'exponential':
        return Sampler.exponential(d.mean * NS_PER_MS)
      case 'deterministic':
        return Sampler.deterministic(d.mean * NS_PER_MS)
      case 'lognormal':
        return Sampler.lognormal(d.mean * NS_PER_MS, d.cv)
      case 'empirical':
        return Sampler.empirical(d.points.map((p) => p * NS_PER_MS))
    }
  }

  /** The distribution's mean, ns. */
  get mean(): number {
    switch (this.kind) {
      case 0:
      case 1:
        return this.a
      case 2:
        return this.a + this.b / 2
      case 3:
        return Math.exp(this.a + (this.b * this.b) / 2)
      case 4: {
        const p = this.points!
        let s = 0
        for (let i = 0; i < p.length; i++) s += p[i]!
        return s / p.length
      }
    }
  }

  sample(rng: Rng): number {
    switch (this.kind) {
      case 0:
        return rng.exponential(this.a)
      case 1:
        return this.a
      case 2:
        return this.a + this.b * rng.next()
      case 3:
        return Math.exp(this.a + this.b * rng.normal())
      case 4: {
        const p = this.points!
        return p[rng.int(p.length)]!
      }
    }
  }
}
