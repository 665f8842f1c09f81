/**
 * How a run's samples are kept: packed in blocks of consecutive samples, one
 * row per block, each column of the block a run of float64 values in one
 * BLOB. A run of 10⁶ samples is then a few hundred rows instead of 10⁶,
 * written and read back at memory speed, and a time range is found from the
 * blocks' first and last times without touching the rest.
 *
 * Block format 1 (`data`), little-endian, `count` values per column in this
 * order: t_ms, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops,
 * cpu_pct (float64; a missing latency is NaN), then the VM of each sample as
 * a uint32 index into the block's `vms` (a JSON array of VM ids). Samples
 * never hold NaN (the shared schema refuses it), so NaN can stand for null.
 *
 * Block format 2 adds four float64 columns after cpu_pct: cpu_guest_pct,
 * cpu_hypervisor_pct, disk_mb_s, net_gbps (NaN: not recorded). A block's
 * format is told by its size (52 or 84 bytes per sample), so blocks of runs
 * stored before format 2 read as they are, their new columns all NaN, and
 * need no migration. New blocks are always written in format 2.
 */
import type { Sample } from '../../shared/result'

/** Samples per block at most: about 690 kB, small enough that a time range reads little more than it needs. */
export const BLOCK_SAMPLES = 8192

/** The columns of format 1, and those format 2 adds (optional fields of a sample: NaN where absent). */
const VALUE_KEYS_1 = ['t_ms', 'throughput_ops_s', 'latency_mean_ms', 'latency_p99_ms', 'disk_iops', 'cpu_pct'] as const
export const EXTRA_KEYS = ['cpu_guest_pct', 'cpu_hypervisor_pct', 'disk_mb_s', 'net_gbps'] as const
export type ExtraKey = (typeof EXTRA_KEYS)[number]
const VALUE_KEYS_2 = [...VALUE_KEYS_1, ...EXTRA_KEYS] as const
/** Every float64 column of SampleColumns. */
export const COLUMN_KEYS = VALUE_KEYS_2
export type ColumnKey = (typeof COLUMN_KEYS)[number]

const VALUE_COLUMNS = VALUE_KEYS_2.length
const BYTES_PER_SAMPLE = VALUE_COLUMNS * 8 + 4

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('Hyperlab stores samples little-endian and runs only on little-endian machines')
}

/** Samples as columns: what blocks hold and what replay reads. Latencies are NaN where a sample has null. */
export interface SampleColumns {
  count: number
  /** VM ids, in order of first appearance; `vm` holds indexes into it. */
  vms: string[]
  vm: Uint32Array
  t_ms: Float64Array
  throughput_ops_s: Float64Array
  latency_mean_ms: Float64Array
  latency_p99_ms: Float64Array
  disk_iops: Float64Array
  cpu_pct: Float64Array
  /** The optional fields (format 2); NaN where a sample lacks one. */
  cpu_guest_pct: Float64Array
  cpu_hypervisor_pct: Float64Array
  disk_mb_s: Float64Array
  net_gbps: Float64Array
}

export interface EncodedBlock {
  count: number
  t_first_ms: number
  t_last_ms: number
  vms: string
  data: Buffer
}

/**
 * A block as an engine thread hands it to the runner: the samples' columns in
 * format 2 in a buffer of its own, transferred with the message rather than
 * copied, and the VM ids its indexes point into. Packing it on the engine
 * thread spares the runner's thread, which every sweep slot shares, from
 * checking and packing each sample object.
 */
export interface SampleBlock {
  count: number
  vms: string[]
  data: ArrayBuffer
}

/** Packs `samples` (in time order, at most BLOCK_SAMPLES) into a block's columns. */
export function packSamples(samples: readonly Sample[]): SampleBlock {
  const n = samples.length
  const data = new ArrayBuffer(n * BYTES_PER_SAMPLE)
  const f = new Float64Array(data, 0, n * VALUE_COLUMNS)
  const vm = new Uint32Array(data, n * VALUE_COLUMNS * 8, n)
  const vms: string[] = []
  const index = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const s = samples[i]!
    f[i] = s.t_ms
    f[n + i] = s.throughput_ops_s
    f[2 * n + i] = s.latency_mean_ms ?? NaN
    f[3 * n + i] = s.latency_p99_ms ?? NaN
    f[4 * n + i] = s.disk_iops
    f[5 * n + i] = s.cpu_pct
    f[6 * n + i] = s.cpu_guest_pct ?? NaN
    f[7 * n + i] = s.cpu_hypervisor_pct ?? NaN
    f[8 * n + i] = s.disk_mb_s ?? NaN
    f[9 * n + i] = s.net_gbps ?? NaN
    let k = index.get(s.vm)
    if (k === undefined) {
      k = vms.length
      vms.push(s.vm)
      index.set(s.vm, k)
    }
    vm[i] = k
  }
  return { count: n, vms, data }
}

/** `samples` (in time order) as blocks of at most BLOCK_SAMPLES. */
export function packBlocks(samples: readonly Sample[]): SampleBlock[] {
  const blocks: SampleBlock[] = []
  for (let at = 0; at < samples.length; at += BLOCK_SAMPLES) blocks.push(packSamples(samples.slice(at, at + BLOCK_SAMPLES)))
  return blocks
}

/** Packs `samples` (in time order) into one block. */
export function encodeBlock(samples: readonly Sample[]): EncodedBlock {
  return storedBlock(packSamples(samples))
}

/** A packed block as a `sample_blocks` row holds it (sharing its buffer). */
export function storedBlock(b: SampleBlock): EncodedBlock {
  const t = new Float64Array(b.data, 0, b.count)
  return { count: b.count, t_first_ms: t[0] ?? 0, t_last_ms: t[b.count - 1] ?? 0, vms: JSON.stringify(b.vms), data: Buffer.from(b.data) }
}

/** Columns of format 2 that every sample has (the shared sample schema's required numbers); the others may be NaN (null or absent). */
const REQUIRED_COLUMNS = new Set<number>(['t_ms', 'throughput_ops_s', 'disk_iops', 'cpu_pct'].map((k) => VALUE_KEYS_2.indexOf(k as ColumnKey)))

/**
 * Why `b` does not hold samples the shared sample schema (shared/result.ts
 * sampleSchema) would accept, or null when it does: its size is its count's
 * in format 2, every required number is finite, every other one finite or NaN
 * (null or absent; never infinite), and every VM index names one of its VMs.
 * The same check as parsing each sample object, on the block's arrays.
 */
export function blockProblem(b: SampleBlock): string | null {
  const n = b.count
  if (b.data.byteLength !== n * BYTES_PER_SAMPLE) return `the block holds ${b.data.byteLength} bytes, not the ${n * BYTES_PER_SAMPLE} of ${n} samples`
  const f = new Float64Array(b.data, 0, n * VALUE_COLUMNS)
  for (let c = 0; c < VALUE_COLUMNS; c++) {
    const required = REQUIRED_COLUMNS.has(c)
    for (let i = c * n, end = i + n; i < end; i++) {
      const v = f[i]!
      if (v - v !== 0 && (required || v === v)) return `sample ${i - c * n}: ${VALUE_KEYS_2[c]} is ${v}, not a finite number`
    }
  }
  const vm = new Uint32Array(b.data, n * VALUE_COLUMNS * 8, n)
  for (let i = 0; i < n; i++) if (vm[i]! >= b.vms.length) return `sample ${i}: VM index ${vm[i]} is not one of the block's ${b.vms.length} VMs`
  return null
}

/** The samples of packed blocks (in order), as objects. */
export function unpackBlocks(blocks: readonly SampleBlock[]): Sample[] {
  return toSamples(decodeBlocks(blocks.map((b) => ({ count: b.count, vms: JSON.stringify(b.vms), data: Buffer.from(b.data) }))))
}

export interface StoredBlock {
  count: number
  vms: string
  data: Buffer
}

/** Columns sized for `count` samples. */
export function emptyColumns(count: number, vms: string[] = []): SampleColumns {
  const out = { count, vms, vm: new Uint32Array(count) } as SampleColumns
  for (const k of COLUMN_KEYS) out[k] = new Float64Array(count)
  return out
}

/** Unpacks blocks (in sequence order, of either format) into one set of columns, with one VM list for all of them. */
export function decodeBlocks(blocks: readonly StoredBlock[]): SampleColumns {
  const out = emptyColumns(totalCount(blocks))
  decodeInto(blocks, [VALUE_KEYS_2, VALUE_KEYS_1], out, 'a sample block', 'samples')
  return out
}

/** Entries in all of `blocks`. */
export function totalCount(blocks: readonly { count: number }[]): number {
  let total = 0
  for (const b of blocks) total += b.count
  return total
}

/**
 * Unpacks blocks (in order) into `out`, sized for all of them. A block is in
 * one of `layouts` (newest first), told by its size: each key of its layout a
 * float64 column, then the uint32 VM indexes, mapped onto one VM list
 * (`out.vms`, empty at first). Columns of `out` that a block's layout lacks
 * read NaN (not recorded). `block` and `entries` name them in the error for
 * a block of no layout's size.
 */
export function decodeInto<K extends string>(
  blocks: readonly StoredBlock[],
  layouts: readonly (readonly K[])[],
  out: { vms: string[]; vm: Uint32Array } & Record<K, Float64Array>,
  block: string,
  entries: string
): void {
  const all = layouts[0]!
  const index = new Map<string, number>()
  let at = 0
  for (const b of blocks) {
    const n = b.count
    const keys = layouts.find((l) => b.data.length === n * (l.length * 8 + 4))
    if (!keys) throw new Error(`${block} holds ${b.data.length} bytes, not the ${layouts.map((l) => n * (l.length * 8 + 4)).join(' or ')} of ${n} ${entries}`)
    for (const key of all) if (!keys.includes(key)) out[key].fill(NaN, at, at + n)
    // Typed arrays need an aligned start; SQLite's buffer may not be.
    const bytes = b.data.byteOffset % 8 === 0 ? b.data : Buffer.from(b.data)
    const f = new Float64Array(bytes.buffer, bytes.byteOffset, n * keys.length)
    keys.forEach((key, c) => out[key].set(f.subarray(c * n, (c + 1) * n), at))
    const local = new Uint32Array(bytes.buffer, bytes.byteOffset + n * keys.length * 8, n)
    const map = (JSON.parse(b.vms) as string[]).map((name) => {
      let k = index.get(name)
      if (k === undefined) {
        k = out.vms.length
        out.vms.push(name)
        index.set(name, k)
      }
      return k
    })
    for (let i = 0; i < n; i++) out.vm[at + i] = map[local[i]!]!
    at += n
  }
}

/** The samples of `c` between `from` and `to` (by index, end excluded) as objects. */
export function toSamples(c: SampleColumns, from = 0, to = c.count): Sample[] {
  const out: Sample[] = new Array(Math.max(0, to - from))
  for (let i = from; i < to; i++) {
    const mean = c.latency_mean_ms[i]!
    const p99 = c.latency_p99_ms[i]!
    const guest = c.cpu_guest_pct[i]!
    const hyp = c.cpu_hypervisor_pct[i]!
    const mb = c.disk_mb_s[i]!
    const net = c.net_gbps[i]!
    const t_ms = c.t_ms[i]!
    const vm = c.vms[c.vm[i]!]!
    const throughput_ops_s = c.throughput_ops_s[i]!
    const latency_mean_ms = Number.isNaN(mean) ? null : mean
    const latency_p99_ms = Number.isNaN(p99) ? null : p99
    const disk_iops = c.disk_iops[i]!
    const cpu_pct = c.cpu_pct[i]!
    // One object literal per shape (all four optional fields, or none of them): objects built key by key, or
    // spread from another, are slower to make and to serialize.
    if (!Number.isNaN(guest) && !Number.isNaN(hyp) && !Number.isNaN(mb) && !Number.isNaN(net)) {
      out[i - from] = { t_ms, vm, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops, cpu_pct, cpu_guest_pct: guest, cpu_hypervisor_pct: hyp, disk_mb_s: mb, net_gbps: net }
    } else {
      const sample: Sample = { t_ms, vm, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops, cpu_pct }
      if (!Number.isNaN(guest)) sample.cpu_guest_pct = guest
      if (!Number.isNaN(hyp)) sample.cpu_hypervisor_pct = hyp
      if (!Number.isNaN(mb)) sample.disk_mb_s = mb
      if (!Number.isNaN(net)) sample.net_gbps = net
      out[i - from] = sample
    }
  }
  return out
}

/** The first `count` samples of `c`, in arrays of that length. */
export function shrink(c: SampleColumns, count: number): SampleColumns {
  const out = { count, vms: c.vms, vm: c.vm.slice(0, count) } as SampleColumns
  for (const k of COLUMN_KEYS) out[k] = c[k].slice(0, count)
  return out
}

/** The samples `from`–`to` (by index, end excluded) of `c`, sharing its memory. */
export function sliceColumns(c: SampleColumns, from: number, to: number): SampleColumns {
  const out = { count: to - from, vms: c.vms, vm: c.vm.subarray(from, to) } as SampleColumns
  for (const k of COLUMN_KEYS) out[k] = c[k].subarray(from, to)
  return out
}
