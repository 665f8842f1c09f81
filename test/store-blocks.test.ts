/**
 * Sample blocks of both formats: format 2 keeps the optional fields (CPU
 * split, disk MB/s, network Gb/s) through a round trip and through the
 * merged buckets of a chart; blocks of format 1 (runs stored before those
 * fields) still read, the fields absent rather than zero; as chart series
 * (runs:samples) they are left out, not sent as zeros. A block packed by an
 * engine thread passes the message schema exactly when its samples would.
 */
import { describe, expect, it } from 'vitest'
import { decodeSums, encodeSums, mergeBuckets, sumWindows } from '../src/main/store/buckets'
import { decodeBlocks, encodeBlock, packBlocks, packSamples, toSamples, unpackBlocks } from '../src/main/store/sampleBlocks'
import { sampleBlockSchema, workerMessageSchema } from '../src/main/runner/messages'
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

  it('a packed block, as an engine thread posts it, passes the message schema and unpacks to the same samples', () => {
    const blocks = packBlocks(samples)
    const batch = workerMessageSchema.parse({ type: 'batch', blocks, events: [], arrays: [], progress: 0.5, simulated_s: 2 })
    expect(batch.type === 'batch' && unpackBlocks(batch.blocks)).toEqual(samples)
    expect(unpackBlocks(packBlocks([]))).toEqual([])
  })

  it('the message schema refuses a block the sample schema would refuse, naming the field', () => {
    const refused = (change: (s: Sample) => Sample): string | null => {
      const block = packSamples(samples.map((s, i) => (i === 3 ? change(s) : s)))
      const result = sampleBlockSchema.safeParse(block)
      return result.success ? null : result.error.issues[0]!.message
    }
    expect(refused((s) => s)).toBeNull()
    expect(refused((s) => ({ ...s, throughput_ops_s: NaN }))).toBe('sample 3: throughput_ops_s is NaN, not a finite number')
    expect(refused((s) => ({ ...s, disk_iops: Infinity }))).toBe('sample 3: disk_iops is Infinity, not a finite number')
    expect(refused((s) => ({ ...s, latency_p99_ms: -Infinity }))).toBe('sample 3: latency_p99_ms is -Infinity, not a finite number')
    expect(refused((s) => ({ ...s, net_gbps: Infinity }))).toBe('sample 3: net_gbps is Infinity, not a finite number')
    // Null latencies and absent optional fields are NaN in a block, as the schema allows.
    expect(refused((s) => ({ ...basic(s), latency_mean_ms: null, latency_p99_ms: null }))).toBeNull()
    const block = packSamples(samples)
    expect(sampleBlockSchema.safeParse({ ...block, vms: ['a'] }).error?.issues[0]?.message).toBe("sample 1: VM index 1 is not one of the block's 1 VMs")
    expect(sampleBlockSchema.safeParse({ ...block, data: block.data.slice(8) }).error?.issues[0]?.message).toBe('the block holds 664 bytes, not the 672 of 8 samples')
    expect(sampleBlockSchema.safeParse({ ...block, data: Array.from(new Uint8Array(block.data)) }).success).toBe(false)
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
