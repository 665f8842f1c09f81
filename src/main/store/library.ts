/**
 * The experiment library in SQL: experiments with their notes, tags,
 * hypervisors and versions, the summary the library lists, and the purge of
 * what was deleted softly. Functions over an open connection; the Store
 * wraps each write in its transaction.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import type { Experiment, ExperimentSummary, ExperimentVersion, RunStatus } from '../../shared/contract'

export interface NewExperiment {
  text: string
  name: string
  hypervisors: readonly string[]
  notes?: string
  tags?: readonly string[]
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

export function insertExperiment(db: Database, e: NewExperiment, at: string): string {
  const id = randomUUID()
  db.prepare('INSERT INTO experiments (id, name, text, text_hash, created_at, updated_at, notes) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    e.name,
    e.text,
    sha256(e.text),
    at,
    at,
    e.notes ?? ''
  )
  setTags(db, id, e.tags ?? [])
  setHypervisors(db, id, e.hypervisors)
  ensureVersion(db, id, e.text, at)
  return id
}

/** The live experiment whose current text is exactly `text`, if any. */
export function experimentWithText(db: Database, text: string): string | undefined {
  return db
    .prepare('SELECT id FROM experiments WHERE text_hash = ? AND text = ? AND deleted_at IS NULL ORDER BY created_at LIMIT 1')
    .pluck()
    .get(sha256(text), text) as string | undefined
}

/** The version of experiment `id` holding `text`: the existing one, or a new one numbered after the last. */
export function ensureVersion(db: Database, id: string, text: string, at: string): { id: string; number: number } {
  const hash = sha256(text)
  const found = db
    .prepare('SELECT id, number FROM experiment_versions WHERE experiment_id = ? AND text_hash = ? AND text = ? LIMIT 1')
    .get(id, hash, text) as { id: string; number: number } | undefined
  if (found) return found
  const number = ((db.prepare('SELECT MAX(number) FROM experiment_versions WHERE experiment_id = ?').pluck().get(id) as number | null) ?? 0) + 1
  const version = { id: randomUUID(), number }
  db.prepare('INSERT INTO experiment_versions (id, experiment_id, number, text, text_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    version.id,
    id,
    number,
    text,
    hash,
    at
  )
  return version
}

/** Sets experiment `id`'s text (a new version when it is new to it) and the hypervisors read from it. */
export function setText(db: Database, id: string, text: string, hypervisors: readonly string[], at: string): void {
  db.prepare('UPDATE experiments SET text = ?, text_hash = ?, updated_at = ? WHERE id = ?').run(text, sha256(text), at, id)
  setHypervisors(db, id, hypervisors)
  ensureVersion(db, id, text, at)
}

export function setTags(db: Database, id: string, tags: readonly string[]): void {
  db.prepare('DELETE FROM experiment_tags WHERE experiment_id = ?').run(id)
  const add = db.prepare('INSERT OR IGNORE INTO experiment_tags (experiment_id, tag) VALUES (?, ?)')
  for (const tag of tags) add.run(id, tag)
}

function setHypervisors(db: Database, id: string, hypervisors: readonly string[]): void {
  db.prepare('DELETE FROM experiment_hypervisors WHERE experiment_id = ?').run(id)
  const add = db.prepare('INSERT OR IGNORE INTO experiment_hypervisors (experiment_id, hypervisor) VALUES (?, ?)')
  for (const h of hypervisors) add.run(id, h)
}

interface SummaryRow {
  id: string
  name: string
  notes: string
  created_at: string
  updated_at: string
  deleted_at: string | null
  versions: number
  runs: number
  last_id: string | null
  last_status: RunStatus | null
  last_created: string | null
}

/**
 * Every experiment as the library lists it (live ones, or only the deleted
 * ones awaiting purge), or just `id`. `status` gives a run's status as the
 * store shows it (with an end still held back).
 */
export function summaries(
  db: Database,
  which: { deleted?: boolean; id?: string },
  status: (runId: string, stored: RunStatus) => RunStatus
): ExperimentSummary[] {
  const where = which.id !== undefined ? 'e.id = @id' : which.deleted ? 'e.deleted_at IS NOT NULL' : 'e.deleted_at IS NULL'
  const params = which.id !== undefined ? { id: which.id } : {}
  const rows = db
    .prepare(
      `SELECT e.id, e.name, e.notes, e.created_at, e.updated_at, e.deleted_at,
              (SELECT COUNT(*) FROM experiment_versions v WHERE v.experiment_id = e.id) AS versions,
              (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id AND r.deleted_at IS NULL) AS runs,
              l.id AS last_id, l.status AS last_status, l.created_at AS last_created
       FROM experiments e
       LEFT JOIN runs l ON l.id = (SELECT r.id FROM runs r WHERE r.experiment_id = e.id AND r.deleted_at IS NULL
                                   ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1)
       WHERE ${where}`
    )
    .all(params) as SummaryRow[]
  if (rows.length === 0) return []
  // One experiment (getExperiment, asked before every change) reads its own tags, not the whole library's.
  const only = which.id !== undefined ? 'WHERE experiment_id = @id' : ''
  const tags = grouped(db.prepare(`SELECT experiment_id AS id, tag AS value FROM experiment_tags ${only} ORDER BY rowid`).all(params) as Pair[])
  const hypervisors = grouped(
    db.prepare(`SELECT experiment_id AS id, hypervisor AS value FROM experiment_hypervisors ${only} ORDER BY rowid`).all(params) as Pair[]
  )
  return rows.map((r) => {
    const lastRun = r.last_id ? { id: r.last_id, status: status(r.last_id, r.last_status!), created_at: r.last_created! } : null
    return {
      id: r.id,
      name: r.name,
      notes: r.notes,
      tags: tags.get(r.id) ?? [],
      hypervisors: hypervisors.get(r.id) ?? [],
      created_at: r.created_at,
      updated_at: r.updated_at,
      activity_at: lastRun && lastRun.created_at > r.updated_at ? lastRun.created_at : r.updated_at,
      versions: r.versions,
      runs: r.runs,
      last_run: lastRun,
      deleted_at: r.deleted_at
    }
  })
}

type Pair = { id: string; value: string }

function grouped(pairs: Pair[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const p of pairs) {
    const list = out.get(p.id)
    if (list) list.push(p.value)
    else out.set(p.id, [p.value])
  }
  return out
}

/** One experiment with its current text and the number of the version that text is. */
export function experimentDetail(summary: ExperimentSummary, db: Database): Experiment {
  const row = db
    .prepare(
      `SELECT e.text, v.number FROM experiments e
       LEFT JOIN experiment_versions v ON v.experiment_id = e.id AND v.text = e.text
       WHERE e.id = ?`
    )
    .get(summary.id) as { text: string; number: number | null }
  return { ...summary, text: row.text, version: row.number ?? 0 }
}

export function versions(db: Database, id: string): ExperimentVersion[] {
  const rows = db
    .prepare(
      `SELECT v.number, v.created_at, v.text = e.text AS current,
              (SELECT COUNT(*) FROM runs r WHERE r.version_id = v.id AND r.deleted_at IS NULL) AS runs
       FROM experiment_versions v JOIN experiments e ON e.id = v.experiment_id
       WHERE v.experiment_id = ? ORDER BY v.number`
    )
    .all(id) as { number: number; created_at: string; current: number; runs: number }[]
  return rows.map((r) => ({ number: r.number, created_at: r.created_at, runs: r.runs, current: r.current === 1 }))
}

export function versionText(db: Database, id: string, number: number): { text: string; created_at: string } | undefined {
  return db.prepare('SELECT text, created_at FROM experiment_versions WHERE experiment_id = ? AND number = ?').get(id, number) as
    | { text: string; created_at: string }
    | undefined
}

/**
 * Deletes for good what was deleted softly by a store that is gone
 * (`gone(owner)`): runs (their samples and events go with them), then
 * experiments (their versions, tags and hypervisors go with them). Returns
 * how many of each.
 */
export function purgeDeleted(db: Database, gone: (owner: string | null) => boolean): { experiments: number; runs: number } {
  const experiments = (db.prepare('SELECT id, deleted_by FROM experiments WHERE deleted_at IS NOT NULL').all() as { id: string; deleted_by: string | null }[])
    .filter((e) => gone(e.deleted_by))
    .map((e) => e.id)
  const runs = (db.prepare('SELECT id, deleted_by FROM runs WHERE deleted_at IS NOT NULL').all() as { id: string; deleted_by: string | null }[])
    .filter((r) => gone(r.deleted_by))
    .map((r) => r.id)
  const dropRun = db.prepare('DELETE FROM runs WHERE id = ?')
  const dropRunsOf = db.prepare('DELETE FROM runs WHERE experiment_id = ?')
  // A sweep belongs to its experiment: it goes with it, after its runs (its points go with it).
  const dropSweepsOf = db.prepare('DELETE FROM sweeps WHERE experiment_id = ?')
  const dropExperiment = db.prepare('DELETE FROM experiments WHERE id = ?')
  let runCount = 0
  for (const id of runs) runCount += dropRun.run(id).changes
  for (const id of experiments) {
    runCount += dropRunsOf.run(id).changes
    dropSweepsOf.run(id)
    dropExperiment.run(id)
  }
  return { experiments: experiments.length, runs: runCount }
}
