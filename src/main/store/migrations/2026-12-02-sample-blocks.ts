/**
 * Samples move from one row each to blocks of consecutive samples packed
 * column by column (store/sampleBlocks.ts): a run of 10⁶ samples is written
 * and opened in a fraction of the time. Every stored sample is copied into
 * blocks, split wherever the sequence has a gap, then the old table goes.
 */
import type { Database } from 'better-sqlite3'
import type { Sample } from '../../../shared/result'
import { BLOCK_SAMPLES, encodeBlock } from '../sampleBlocks'
import type { Migration } from './types'

type Row = [number, number, string, number, number | null, number | null, number, number]

function packSamples(db: Database): void {
  const runs = db.prepare('SELECT DISTINCT run_id FROM samples').pluck().all() as string[]
  const page = db
    .prepare(
      `SELECT seq, t_ms, vm, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops, cpu_pct
       FROM samples WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?`
    )
    .raw()
  const insert = db.prepare(
    'INSERT INTO sample_blocks (run_id, first_seq, count, t_first_ms, t_last_ms, vms, data) VALUES (?, ?, ?, ?, ?, ?, ?)'
  )
  for (const runId of runs) {
    let from = Number.MIN_SAFE_INTEGER
    for (;;) {
      const rows = page.all(runId, from, BLOCK_SAMPLES) as Row[]
      if (rows.length === 0) break
      // One block per stretch of consecutive sequence numbers.
      let start = 0
      for (let i = 1; i <= rows.length; i++) {
        if (i < rows.length && rows[i]![0] === rows[i - 1]![0] + 1) continue
        const part = rows.slice(start, i)
        const samples: Sample[] = part.map((r) => ({
          t_ms: r[1],
          vm: r[2],
          throughput_ops_s: r[3],
          latency_mean_ms: r[4],
          latency_p99_ms: r[5],
          disk_iops: r[6],
          cpu_pct: r[7]
        }))
        const b = encodeBlock(samples)
        insert.run(runId, part[0]![0], b.count, b.t_first_ms, b.t_last_ms, b.vms, b.data)
        start = i
      }
      from = rows[rows.length - 1]![0] + 1
    }
  }
}

export const sampleBlocks: Migration = {
  id: '2026-12-02-sample-blocks',
  up: `
    CREATE TABLE sample_blocks (
      run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      first_seq   INTEGER NOT NULL,
      count       INTEGER NOT NULL CHECK (count > 0),
      t_first_ms  REAL NOT NULL,
      t_last_ms   REAL NOT NULL,
      vms         TEXT NOT NULL,
      data        BLOB NOT NULL
    );
    CREATE UNIQUE INDEX sample_blocks_by_run ON sample_blocks(run_id, first_seq);

    -- An ended run's windows merged into buckets of "factor" windows (store/buckets.ts), to draw a long run fast.
    CREATE TABLE sample_overviews (
      run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      factor      INTEGER NOT NULL,
      first       INTEGER NOT NULL,
      count       INTEGER NOT NULL CHECK (count > 0),
      t_first_ms  REAL NOT NULL,
      t_last_ms   REAL NOT NULL,
      vms         TEXT NOT NULL,
      data        BLOB NOT NULL
    );
    CREATE UNIQUE INDEX sample_overviews_by_run ON sample_overviews(run_id, factor, first);
  `,
  data(db) {
    packSamples(db)
    db.exec('DROP TABLE samples')
  }
}
