/**
 * Random streams, distributions, the latency histogram and the checksum hash.
 */
import { describe, expect, it } from 'vitest'
import { Histogram, Rng, Sampler } from '../../src/main/engine'
import { Fnv64 } from '../../src/main/engine/kernel/checksum'

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextU32())
}

function stats(xs: number[]): { mean: number; cv: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)
  return { mean, cv: Math.sqrt(v) / mean }
}

describe('Rng streams', () => {
  it('are reproducible from (seed, entity)', () => {
    expect(draws(new Rng(42, 'vm:a'), 100)).toEqual(draws(new Rng(42, 'vm:a'), 100))
  })

  it('differ between entities and between seeds', () => {
    const a = draws(new Rng(42, 'vm:a'), 20)
    expect(draws(new Rng(42, 'vm:b'), 20)).not.toEqual(a)
    expect(draws(new Rng(43, 'vm:a'), 20)).not.toEqual(a)
  })

  it('do not depend on which other streams exist or were drawn from', () => {
    const alone = draws(new Rng(7, 'vm:a'), 50)
    const other = new Rng(7, 'vm:b')
    const a = new Rng(7, 'vm:a')
    const mixed: number[] = []
    for (let i = 0; i < 50; i++) {
      other.nextU32()
      mixed.push(a.nextU32())
    }
    expect(mixed).toEqual(alone)
  })

  it('give uniforms in [0, 1) with the right mean and no obvious bias', () => {
    const rng = new Rng(1, 'u')
    const xs = Array.from({ length: 100_000 }, () => rng.next())
    expect(xs.reduce((m, x) => Math.min(m, x), Infinity)).toBeGreaterThanOrEqual(0)
    expect(xs.reduce((m, x) => Math.max(m, x), -Infinity)).toBeLessThan(1)
    expect(stats(xs).mean).toBeCloseTo(0.5, 2)
    const buckets = new Array(10).fill(0)
    for (const x of xs) buckets[Math.floor(x * 10)]++
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500)
  })
})

describe('Sampler', () => {
  const n = 200_000
  const sample = (s: Sampler, seed = 3): number[] => {
    const rng = new Rng(seed, 'dist')
    return Array.from({ length: n }, () => s.sample(rng))
  }

  it('exponential: mean and cv 1', () => {
    const st = stats(sample(Sampler.exponential(5)))
    expect(st.mean).toBeCloseTo(5, 1)
    expect(st.cv).toBeCloseTo(1, 1)
  })

  it('deterministic: always the value', () => {
    expect(new Set(sample(Sampler.deterministic(2.5))).size).toBe(1)
    expect(Sampler.deterministic(2.5).mean).toBe(2.5)
  })

  it('uniform: mean and range', () => {
    const xs = sample(Sampler.uniform(2, 6))
    expect(stats(xs).mean).toBeCloseTo(4, 1)
    expect(xs.reduce((m, x) => Math.min(m, x), Infinity)).toBeGreaterThanOrEqual(2)
    expect(xs.reduce((m, x) => Math.max(m, x), -Infinity)).toBeLessThan(6)
  })

  it('lognormal(mean, cv): matches both moments', () => {
    const st = stats(sample(Sampler.lognormal(10, 0.5)))
    expect(st.mean / 10).toBeGreaterThan(0.99)
    expect(st.mean / 10).toBeLessThan(1.01)
    expect(st.cv).toBeGreaterThan(0.48)
    expect(st.cv).toBeLessThan(0.52)
    expect(Sampler.lognormal(10, 0.5).mean).toBeCloseTo(10, 9)
  })

  it('empirical: draws the given points with equal probability', () => {
    const xs = sample(Sampler.empirical([1, 2, 10]))
    expect(new Set(xs)).toEqual(new Set([1, 2, 10]))
    expect(stats(xs).mean).toBeCloseTo(13 / 3, 1)
  })

  it('compiles experiment distributions from milliseconds to nanoseconds', () => {
    expect(Sampler.fromMs({ dist: 'deterministic', mean: 3 }).mean).toBe(3e6)
    expect(Sampler.fromMs({ dist: 'exponential', mean: 2 }).mean).toBe(2e6)
  })
})

describe('Histogram', () => {
  it('reports quantiles within 1 % of the exact order statistics', () => {
    const rng = new Rng(9, 'h')
    const h = new Histogram()
    const xs: number[] = []
    for (let i = 0; i < 50_000; i++) {
      const x = Math.exp(rng.normal() * 2 + 12) // ns, spread over many decades
      xs.push(x)
      h.record(x)
    }
    xs.sort((a, b) => a - b)
    for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      const exact = xs[Math.ceil(q * xs.length) - 1]!
      expect(Math.abs(h.quantile(q)! - exact) / exact).toBeLessThan(0.01)
    }
    expect(h.mean).toBeCloseTo(xs.reduce((s, x) => s + x, 0) / xs.length, 3)
  })

  it('is empty after reset and null when empty', () => {
    const h = new Histogram()
    expect(h.mean).toBeNull()
    expect(h.quantile(0.5)).toBeNull()
    h.record(100)
    h.record(0)
    expect(h.quantile(0.25)).toBe(0)
    h.reset()
    expect(h.count).toBe(0)
    expect(h.quantile(0.99)).toBeNull()
    h.record(1000)
    expect(h.quantile(0.5)! / 1000).toBeCloseTo(1, 2)
  })
})

describe('Fnv64', () => {
  it('matches the FNV-1a 64 test vectors', () => {
    const hex = (s: string): string => {
      const h = new Fnv64()
      for (const c of s) h.byte(c.charCodeAt(0))
      return h.hex()
    }
    expect(hex('')).toBe('cbf29ce484222325')
    expect(hex('a')).toBe('af63dc4c8601ec8c')
    expect(hex('foobar')).toBe('85944171f73967e8')
  })

  it('distinguishes numbers that differ in the last bit', () => {
    expect(new Fnv64().number(0.1 + 0.2).hex()).not.toBe(new Fnv64().number(0.3).hex())
  })

  it('hashes a number as its IEEE-754 bytes least significant first, whatever the machine byte order', () => {
    const bytes = (bs: number[]): string => {
      const h = new Fnv64()
      for (const b of bs) h.byte(b)
      return h.hex()
    }
    // π is 0x400921fb54442d18.
    expect(new Fnv64().number(Math.PI).hex()).toBe(bytes([0x18, 0x2d, 0x44, 0x54, 0xfb, 0x21, 0x09, 0x40]))
    expect(new Fnv64().number(-0).hex()).toBe(bytes([0, 0, 0, 0, 0, 0, 0, 0x80]))
    expect(new Fnv64().number(-0).hex()).not.toBe(new Fnv64().number(0).hex())
  })

  it('hashes every NaN alike, however it was computed', () => {
    const canonical = new Fnv64().number(NaN).hex()
    expect(canonical).toBe(new Fnv64().number(Number.NaN).hex())
    const zero = [0][0]!
    const inf = [Infinity][0]!
    // On x86 these computed NaNs carry the sign bit; the literal does not.
    for (const nan of [zero / zero, inf - inf, Math.sqrt(-1), -NaN]) expect(new Fnv64().number(nan).hex()).toBe(canonical)
  })
})
