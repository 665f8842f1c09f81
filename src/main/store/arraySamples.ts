/**
 * A run's SAN array samples (`array_samples`): one row per array and sample
 * window, written with the VMs' sample batches and read back either every
 * window or merged into the buckets the VMs' charts use, so both share one
 * time axis. Callers own the transaction.
 */
import type { Database } from 'better-sqlite3'
import type { ArraySample } from '../../shared/result'

export function appendArraySamples(db: Database, runId: string, samples: readonly ArraySample[]): void {
  if (samples.length === 0) return
  const insert = db.prepare('INSERT INTO array_samples (run_id, array_id, t_ms, utilization_pct, queue_depth, iops) VALUES (?, ?, ?, ?, ?, ?)')
  for (const s of samples) insert.run(runId, s.array, s.t_ms, s.utilization_pct, s.queue_depth, s.iops)
}

/**
 * The run's array samples in time order, then by array id. With `bucketMs`, consecutive
 * windows of each array are merged into buckets of that width (the VMs' buckets: a window ending at `t`
 * belongs to bucket ⌊(t − 1) / bucketMs⌋, stamped with its last window's end), each value their mean.
 */
export function readArraySamples(db: Database, runId: string, bucketMs: number | null = null): ArraySample[] {
  const rows = db
    .prepare('SELECT t_ms, array_id AS array, utilization_pct, queue_depth, iops FROM array_samples WHERE run_id = ? ORDER BY t_ms, array_id')
    .all(runId) as ArraySample[]
  if (bucketMs === null || bucketMs <= 0 || rows.length === 0) return rows
  return mergeArrayBuckets(rows, bucketMs)
}

/** Samples (time order) merged per array into buckets `bucketMs` wide; the mean of each value, the bucket's last window end. */
export function mergeArrayBuckets(rows: readonly ArraySample[], bucketMs: number): ArraySample[] {
  interface Sum {
    bucket: number
    at: number
    n: number
    t_ms: number
    u: number
    q: number
    io: number
  }
  const open = new Map<string, Sum>()
  const made: { array: string; sum: Sum }[] = []
  for (const r of rows) {
    const bucket = Math.floor((r.t_ms - 1) / bucketMs)
    let sum = open.get(r.array)
    if (!sum || sum.bucket !== bucket) {
      sum = { bucket, at: made.length, n: 0, t_ms: r.t_ms, u: 0, q: 0, io: 0 }
      open.set(r.array, sum)
      made.push({ array: r.array, sum })
    }
    sum.n++
    sum.t_ms = Math.max(sum.t_ms, r.t_ms)
    sum.u += r.utilization_pct
    sum.q += r.queue_depth
    sum.io += r.iops
  }
  return made
    .map(({ array, sum }) => ({ t_ms: sum.t_ms, array, utilization_pct: sum.u / sum.n, queue_depth: sum.q / sum.n, iops: sum.io / sum.n }))
    .sort((a, b) => a.t_ms - b.t_ms)
}
