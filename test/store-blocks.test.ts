/**
 * Sample blocks of both formats: format 2 keeps the optional fields (CPU
 * split, disk MB/s, network Gb/s) through a round trip and through the
 * merged buckets of a chart; blocks of format 1 (runs stored before those
 * fields) still read, the fields absent rather than zero; as chart series
 * (runs:samples) they are left out, not sent as zeros.
 */
import { describe, expect, it } from 'vitest'
import { decodeSums, encodeSums, mergeBuckets, sumWindows } from '../src/main/store/buckets'
import { decodeBlocks, encodeBlock, toSamples } from '../src/main/store/sampleBlocks'
import { toSeries } from '../src/main/services/replay'
import type { Sample } from '../src/shared/result'

const samples: Sample[] = [1, 2, 3, 4].flatMap((w) =>
  ['a', 'b'].map((vm, v) => ({
    t_ms: w * 500,
    vm,
    throughput_ops_s: 100 + w + v,
    latency_mean_ms: v === 0 ? 1.5 : null,
    latency_p99_ms: v === 0 ? 4 : null,
    disk_iops: 10 * w,
    cpu_pct: 50 + w,
    cpu_guest_pct: 40 + w,
    cpu_hypervisor_pct: 10,
    disk_mb_s: (10 * w * 8) / 1024,
    net_gbps: 0.25 * v
  }))
)

/** A block as Hyperlab wrote it before format 2: six float64 columns, then the VM indexes. */
function formatOneBlock(s: readonly Sample[]): { count: number; vms: string; data: Buffer } {
  const n = s.length
  const names = [...new Set(s.map((x) => x.vm))]
  const buffer = new ArrayBuffer(n * 52)
  const f = new Float64Array(buffer, 0, n * 6)
  const vm = new Uint32Array(buffer, n * 48, n)
  s.forEach((x, i) => {
    ;[x.t_ms, x.throughput_ops_s, x.latency_mean_ms ?? NaN, x.latency_p99_ms ?? NaN, x.disk_iops, x.cpu_pct].forEach((value, c) => (f[c * n + i] = value))
    vm[i] = names.indexOf(x.vm)
  })
  return { count: n, vms: JSON.stringify(names), data: Buffer.from(buffer) }
}

const basic = ({ t_ms, vm, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops, cpu_pct }: Sample): Sample => ({ t_ms, vm, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops, cpu_pct })

describe('sample blocks', () => {
  it('format 2 keeps every field of a sample, a missing latency included', () => {
    const b = encodeBlock(samples)
    expect(b.data.length).toBe(samples.length * (10 * 8 + 4))
    expect(toSamples(decodeBlocks([b]))).toEqual(samples)
  })

  it('format 1 blocks still read: the fields they never held are absent, not zero', () => {
    const old = decodeBlocks([formatOneBlock(samples)])
    expect(Number.isNaN(old.disk_mb_s[0])).toBe(true)
    expect(toSamples(old)).toEqual(samples.map(basic))
  })

  it('a run whose blocks mix both formats reads in order, each block as it was written', () => {
    const c = decodeBlocks([formatOneBlock(samples.slice(0, 4)), encodeBlock(samples.slice(4))])
    expect(toSamples(c)).toEqual([...samples.slice(0, 4).map(basic), ...samples.slice(4)])
  })

  it('a block of neither size is refused with both sizes named', () => {
    const b = encodeBlock(samples)
    expect(() => decodeBlocks([{ ...b, data: b.data.subarray(0, 100) }])).toThrow(/holds 100 bytes, not the 672 or 416 of 8 samples/)
  })

  it('merged buckets average the new fields, and keep them absent for old runs', () => {
    const merged = toSamples(mergeBuckets(decodeBlocks([encodeBlock(samples)]), 1000))
    const a = merged.filter((s) => s.vm === 'a')
    expect(a.map((s) => s.disk_mb_s)).toEqual([(15 * 8) / 1024, (35 * 8) / 1024])
    expect(a.map((s) => s.cpu_guest_pct)).toEqual([41.5, 43.5])
    const old = toSamples(mergeBuckets(decodeBlocks([formatOneBlock(samples)]), 1000))
    expect(old.every((s) => s.disk_mb_s === undefined && s.net_gbps === undefined)).toBe(true)
  })

  it("an overview of the earlier format (eight sums) still reads, without the new fields' sums", () => {
    const sums = sumWindows(decodeBlocks([encodeBlock(samples)]), 1000)
    const now = encodeSums(sums, 0, sums.count)
    expect(decodeSums([now]).disk_mb_s[0]).toBeCloseTo((30 * 8) / 1024, 12)
    // The earlier layout: the first eight columns only.
    const n = sums.count
    const f = new Float64Array(now.data.buffer, now.data.byteOffset, n * 12)
    const old = Buffer.concat([Buffer.from(f.slice(0, n * 8).buffer), now.data.subarray(n * 12 * 8)])
    const back = decodeSums([{ count: n, vms: now.vms, data: old }])
    expect(Array.from(back.tp)).toEqual(Array.from(sums.tp))
    expect(Number.isNaN(back.disk_mb_s[0])).toBe(true)
  })
})

describe('a stored run as chart series (runs:samples)', () => {
  const shown = (c: ReturnType<typeof decodeBlocks>) => ({ columns: c, bucketMs: null, windowMs: 500 })

  it('carries the recorded-later measures, a missing latency as null', () => {
    const s = toSeries('r', shown(decodeBlocks([encodeBlock(samples)])), { fromMs: 0, toMs: Infinity })
    expect(s.t_ms).toEqual([500, 1000, 1500, 2000])
    const [a, b] = s.vms
    expect(a!.cpu_guest_pct).toEqual([41, 42, 43, 44])
    expect(a!.disk_mb_s).toEqual(samples.filter((x) => x.vm === 'a').map((x) => x.disk_mb_s))
    expect(b!.net_gbps).toEqual([0.25, 0.25, 0.25, 0.25])
    expect(b!.latency_mean_ms).toEqual([null, null, null, null])
  })

  it('leaves them out for a run recorded before them, rather than sending zeros', () => {
    const s = toSeries('r', shown(decodeBlocks([formatOneBlock(samples)])), { fromMs: 0, toMs: Infinity })
    expect(Object.keys(s.vms[0]!).sort()).toEqual(['cpu_pct', 'disk_iops', 'latency_mean_ms', 'latency_p99_ms', 'throughput_ops_s', 'vm'])
    expect(s.vms[0]!.cpu_pct).toEqual([51, 52, 53, 54])
  })
})
