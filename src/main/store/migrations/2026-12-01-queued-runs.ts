/**
 * Runs may wait for an engine slot: status `queued`. SQLite cannot change a
 * CHECK constraint in place, so the runs table is rebuilt (the procedure of
 * sqlite.org/lang_altertable.html: new table, copy, drop, rename); the
 * migration runner turns foreign keys off around it, so that dropping the old
 * table leaves every run's samples where they are.
 */
import type { Migration } from './types'

export const queuedRuns: Migration = {
  id: '2026-12-01-queued-runs',
  rebuildsTables: true,
  up: `
    CREATE TABLE runs_new (
      id               TEXT PRIMARY KEY,
      experiment_id    TEXT NOT NULL REFERENCES experiments(id),
      experiment_name  TEXT NOT NULL,
      experiment_text  TEXT NOT NULL,
      seed             INTEGER NOT NULL,
      duration_s       REAL NOT NULL,
      status           TEXT NOT NULL
                       CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
      created_at       TEXT NOT NULL,
      ended_at         TEXT,
      wall_ms          REAL,
      progress         REAL NOT NULL DEFAULT 0,
      checksum         TEXT,
      result_json      TEXT,
      error            TEXT,
      owner            TEXT
    );
    INSERT INTO runs_new (id, experiment_id, experiment_name, experiment_text, seed, duration_s, status, created_at,
                          ended_at, wall_ms, progress, checksum, result_json, error, owner)
      SELECT id, experiment_id, experiment_name, experiment_text, seed, duration_s, status, created_at,
             ended_at, wall_ms, progress, checksum, result_json, error, owner
      FROM runs;
    DROP TABLE runs;
    ALTER TABLE runs_new RENAME TO runs;
    CREATE INDEX runs_by_created ON runs(created_at);
  `
}
