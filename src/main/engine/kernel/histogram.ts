/**
 * Streaming latency histogram with bounded relative error (HDR-style): a value
 * v ≥ 1 ns falls in the bucket named by its binary exponent and the top 6 bits
 * of its mantissa — 64 log-spaced buckets per power of two — and is reported
 * as the bucket's midpoint, so a quantile is off by at most 1/128 < 0.8 % of
 * the true order statistic. Values below 1 ns count as 0. The mean is exact
 * (a running sum). Reset is sparse: only buckets that were touched are cleared,
 * so a per-window histogram costs nothing per empty bucket. The buckets of a
 * power of two (a page of 64 counts, 512 bytes) exist only once a value fell in
 * it: latencies span a few powers of two, so a histogram holds a few kB
 * instead of all 53 pages (27 kB) — a VM keeps three, and a datacenter
 * thousands of VMs.
 */
import { grown } from './grow'

const SUB_BITS = 6
const SUB = 1 << SUB_BITS
const MAX_EXPONENT = 52 // 2^52 ns ≈ 52 days
const BUCKETS = (MAX_EXPONENT + 1) * SUB

// Reading a float's bits without allocation: a shared 8-byte buffer, endianness detected once.
const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)
f64[0] = 1
const HI = u32[1] === 0x3ff00000 ? 1 : 0

function bucketOf(v: number): number {
  f64[0] = v
  const hi = u32[HI]!
  const e = (hi >>> 20) - 1023
  if (e > MAX_EXPONENT) return BUCKETS - 1
  return e * SUB + ((hi >>> (20 - SUB_BITS)) & (SUB - 1))
}

function midpointOf(bucket: number): number {
  const e = Math.floor(bucket / SUB)
  const m = bucket - e * SUB
  return Math.pow(2, e) * (1 + (m + 0.5) / SUB)
}

export class Histogram {
  /** Counts by bucket, a page per power of two (bucket b is pages[b >> SUB_BITS][b & (SUB - 1)]), made on first use. */
  private readonly pages: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(MAX_EXPONENT + 1).fill(undefined)
  private touched = new Int32Array(64)
  private touchedCount = 0
  private zeros = 0
  /** Number of values recorded. */
  count = 0
  /** Exact sum of the values recorded. */
  sum = 0
  /** Largest value recorded. */
  max = 0

  record(v: number): void {
    this.count++
    this.sum += v
    if (v > this.max) this.max = v
    if (!(v >= 1)) {
      this.zeros++
      return
    }
    const b = bucketOf(v)
    const e = b >> SUB_BITS
    const page = this.pages[e] ?? (this.pages[e] = new Float64Array(SUB))
    const m = b & (SUB - 1)
    if (page[m] === 0) {
      if (this.touchedCount === this.touched.length) this.touched = grown(this.touched, this.touched.length * 2)
      this.touched[this.touchedCount++] = b
    }
    page[m]!++
  }

  /** The count in bucket `b` (one that was touched, so its page exists). */
  private countOf(b: number): number {
    return this.pages[b >> SUB_BITS]![b & (SUB - 1)]!
  }

  get mean(): number | null {
    return this.count > 0 ? this.sum / this.count : null
  }

  /** The q-quantile (0 < q ≤ 1) as the midpoint of the bucket holding it; null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null
    const rank = Math.max(1, Math.ceil(q * this.count))
    if (rank <= this.zeros) return 0
    let seen = this.zeros
    const order = this.touched.slice(0, this.touchedCount).sort()
    for (let i = 0; i < order.length; i++) {
      const b = order[i]!
      seen += this.countOf(b)
      if (seen >= rank) return Math.min(midpointOf(b), this.max)
    }
    return this.max
  }

  reset(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const b = this.touched[i]!
      this.pages[b >> SUB_BITS]![b & (SUB - 1)] = 0
    }
    this.touchedCount = 0
    this.zeros = 0
    this.count = 0
    this.sum = 0
    this.max = 0
  }
}
