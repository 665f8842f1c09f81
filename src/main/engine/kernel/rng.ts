/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna), one stream
 * per entity. A stream's state comes from hashing (run seed, entity id) —
 * e.g. "vm:db1:arrivals" — so adding or removing an entity never shifts
 * another entity's draws (common random numbers make A/B comparisons sharp).
 */

/** FNV-1a 32-bit hash of a string (UTF-16 code units). */
function hashString(s: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** splitmix32 step: spreads a 32-bit seed into well-mixed state words. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) >>> 0
  let z = x
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
  return (z ^ (z >>> 16)) >>> 0
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  /** A second normal from the last Box–Muller pair, or NaN. */
  private spareNormal = NaN

  constructor(seed: number, entity: string) {
    let x = (hashString(entity) ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0
    x = splitmix32(x ^ hashString(String(seed), 0x01234567))
    this.a = x = splitmix32(x)
    this.b = x = splitmix32(x)
    this.c = x = splitmix32(x)
    this.d = x = splitmix32(x)
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextU32() / 4294967296
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    // 1 - u is in (0, 1], so the log is finite.
    return -Math.log(1 - this.next()) * mean
  }

  /** Standard normal (Box–Muller; the pair's second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal === this.spareNormal) {
      const z = this.spareNormal
      this.spareNormal = NaN
      return z
    }
    const u1 = 1 - this.next()
    const u2 = this.next()
    const r = Math.sqrt(-2 * Math.log(u1))
    this.spareNormal = r * Math.sin(2 * Math.PI * u2)
    return r * Math.cos(2 * Math.PI * u2)
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
