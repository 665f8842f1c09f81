/**
 * Reading and writing a run's samples in the `sample_blocks` table
 * (sampleBlocks.ts holds the block format). Callers own the transaction.
 */
import type { Database } from 'better-sqlite3'
import type { Sample } from '../../shared/result'
import { BLOCK_SAMPLES, decodeBlocks, encodeBlock, emptyColumns, type SampleColumns, type StoredBlock } from './sampleBlocks'

/**
 * Appends `samples` (numbered from `firstSeq`) as blocks. A number already
 * taken throws, so a batch written twice fails whole instead of doubling.
 */
export function appendBlocks(db: Database, runId: string, firstSeq: number, samples: readonly Sample[]): void {
  if (samples.length === 0) return
  // The block starting last before the batch's end is the only one that can overlap it (blocks never overlap).
  const before = db
    .prepare('SELECT first_seq, count FROM sample_blocks WHERE run_id = ? AND first_seq < ? ORDER BY first_seq DESC LIMIT 1')
    .get(runId, firstSeq + samples.length) as { first_seq: number; count: number } | undefined
  if (before && before.first_seq + before.count > firstSeq) {
    throw new Error(`samples ${firstSeq}–${firstSeq + samples.length - 1} of run ${runId} overlap samples already stored`)
  }
  const insert = db.prepare(
    'INSERT INTO sample_blocks (run_id, first_seq, count, t_first_ms, t_last_ms, vms, data) VALUES (?, ?, ?, ?, ?, ?, ?)'
  )
  for (let at = 0; at < samples.length; at += BLOCK_SAMPLES) {
    const b = encodeBlock(samples.slice(at, at + BLOCK_SAMPLES))
    insert.run(runId, firstSeq + at, b.count, b.t_first_ms, b.t_last_ms, b.vms, b.data)
  }
}

/** A run's samples in sequence order; with a range, only windows ending within [fromMs, toMs]. */
export function readColumns(db: Database, runId: string, fromMs = -Infinity, toMs = Infinity): SampleColumns {
  const ranged = fromMs > -Infinity || toMs < Infinity
  const blocks = (
    ranged
      ? db
          .prepare('SELECT count, vms, data FROM sample_blocks WHERE run_id = ? AND t_last_ms >= ? AND t_first_ms <= ? ORDER BY first_seq')
          .all(runId, Math.max(fromMs, -Number.MAX_VALUE), Math.min(toMs, Number.MAX_VALUE))
      : db.prepare('SELECT count, vms, data FROM sample_blocks WHERE run_id = ? ORDER BY first_seq').all(runId)
  ) as StoredBlock[]
  const all = decodeBlocks(blocks)
  return ranged ? columnsWithin(all, fromMs, toMs) : all
}

/** The samples of `c` (in time order) whose time is within [fromMs, toMs], sharing its memory. */
export function columnsWithin(c: SampleColumns, fromMs: number, toMs: number): SampleColumns {
  let first = 0
  while (first < c.count && c.t_ms[first]! < fromMs) first++
  let end = c.count
  while (end > first && c.t_ms[end - 1]! > toMs) end--
  if (first === 0 && end === c.count) return c
  const out = emptyColumns(0, c.vms)
  return {
    ...out,
    count: end - first,
    vm: c.vm.subarray(first, end),
    t_ms: c.t_ms.subarray(first, end),
    throughput_ops_s: c.throughput_ops_s.subarray(first, end),
    latency_mean_ms: c.latency_mean_ms.subarray(first, end),
    latency_p99_ms: c.latency_p99_ms.subarray(first, end),
    disk_iops: c.disk_iops.subarray(first, end),
    cpu_pct: c.cpu_pct.subarray(first, end)
  }
}

export function countSamples(db: Database, runId: string): number {
  return (db.prepare('SELECT COALESCE(SUM(count), 0) AS n FROM sample_blocks WHERE run_id = ?').get(runId) as { n: number }).n
}

/**
 * The bucket width that brings `c` to at most `maxPerVm` points per VM, or
 * null when it has no more than that: a whole number of windows, so every
 * bucket merges the same count of them.
 */
export function displayBucketMs(c: SampleColumns, maxPerVm: number): number | null {
  if (c.count === 0 || c.vms.length === 0) return null
  const windows = Math.ceil(c.count / c.vms.length)
  if (windows <= maxPerVm) return null
  return Math.ceil(windows / maxPerVm) * windowMs(c)
}

/**
 * The width of one sample window: the time between the first VM's first two
 * windows, or the first window's end when there is one window (windows start at 0).
 */
export function windowMs(c: SampleColumns): number {
  if (c.count === 0) return 0
  const first = c.vm[0]!
  for (let i = 1; i < c.count; i++) if (c.vm[i] === first) return c.t_ms[i]! - c.t_ms[0]!
  return c.t_ms[0]!
}
