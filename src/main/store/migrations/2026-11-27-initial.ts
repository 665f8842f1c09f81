/** The first schema: experiments, their runs, and each run's samples. */
import type { Migration } from './types'

export const initial: Migration = {
  id: '2026-11-27-initial',
  up: `
    CREATE TABLE experiments (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      text        TEXT NOT NULL,
      text_hash   TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    );
    CREATE INDEX experiments_by_hash ON experiments(text_hash);

    CREATE TABLE runs (
      id               TEXT PRIMARY KEY,
      experiment_id    TEXT NOT NULL REFERENCES experiments(id),
      experiment_name  TEXT NOT NULL,
      experiment_text  TEXT NOT NULL,
      seed             INTEGER NOT NULL,
      duration_s       REAL NOT NULL,
      status           TEXT NOT NULL
                       CHECK (status IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
      created_at       TEXT NOT NULL,
      ended_at         TEXT,
      wall_ms          REAL,
      progress         REAL NOT NULL DEFAULT 0,
      checksum         TEXT,
      result_json      TEXT,
      error            TEXT,
      -- Which open store runs it (host:pid:store), so another process opening the
      -- database can tell a live run from one a crash left behind.
      owner            TEXT
    );
    CREATE INDEX runs_by_created ON runs(created_at);

    CREATE TABLE samples (
      run_id            TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      seq               INTEGER NOT NULL,
      t_ms              REAL NOT NULL,
      vm                TEXT NOT NULL,
      throughput_ops_s  REAL NOT NULL,
      latency_mean_ms   REAL,
      latency_p99_ms    REAL,
      disk_iops         REAL NOT NULL,
      cpu_pct           REAL NOT NULL,
      PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;
  `
}
