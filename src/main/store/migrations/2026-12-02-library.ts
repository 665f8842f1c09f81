/**
 * The lab notebook: experiments get notes, tags, the hypervisors of their
 * hosts (for filtering) and versions (the file as it was for each of its
 * runs); experiments and runs can be deleted softly (undoable until the
 * store that deleted them closes); each run remembers its version, the
 * Hyperlab version that ran it, and its notable events on the simulated
 * timeline. Existing runs get versions from the text they ran.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import { hypervisorsOfText } from '../hypervisors'
import type { Migration } from './types'

function backfill(db: Database): void {
  const experiments = db.prepare('SELECT id, text, created_at FROM experiments ORDER BY created_at, id').all() as {
    id: string
    text: string
    created_at: string
  }[]
  const texts = db.prepare(
    `SELECT experiment_text AS text, MIN(created_at) AS first FROM runs WHERE experiment_id = ?
     GROUP BY experiment_text ORDER BY first, rowid`
  )
  const addVersion = db.prepare(
    'INSERT INTO experiment_versions (id, experiment_id, number, text, text_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)'
  )
  const tagRuns = db.prepare('UPDATE runs SET version_id = ? WHERE experiment_id = ? AND experiment_text = ?')
  const addHypervisor = db.prepare('INSERT OR IGNORE INTO experiment_hypervisors (experiment_id, hypervisor) VALUES (?, ?)')
  for (const e of experiments) {
    const ran = texts.all(e.id) as { text: string; first: string }[]
    const versions = ran.some((r) => r.text === e.text) ? ran : [...ran, { text: e.text, first: e.created_at }]
    versions.forEach((v, i) => {
      const id = randomUUID()
      addVersion.run(id, e.id, i + 1, v.text, createHash('sha256').update(v.text).digest('hex'), v.first)
      tagRuns.run(id, e.id, v.text)
    })
    for (const h of hypervisorsOfText(e.text)) addHypervisor.run(e.id, h)
  }
}

export const library: Migration = {
  id: '2026-12-02-library',
  up: `
    ALTER TABLE experiments ADD COLUMN notes TEXT NOT NULL DEFAULT '';
    -- Soft delete: when, and which open store (host:pid:store) did it; purged when that store closes.
    ALTER TABLE experiments ADD COLUMN deleted_at TEXT;
    ALTER TABLE experiments ADD COLUMN deleted_by TEXT;

    -- Tags and hypervisors keep rowids: they list in the order they were given.
    CREATE TABLE experiment_tags (
      experiment_id  TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      tag            TEXT NOT NULL,
      PRIMARY KEY (experiment_id, tag)
    );
    CREATE INDEX experiment_tags_by_tag ON experiment_tags(tag);

    CREATE TABLE experiment_hypervisors (
      experiment_id  TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      hypervisor     TEXT NOT NULL,
      PRIMARY KEY (experiment_id, hypervisor)
    );

    CREATE TABLE experiment_versions (
      id             TEXT PRIMARY KEY,
      experiment_id  TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      number         INTEGER NOT NULL,
      text           TEXT NOT NULL,
      text_hash      TEXT NOT NULL,
      created_at     TEXT NOT NULL,
      UNIQUE (experiment_id, number)
    );
    CREATE INDEX experiment_versions_by_hash ON experiment_versions(experiment_id, text_hash);

    ALTER TABLE runs ADD COLUMN version_id TEXT REFERENCES experiment_versions(id);
    ALTER TABLE runs ADD COLUMN app_version TEXT;
    ALTER TABLE runs ADD COLUMN deleted_at TEXT;
    ALTER TABLE runs ADD COLUMN deleted_by TEXT;
    CREATE INDEX runs_by_experiment ON runs(experiment_id, created_at);

    -- What happened during a run, on its simulated timeline (VM started, a queue saturated, paused …).
    CREATE TABLE run_events (
      run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      seq      INTEGER NOT NULL,
      t_ms     REAL NOT NULL,
      kind     TEXT NOT NULL,
      subject  TEXT NOT NULL,
      value    REAL,
      PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;
  `,
  data: backfill
}
