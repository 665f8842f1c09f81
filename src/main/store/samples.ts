/**
 * Reading and writing a run's samples in the `sample_blocks` table
 * (sampleBlocks.ts holds the block format). Callers own the transaction.
 */
import type { Database } from 'better-sqlite3'
import { BucketSummer, decodeSums, encodeSums, finishBuckets, mergeBuckets, OVERVIEW_FACTOR, sumBuckets, sumsWithin, type BucketSums } from './buckets'
import { BLOCK_SAMPLES, decodeBlocks, emptyColumns, sliceColumns, storedBlock, totalCount, type SampleBlock, type SampleColumns, type StoredBlock } from './sampleBlocks'

/**
 * Appends packed blocks (their samples numbered from `firstSeq` on), one row
 * each. A number already taken throws, so a batch written twice fails whole
 * instead of doubling.
 */
export function appendBlocks(db: Database, runId: string, firstSeq: number, blocks: readonly SampleBlock[]): void {
  const count = totalCount(blocks)
  if (count === 0) return
  // The block starting last before the batch's end is the only one that can overlap it (blocks never overlap).
  const before = db
    .prepare('SELECT first_seq, count FROM sample_blocks WHERE run_id = ? AND first_seq < ? ORDER BY first_seq DESC LIMIT 1')
    .get(runId, firstSeq + count) as { first_seq: number; count: number } | undefined
  if (before && before.first_seq + before.count > firstSeq) {
    throw new Error(`samples ${firstSeq}–${firstSeq + count - 1} of run ${runId} overlap samples already stored`)
  }
  const insert = db.prepare(
    'INSERT INTO sample_blocks (run_id, first_seq, count, t_first_ms, t_last_ms, vms, data) VALUES (?, ?, ?, ?, ?, ?, ?)'
  )
  let seq = firstSeq
  for (const block of blocks) {
    if (block.count === 0) continue
    const b = storedBlock(block)
    insert.run(runId, seq, b.count, b.t_first_ms, b.t_last_ms, b.vms, b.data)
    seq += b.count
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
  return sliceColumns(c, first, end)
}

export function countSamples(db: Database, runId: string): number {
  return (db.prepare('SELECT COALESCE(SUM(count), 0) AS n FROM sample_blocks WHERE run_id = ?').get(runId) as { n: number }).n
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

/** A run's samples at a chart's width: merged buckets (or every window), with the widths of both. */
export interface DisplayColumns {
  columns: SampleColumns
  /** Width of a merged bucket, ms; null when every window is there. */
  bucketMs: number | null
  windowMs: number
}

/**
 * The samples of a run within [fromMs, toMs] with at most `maxPerVm` per VM:
 * every window, or buckets of a whole number of windows. A wide bucket is
 * made from the run's overview when it has one (buckets.ts), so a long run
 * is drawn without reading all its samples; its width is then a multiple
 * of the overview's, which may leave fewer points than asked (at least half).
 */
export function displayColumns(db: Database, runId: string, maxPerVm: number, fromMs = -Infinity, toMs = Infinity): DisplayColumns {
  const shape = runShape(db, runId, fromMs, toMs)
  if (shape === null) return { columns: emptyColumns(0), bucketMs: null, windowMs: 0 }
  const perVm = Math.ceil(shape.samples / shape.vms)
  const m = Math.ceil(perVm / Math.max(1, maxPerVm))
  if (m >= OVERVIEW_FACTOR) {
    const overview = readOverview(db, runId)
    if (overview) {
      const factor = OVERVIEW_FACTOR * Math.ceil(m / OVERVIEW_FACTOR)
      const bucketMs = factor * shape.windowMs
      const within = sumsWithin(overview, OVERVIEW_FACTOR * shape.windowMs, fromMs, toMs)
      return { columns: finishBuckets(factor === OVERVIEW_FACTOR ? within : sumBuckets(within, bucketMs)), bucketMs, windowMs: shape.windowMs }
    }
  }
  const columns = readColumns(db, runId, fromMs, toMs)
  if (m <= 1) return { columns, bucketMs: null, windowMs: shape.windowMs }
  const bucketMs = m * shape.windowMs
  return { columns: mergeBuckets(columns, bucketMs), bucketMs, windowMs: shape.windowMs }
}

/**
 * How many samples a run has within a range (counted by whole blocks, so a
 * little over at its ends), of how many VMs, in windows how wide: read from
 * the blocks' rows and the first block, not from every sample.
 */
function runShape(db: Database, runId: string, fromMs: number, toMs: number): { samples: number; vms: number; windowMs: number } | null {
  const first = db.prepare('SELECT count, vms, data FROM sample_blocks WHERE run_id = ? ORDER BY first_seq LIMIT 1').get(runId) as StoredBlock | undefined
  if (!first) return null
  const head = decodeBlocks([first])
  const samples = (
    db
      .prepare('SELECT COALESCE(SUM(count), 0) AS n FROM sample_blocks WHERE run_id = ? AND t_last_ms >= ? AND t_first_ms <= ?')
      .get(runId, Math.max(fromMs, -Number.MAX_VALUE), Math.min(toMs, Number.MAX_VALUE)) as { n: number }
  ).n
  // Every VM has a sample in every window, so the first block (8,192 samples, more than the 1,024 VMs a run may have) names them all.
  return { samples, vms: Math.max(1, head.vms.length), windowMs: windowMs(head) }
}

/**
 * Builds a run's overview (buckets of OVERVIEW_FACTOR windows) unless it has
 * one; for runs that have ended. Summed block by block, so a long run is
 * never held whole.
 */
export function buildOverview(db: Database, runId: string): boolean {
  if (hasOverview(db, runId)) return false
  const first = db.prepare('SELECT count, vms, data FROM sample_blocks WHERE run_id = ? ORDER BY first_seq LIMIT 1').get(runId) as StoredBlock | undefined
  if (!first) return false
  const summer = new BucketSummer(OVERVIEW_FACTOR * windowMs(decodeBlocks([first])))
  for (const block of db.prepare('SELECT count, vms, data FROM sample_blocks WHERE run_id = ? ORDER BY first_seq').iterate(runId) as IterableIterator<StoredBlock>) {
    summer.addWindows(decodeBlocks([block]))
  }
  const sums = summer.result()
  const insert = db.prepare(
    'INSERT INTO sample_overviews (run_id, factor, first, count, t_first_ms, t_last_ms, vms, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
  )
  for (let at = 0; at < sums.count; at += BLOCK_SAMPLES) {
    const b = encodeSums(sums, at, Math.min(sums.count, at + BLOCK_SAMPLES))
    insert.run(runId, OVERVIEW_FACTOR, at, b.count, b.t_first_ms, b.t_last_ms, b.vms, b.data)
  }
  return true
}

/** Whether a run's overview is stored. */
export function hasOverview(db: Database, runId: string): boolean {
  return db.prepare('SELECT 1 FROM sample_overviews WHERE run_id = ? LIMIT 1').get(runId) !== undefined
}

function readOverview(db: Database, runId: string): BucketSums | null {
  const blocks = db
    .prepare('SELECT count, vms, data FROM sample_overviews WHERE run_id = ? AND factor = ? ORDER BY first')
    .all(runId, OVERVIEW_FACTOR) as StoredBlock[]
  return blocks.length > 0 ? decodeSums(blocks) : null
}
