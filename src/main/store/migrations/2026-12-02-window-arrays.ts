/**
 * Each SAN array's samples per window (utilization, mean queue depth, IOPS):
 * one row per array and window. Runs stored before have none, and their
 * dashboards say so; nothing older is changed.
 */
import type { Migration } from './types'

export const windowArrays: Migration = {
  id: '2026-12-02-window-arrays',
  up: `
    CREATE TABLE array_samples (
      run_id           TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      array_id         TEXT NOT NULL,
      t_ms             REAL NOT NULL,
      utilization_pct  REAL NOT NULL,
      queue_depth      REAL NOT NULL,
      iops             REAL NOT NULL,
      PRIMARY KEY (run_id, array_id, t_ms)
    ) WITHOUT ROWID;
  `
}
