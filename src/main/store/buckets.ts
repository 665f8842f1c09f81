/**
 * Sample windows merged into buckets of equal width, for drawing a run at
 * a chart's width. A bucket k of width B holds each VM's windows ending in
 * (k·B, (k+1)·B]: its throughput, IOPS and CPU are the means of those
 * windows, its mean latency is weighted by throughput (so by operations, the
 * windows being equally wide), its p99 is the worst window's, and its time
 * is that of its last window. Buckets come in the order of their first
 * window.
 *
 * Merging goes through sums (count of windows, sum of throughput, …), so
 * buckets already merged can be merged again into wider ones exactly: that
 * is the run's overview, buckets of OVERVIEW_FACTOR windows kept beside the
 * samples once a run has ended, from which a long run is drawn without
 * reading all its samples. Its block format is like the samples' (see
 * sampleBlocks.ts) with eight float64 columns: t_ms, windows,
 * throughput_sum, latency_weighted_sum, latency_weight, p99_max (NaN: none),
 * iops_sum, cpu_sum; then the uint32 VM indexes. Its format 2 adds the
 * sums of the samples' optional fields (cpu_guest, cpu_hypervisor, disk_mb,
 * net_gbps; NaN when a window of the bucket lacks one), told apart by size
 * like the samples' blocks.
 */
import { decodeInto, emptyColumns, EXTRA_KEYS, shrink, totalCount, type ExtraKey, type SampleColumns, type StoredBlock } from './sampleBlocks'

/** Windows per bucket of a run's overview. */
export const OVERVIEW_FACTOR = 16

const SUM_KEYS_1 = ['t_ms', 'n', 'tp', 'lat_sum', 'lat_w', 'p99', 'io', 'cpu'] as const
/** The sums of the samples' optional fields, named as the fields (a mean of each is what the bucket shows). */
const SUM_KEYS = [...SUM_KEYS_1, ...EXTRA_KEYS] as const
type SumKey = (typeof SUM_KEYS)[number]

/** Buckets as sums, ready to be merged again or finished into samples. */
export type BucketSums = { count: number; vms: string[]; vm: Uint32Array } & Record<SumKey, Float64Array>

function emptySums(count: number, vms: string[]): BucketSums {
  const out = { count, vms, vm: new Uint32Array(count) } as BucketSums
  for (const k of SUM_KEYS) out[k] = new Float64Array(count)
  return out
}

function shrinkSums(s: BucketSums, count: number): BucketSums {
  const out = { count, vms: [...s.vms], vm: s.vm.slice(0, count) } as BucketSums
  for (const k of SUM_KEYS) out[k] = s[k].slice(0, count)
  return out
}

/**
 * Sums buckets `bucketMs` wide from windows (or narrower buckets) given in
 * time order, a batch at a time: a long run is summed block by block
 * without holding all its samples.
 */
export class BucketSummer {
  private out: BucketSums
  private made = 0
  private slot: Int32Array
  private bucket: Float64Array

  constructor(
    private readonly bucketMs: number,
    private readonly vms: string[] = []
  ) {
    this.out = emptySums(1024, vms)
    this.slot = new Int32Array(0)
    this.bucket = new Float64Array(0)
  }

  /** The bucket entry for VM `v` (an index into `vms`) at time `t`: the current one, or a new one. */
  private entry(v: number, t: number): number {
    if (v >= this.slot.length) {
      const slot = new Int32Array(Math.max(v + 1, this.slot.length * 2)).fill(-1)
      slot.set(this.slot)
      const bucket = new Float64Array(slot.length).fill(NaN)
      bucket.set(this.bucket)
      this.slot = slot
      this.bucket = bucket
    }
    const b = Math.floor((t - 1) / this.bucketMs)
    if (b !== this.bucket[v]) {
      if (this.made === this.out.count) this.grow()
      const s = this.made++
      this.slot[v] = s
      this.bucket[v] = b
      this.out.vm[s] = v
      this.out.p99[s] = NaN
    }
    const s = this.slot[v]!
    if (t > this.out.t_ms[s]!) this.out.t_ms[s] = t
    return s
  }

  private grow(): void {
    const bigger = emptySums(this.out.count * 2, this.vms)
    bigger.vm.set(this.out.vm)
    for (const k of SUM_KEYS) bigger[k].set(this.out[k])
    this.out = bigger
  }

  /** VM indexes of `names` in this summer's list, adding the new ones. */
  private indexes(names: readonly string[]): Uint32Array {
    const out = new Uint32Array(names.length)
    names.forEach((name, i) => {
      let k = this.vms.indexOf(name)
      if (k < 0) k = this.vms.push(name) - 1
      out[i] = k
    })
    return out
  }

  /** Adds raw windows. */
  addWindows(c: SampleColumns): void {
    const map = this.indexes(c.vms)
    for (let i = 0; i < c.count; i++) {
      const s = this.entry(map[c.vm[i]!]!, c.t_ms[i]!)
      const out = this.out
      const tp = c.throughput_ops_s[i]!
      out.n[s] = out.n[s]! + 1
      out.tp[s] = out.tp[s]! + tp
      out.io[s] = out.io[s]! + c.disk_iops[i]!
      out.cpu[s] = out.cpu[s]! + c.cpu_pct[i]!
      addExtras(out, s, c, i)
      const mean = c.latency_mean_ms[i]!
      if (!Number.isNaN(mean)) {
        out.lat_sum[s] = out.lat_sum[s]! + mean * tp
        out.lat_w[s] = out.lat_w[s]! + tp
      }
      const p99 = c.latency_p99_ms[i]!
      if (!Number.isNaN(p99) && !(p99 <= out.p99[s]!)) out.p99[s] = p99
    }
  }

  /** Adds buckets narrower than this summer's (its width a whole multiple of theirs). */
  addSums(b: BucketSums): void {
    const map = this.indexes(b.vms)
    for (let i = 0; i < b.count; i++) {
      const s = this.entry(map[b.vm[i]!]!, b.t_ms[i]!)
      const out = this.out
      out.n[s] = out.n[s]! + b.n[i]!
      out.tp[s] = out.tp[s]! + b.tp[i]!
      out.io[s] = out.io[s]! + b.io[i]!
      out.cpu[s] = out.cpu[s]! + b.cpu[i]!
      addExtras(out, s, b, i)
      out.lat_sum[s] = out.lat_sum[s]! + b.lat_sum[i]!
      out.lat_w[s] = out.lat_w[s]! + b.lat_w[i]!
      const p99 = b.p99[i]!
      if (!Number.isNaN(p99) && !(p99 <= out.p99[s]!)) out.p99[s] = p99
    }
  }

  result(): BucketSums {
    return shrinkSums(this.out, this.made)
  }
}

/** Adds entry `i` of `from`'s optional fields to bucket `s` (a NaN, not recorded, stays NaN in the sum). */
function addExtras(out: BucketSums, s: number, from: Record<ExtraKey, Float64Array>, i: number): void {
  // Spelled out: a loop over the keys would look each column up by name per sample.
  out.cpu_guest_pct[s] = out.cpu_guest_pct[s]! + from.cpu_guest_pct[i]!
  out.cpu_hypervisor_pct[s] = out.cpu_hypervisor_pct[s]! + from.cpu_hypervisor_pct[i]!
  out.disk_mb_s[s] = out.disk_mb_s[s]! + from.disk_mb_s[i]!
  out.net_gbps[s] = out.net_gbps[s]! + from.net_gbps[i]!
}

/** Raw windows summed into buckets `bucketMs` wide. */
export function sumWindows(c: SampleColumns, bucketMs: number): BucketSums {
  const summer = new BucketSummer(bucketMs)
  summer.addWindows(c)
  return summer.result()
}

/** Buckets summed again into wider ones, `bucketMs` a whole multiple of theirs. */
export function sumBuckets(b: BucketSums, bucketMs: number): BucketSums {
  const summer = new BucketSummer(bucketMs)
  summer.addSums(b)
  return summer.result()
}

/** Buckets as samples: the means, the weighted latency, the worst p99. */
export function finishBuckets(b: BucketSums): SampleColumns {
  const out = emptyColumns(b.count, b.vms)
  for (let s = 0; s < b.count; s++) {
    const n = b.n[s]!
    out.vm[s] = b.vm[s]!
    out.t_ms[s] = b.t_ms[s]!
    out.throughput_ops_s[s] = b.tp[s]! / n
    out.disk_iops[s] = b.io[s]! / n
    out.cpu_pct[s] = b.cpu[s]! / n
    out.cpu_guest_pct[s] = b.cpu_guest_pct[s]! / n
    out.cpu_hypervisor_pct[s] = b.cpu_hypervisor_pct[s]! / n
    out.disk_mb_s[s] = b.disk_mb_s[s]! / n
    out.net_gbps[s] = b.net_gbps[s]! / n
    out.latency_mean_ms[s] = b.lat_w[s]! > 0 ? b.lat_sum[s]! / b.lat_w[s]! : NaN
    out.latency_p99_ms[s] = b.p99[s]!
  }
  return shrink(out, b.count)
}

/** Consecutive windows of each VM merged into buckets `bucketMs` wide. */
export function mergeBuckets(c: SampleColumns, bucketMs: number): SampleColumns {
  return finishBuckets(sumWindows(c, bucketMs))
}

const BYTES_PER_SUM = SUM_KEYS.length * 8 + 4

/** Packs buckets `from`–`to` of `b` into one overview block. */
export function encodeSums(b: BucketSums, from: number, to: number): { count: number; t_first_ms: number; t_last_ms: number; vms: string; data: Buffer } {
  const n = to - from
  const buffer = new ArrayBuffer(n * BYTES_PER_SUM)
  const f = new Float64Array(buffer, 0, n * SUM_KEYS.length)
  SUM_KEYS.forEach((k, c) => f.set(b[k].subarray(from, to), c * n))
  new Uint32Array(buffer, n * SUM_KEYS.length * 8, n).set(b.vm.subarray(from, to))
  return { count: n, t_first_ms: b.t_ms[from] ?? 0, t_last_ms: b.t_ms[to - 1] ?? 0, vms: JSON.stringify(b.vms), data: Buffer.from(buffer) }
}

/** Unpacks overview blocks (in order) into one set of sums with one VM list. */
export function decodeSums(blocks: readonly StoredBlock[]): BucketSums {
  const out = emptySums(totalCount(blocks), [])
  decodeInto(blocks, [SUM_KEYS, SUM_KEYS_1], out, 'an overview block', 'buckets')
  return out
}

/** The entries of `b` in buckets (of `bucketMs`) that overlap [fromMs, toMs]. */
export function sumsWithin(b: BucketSums, bucketMs: number, fromMs: number, toMs: number): BucketSums {
  const first = Math.floor((fromMs - 1) / bucketMs)
  const last = Math.floor((toMs - 1) / bucketMs)
  let lo = 0
  while (lo < b.count && Math.floor((b.t_ms[lo]! - 1) / bucketMs) < first) lo++
  let hi = b.count
  while (hi > lo && Math.floor((b.t_ms[hi - 1]! - 1) / bucketMs) > last) hi--
  if (lo === 0 && hi === b.count) return b
  const out = { count: hi - lo, vms: b.vms, vm: b.vm.subarray(lo, hi) } as BucketSums
  for (const k of SUM_KEYS) out[k] = b[k].subarray(lo, hi)
  return out
}
