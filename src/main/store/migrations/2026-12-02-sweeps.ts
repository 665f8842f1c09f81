/**
 * Sweeps: a sweep (its file, seed, parameters and how it runs), its points
 * (the values and the document of each), and on each run the point and
 * replication it is. One run per point and replication: the index makes a
 * second one impossible, whichever process or machine delivers it.
 */
import type { Migration } from './types'

export const sweeps: Migration = {
  id: '2026-12-02-sweeps',
  up: `
    CREATE TABLE sweeps (
      id               TEXT PRIMARY KEY,
      experiment_id    TEXT NOT NULL REFERENCES experiments(id),
      name             TEXT NOT NULL,
      seed             INTEGER NOT NULL,
      parameters_json  TEXT NOT NULL,
      seeds_json       TEXT NOT NULL,
      points           INTEGER NOT NULL,
      replications     INTEGER NOT NULL,
      mode             TEXT NOT NULL CHECK (mode IN ('local', 'distributed')),
      status           TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'interrupted')),
      created_at       TEXT NOT NULL,
      ended_at         TEXT,
      error            TEXT,
      -- Which open store runs it (host:pid:store), as for runs.
      owner            TEXT
    );
    CREATE INDEX sweeps_by_created ON sweeps(created_at);

    CREATE TABLE sweep_points (
      sweep_id         TEXT NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
      point            INTEGER NOT NULL,
      label            TEXT NOT NULL,
      values_json      TEXT NOT NULL,
      experiment_text  TEXT NOT NULL,
      PRIMARY KEY (sweep_id, point)
    ) WITHOUT ROWID;

    ALTER TABLE runs ADD COLUMN sweep_id TEXT REFERENCES sweeps(id);
    ALTER TABLE runs ADD COLUMN sweep_point INTEGER;
    ALTER TABLE runs ADD COLUMN sweep_replication INTEGER;
    CREATE UNIQUE INDEX runs_by_sweep_point ON runs(sweep_id, sweep_point, sweep_replication) WHERE sweep_id IS NOT NULL;
  `
}
