/**
 * Hyperlab's store: the only code that touches SQLite. One file in the user
 * data folder, WAL mode, every write in a transaction, so a crash at any
 * moment leaves a valid database holding everything committed before it.
 * It opens only a database the lab owns (identity.ts), and every SQLite
 * failure leaves it as a DatabaseError naming the file (errors.ts).
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import Database, { type Database as Db } from 'better-sqlite3'
import type { Experiment, ExperimentList, ExperimentQuery, ExperimentVersion, RunRecord, RunStatus } from '../../shared/contract'
import { errorMessage, LabError } from '../../shared/errors'
import type { NotableEvent } from '../../shared/replay'
import type { ArraySample, RunResult, Sample } from '../../shared/result'
import { printable } from '../../shared/printable'
import { DatabaseError, databaseError, experimentNotFound, runNotFound } from './errors'
import { APPLICATION_ID, classify, inspectFile } from './identity'
import { writeBackup } from './backup'
import { appliedMigrations, migrate, pendingMigrations } from './migrate'
import { appendEvents, readEvents, type StoredRunEvent } from './events'
import { appendArraySamples, readArraySamples } from './arraySamples'
import { hypervisorsOfText } from './hypervisors'
import { likePrefix } from './like'
import {
  ensureVersion,
  experimentDetail,
  experimentWithText,
  insertExperiment,
  purgeDeleted,
  setTags,
  setText,
  summaries,
  versions,
  versionText
} from './library'
import { queryLibrary } from './libraryQuery'
import { appendBlocks, buildOverview, countSamples, displayColumns, hasOverview, readColumns, type DisplayColumns } from './samples'
import { packBlocks, toSamples, type SampleBlock, type SampleColumns } from './sampleBlocks'
import { leftoverEnds, PendingEnds, removeLeftover, type PendingEnd } from './pending'
import { SweepStore } from './sweeps'
import { reuseStatements } from './statements'

export interface DraftRecord {
  text: string
  experiment_id: string | null
  origin: string
  layout: Record<string, { x: number; y: number }>
  updated_at: string
}

export interface RunDetail {
  run: RunRecord
  experiment_text: string
  result: RunResult | null
}

export interface NewRun {
  experimentId: string
  experimentName: string
  experimentText: string
  seed: number
  durationS: number
  /** `queued` when it waits for an engine slot (default `running`). */
  status?: 'queued' | 'running'
  /** The Hyperlab version running it. */
  appVersion?: string
}

export interface RunEnd {
  status: Exclude<RunStatus, 'running' | 'queued'>
  wallMs: number | null
  result?: RunResult | null
  error?: string | null
}

export interface StoreOptions {
  /** Path of a better-sqlite3 native binding built for this runtime (Electron needs its own ABI). */
  nativeBinding?: string
  /** How long a write waits for another process's write transaction before it fails as locked (ms). */
  busyTimeoutMs?: number
  /** How the user chose the path (`--db`, `HYPERLAB_DATA_DIR`, …), named in every DatabaseError. */
  source?: string
  /** What the user can change to use another database, e.g. `--db FILE or HYPERLAB_DATA_DIR`. */
  choices?: string
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000

export interface MigrationReport {
  /** The schema the file had (its newest migration), null for a new database. */
  from: string | null
  /** Migrations applied by this open, oldest first. */
  applied: string[]
  /** The copy of the file written before they ran; null when nothing was migrated or the database was new. */
  backup: string | null
}

// Write transactions begin IMMEDIATE: a deferred one that reads first and then
// finds another process writing fails at once, without waiting busy_timeout.

/** Why a write may fail for a while and succeed later: the reasons a run's end is held back, not lost. */
const HELD_BACK = new Set(['locked', 'disk-full'])

/** A run record: the run's row and the number of the version of its experiment it ran. */
const RUN_FIELDS = `r.id, r.experiment_id, r.experiment_name, r.status, r.seed, r.duration_s, r.created_at, r.ended_at,
  r.wall_ms, r.progress, r.checksum, r.error, v.number AS version, r.app_version`
const RUN_FROM = 'FROM runs r LEFT JOIN experiment_versions v ON v.id = r.version_id'
const RUN_SELECT = `SELECT ${RUN_FIELDS} ${RUN_FROM}`

/** A run the lists show: neither it nor its experiment deleted. */
const VISIBLE = `r.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM experiments e WHERE e.id = r.experiment_id AND e.deleted_at IS NOT NULL)`

/** Stores open in this process, by owner token: their runs are alive. */
const openOwners = new Set<string>()

export class Store {
  private readonly db: Db
  /** Written on the runs this store starts: host, process and this store. */
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`
  /** Ends of runs that could not be written yet because the database was locked. */
  private readonly pending: PendingEnds
  /** Sweeps and the runs grouped under them (sweeps.ts). */
  readonly sweeps: SweepStore

  private constructor(
    db: Db,
    readonly path: string,
    private readonly options: StoreOptions,
    /** What opening did to the schema: the migrations applied and where the copy taken before them is. */
    readonly migration: MigrationReport
  ) {
    this.db = db
    this.pending = new PendingEnds(path, this.owner)
    openOwners.add(this.owner)
    this.sweeps = new SweepStore(this, db, this.owner, ownerAlive)
  }

  /**
   * Opens the database at `path` if the lab owns it (creating it when the
   * file is missing or empty), migrates it, records the run ends other stores
   * could not write, and marks `interrupted` the runs a crash left `running`
   * — never a run that another live process (the app, browser mode, a CLI
   * run) is still doing. Anything else throws a DatabaseError and leaves the
   * file as it was.
   */
  static open(path: string, options: StoreOptions = {}): Store {
    try {
      return Store.openOwned(path, options)
    } catch (err) {
      throw err instanceof DatabaseError ? err.from(options.source, options.choices) : err
    }
  }

  private static openOwned(path: string, options: StoreOptions): Store {
    const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}
    let first = inspectFile(path, options.nativeBinding)
    if (first === 'unsure') first = inspectConnected(path, binding)
    let db: Db
    try {
      if (first === 'missing') makeFolders(dirname(path))
      db = new Database(path, { ...binding, fileMustExist: first !== 'missing' })
    } catch (err) {
      throw databaseError(err, path)
    }
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`)
      // Looked at again through the connection that will write: the file may have changed since.
      const verdict = classify(db, path)
      db.pragma('foreign_keys = ON')
      // Migrated before anything else is written (the lab's stamp, WAL mode), so a failed
      // migration leaves the file exactly as it was, with the backup beside it.
      const migration = migrateWithBackup(db, path)
      if (verdict !== 'lab') {
        db.transaction(() => {
          if (classify(db, path) !== 'lab') db.pragma(`application_id = ${APPLICATION_ID}`)
        }).immediate()
      }
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      reuseStatements(db)
      const store = new Store(db, path, options, migration)
      // Both write; a database locked by another process still opens for reading, and they wait for the next open.
      const held = store.recordLeftoverEnds()
      try {
        store.markInterrupted('Hyperlab stopped while this run was in progress', held)
        store.purge('orphaned')
        store.sweeps.markInterrupted('Hyperlab stopped while this sweep was in progress')
      } catch (err) {
        if (!(err instanceof DatabaseError && err.kind === 'locked')) throw err
      }
      return store
    } catch (err) {
      db.close()
      throw databaseError(err, path)
    }
  }

  /** Writes held-back ends, purges what this store deleted (undo ends here), and closes. */
  close(): void {
    if (this.db.open) {
      this.writePending()
      try {
        this.purge('mine')
      } catch {
        // Locked or full: what this store deleted stays hidden, and the next open purges it (its owner is gone then).
      }
      this.db.close()
    }
    openOwners.delete(this.owner)
  }

  /**
   * Every run still `running` whose owner is gone becomes `interrupted`; its
   * committed samples stay. Runs in `keep` (whose real end waits beside the
   * database) are left for that end.
   */
  markInterrupted(reason: string, keep: ReadonlySet<string> = new Set()): number {
    return this.guard(() => {
      const running = this.db.prepare(`SELECT id, owner FROM runs WHERE status IN ('running', 'queued')`).all() as {
        id: string
        owner: string | null
      }[]
      const orphans = running.filter((r) => !keep.has(r.id) && !ownerAlive(r.owner)).map((r) => r.id)
      if (orphans.length === 0) return 0
      const mark = this.db.prepare(
        `UPDATE runs SET status = 'interrupted', ended_at = ?, error = ? WHERE id = ? AND status IN ('running', 'queued')`
      )
      const at = now()
      this.db.transaction(() => orphans.forEach((id) => mark.run(at, reason, id))).immediate()
      return orphans.length
    })
  }

  /**
   * Writes the ends that stores now closed (in this process or a dead one)
   * left beside the database. One the database still refuses (locked again)
   * stays for the next open; opening does not fail for it. Returns the runs
   * whose end is still waiting, live owners' included.
   */
  private recordLeftoverEnds(): Set<string> {
    const waiting = new Set<string>()
    for (const leftover of leftoverEnds(this.path)) {
      // A live owner writes its own ends.
      if (!ownerAlive(leftover.owner) && this.tryWriteEnds(leftover.ends)) removeLeftover(leftover.file)
      else leftover.ends.forEach((end) => waiting.add(end.run_id))
    }
    return waiting
  }

  /** Writes the ends held back while the database was locked; they stay held if it still is. */
  private writePending(): void {
    if (this.pending.size === 0) return
    const ends = this.pending.all()
    // Still locked: they stay in memory and beside the database for the next write or open.
    if (this.tryWriteEnds(ends)) this.pending.written(ends.map((e) => e.run_id))
  }

  /** Writes `ends` in one transaction; false when the database refused it. */
  private tryWriteEnds(ends: readonly PendingEnd[]): boolean {
    try {
      this.db.transaction(() => ends.forEach((end) => this.writeEnd(end))).immediate()
      return true
    } catch {
      return false
    }
  }

  private writeEnd(end: PendingEnd): boolean {
    return (
      this.db
        .prepare(
          `UPDATE runs SET status = ?, ended_at = ?, wall_ms = ?, checksum = ?, result_json = ?, error = ?,
             progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END
           WHERE id = ? AND status IN ('running', 'queued')`
        )
        .run(end.status, end.ended_at, end.wall_ms, end.checksum, end.result_json, end.error, end.status, end.run_id)
        .changes === 1
    )
  }

  /** A run record as the store will write it: with its held-back end, if it has one. */
  private withPending<T extends RunRecord>(run: T): T {
    const end = run.status === 'running' || run.status === 'queued' ? this.pending.get(run.id) : undefined
    if (!end) return run
    return {
      ...run,
      status: end.status,
      ended_at: end.ended_at,
      wall_ms: end.wall_ms,
      checksum: end.checksum,
      error: end.error,
      progress: end.status === 'done' ? 1 : run.progress
    }
  }

  /** Runs `work`, turning SQLite's failures into a DatabaseError that names this file. */
  private guard<T>(work: () => T): T {
    try {
      return work()
    } catch (err) {
      const translated = databaseError(err, this.path)
      throw translated instanceof DatabaseError ? translated.from(this.options.source, this.options.choices) : translated
    }
  }

  /** `guard` for a write: the ends held back go first, while the database is writable again. */
  private write<T>(work: () => T): T {
    this.writePending()
    return this.guard(work)
  }

  /** Runs `work` in one IMMEDIATE write transaction. */
  private transaction<T>(work: () => T): T {
    return this.write(() => this.db.transaction(work).immediate())
  }

  // Experiments (the library: library.ts)

  /**
   * Saves `text` as a new experiment (or reuses the live one whose current
   * text it already is), or, with `id`, as that experiment's text: a new
   * version when it is new to it. `hypervisors` are read from the text when
   * not given.
   */
  saveExperiment(text: string, name: string, options: { id?: string; hypervisors?: readonly string[] } = {}): Experiment {
    const at = now()
    const hypervisors = options.hypervisors ?? hypervisorsOfText(text)
    const id = this.transaction(() => {
      const id = options.id
      if (id === undefined) return experimentWithText(this.db, text) ?? insertExperiment(this.db, { text, name, hypervisors }, at)
      const current = this.requireLive(id)
      if (current.text !== text || current.name !== name) {
        this.db.prepare('UPDATE experiments SET name = ? WHERE id = ?').run(name, id)
        setText(this.db, id, text, hypervisors, at)
      }
      return id
    })
    return this.getExperiment(id)!
  }

  /** The id of the live experiment whose current text is exactly `text`, if any. */
  findExperimentWithText(text: string): string | undefined {
    return this.guard(() => experimentWithText(this.db, text))
  }

  /** An experiment with its current text; a deleted one only when asked. */
  getExperiment(id: string, options: { deleted?: boolean } = {}): Experiment | undefined {
    return this.guard(() => {
      const found = summaries(this.db, { id }, (runId, stored) => this.statusOf(runId, stored))[0]
      if (!found || (found.deleted_at !== null && !options.deleted)) return undefined
      return experimentDetail(found, this.db)
    })
  }

  /** The library, searched, filtered and sorted (libraryQuery.ts). */
  listExperiments(query: ExperimentQuery = {}): ExperimentList {
    return this.guard(() =>
      queryLibrary(summaries(this.db, { deleted: query.deleted ?? false }, (runId, stored) => this.statusOf(runId, stored)), query)
    )
  }

  /**
   * Changes a live experiment: its name and text together (a rename
   * rewrites the file's name: a new version), its notes, its tags.
   */
  updateExperiment(
    id: string,
    changes: { name?: string; text?: string; hypervisors?: readonly string[]; notes?: string; tags?: readonly string[] }
  ): Experiment {
    const at = now()
    this.transaction(() => {
      const current = this.requireLive(id)
      if (changes.name !== undefined) this.db.prepare('UPDATE experiments SET name = ? WHERE id = ?').run(changes.name, id)
      if (changes.text !== undefined && changes.text !== current.text) {
        setText(this.db, id, changes.text, changes.hypervisors ?? hypervisorsOfText(changes.text), at)
      }
      if (changes.notes !== undefined) this.db.prepare('UPDATE experiments SET notes = ? WHERE id = ?').run(changes.notes, id)
      if (changes.tags !== undefined) setTags(this.db, id, changes.tags)
      this.db.prepare('UPDATE experiments SET updated_at = ? WHERE id = ?').run(at, id)
    })
    return this.getExperiment(id)!
  }

  /** A new experiment with `text` (the source's, renamed) and the source's notes and tags; no runs, one version. */
  duplicateExperiment(id: string, copy: { name: string; text: string }): Experiment {
    const at = now()
    const newId = this.transaction(() => {
      const source = this.requireLive(id)
      return insertExperiment(
        this.db,
        { text: copy.text, name: copy.name, hypervisors: source.hypervisors, notes: source.notes, tags: source.tags },
        at
      )
    })
    return this.getExperiment(newId)!
  }

  /**
   * Deletes a live experiment softly: it and its runs are hidden until
   * restoreExperiment, and purged when this store closes. Refused while one
   * of its runs is running or queued.
   */
  deleteExperiment(id: string): { id: string; deleted_at: string; runs: number } {
    const at = now()
    return this.transaction(() => {
      const current = this.requireLive(id)
      const active = this.listRuns(10_000, id).filter((r) => r.status === 'running' || r.status === 'queued')
      if (active.length > 0) {
        throw new LabError('conflict', `experiment "${current.name}" has ${active.length === 1 ? 'a run' : `${active.length} runs`} in progress; cancel ${active.length === 1 ? 'it' : 'them'} first`)
      }
      this.db.prepare('UPDATE experiments SET deleted_at = ?, deleted_by = ? WHERE id = ?').run(at, this.owner, id)
      return { id, deleted_at: at, runs: current.runs }
    })
  }

  restoreExperiment(id: string): Experiment {
    this.transaction(() => {
      const changed = this.db.prepare('UPDATE experiments SET deleted_at = NULL, deleted_by = NULL WHERE id = ? AND deleted_at IS NOT NULL').run(id).changes
      if (changed === 0) {
        throw this.getExperiment(id) ? new LabError('conflict', `experiment "${id}" is not deleted`) : experimentNotFound(id)
      }
    })
    return this.getExperiment(id)!
  }

  listVersions(id: string): ExperimentVersion[] {
    return this.guard(() => versions(this.db, id))
  }

  getVersion(id: string, number: number): { number: number; created_at: string; text: string } | undefined {
    return this.guard(() => {
      const found = versionText(this.db, id, number)
      return found && { number, ...found }
    })
  }

  /** Experiment ids of live experiments that start with `prefix`: at most two (see findRunIds). */
  findExperimentIds(prefix: string): string[] {
    return this.guard(
      () =>
        this.db
          .prepare(`SELECT id FROM experiments WHERE id LIKE ? ESCAPE '\\' AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 2`)
          .pluck()
          .all(`${likePrefix(prefix)}%`) as string[]
    )
  }

  // The draft being built

  /** The autosaved draft, or undefined when none was ever saved. */
  getDraft(): DraftRecord | undefined {
    const row = this.db
      .prepare(`SELECT text, experiment_id, origin, layout_json, updated_at FROM drafts WHERE id = 'current'`)
      .get() as { text: string; experiment_id: string | null; origin: string; layout_json: string; updated_at: string } | undefined
    if (!row) return undefined
    let layout: DraftRecord['layout'] = {}
    try {
      layout = JSON.parse(row.layout_json) as DraftRecord['layout']
    } catch {
      // A layout that cannot be read only costs the user their node positions, never the draft.
    }
    return { text: row.text, experiment_id: row.experiment_id, origin: row.origin, layout, updated_at: row.updated_at }
  }

  /** Replaces the autosaved draft. */
  saveDraft(draft: Omit<DraftRecord, 'updated_at'>): string {
    const at = now()
    this.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO drafts (id, text, experiment_id, origin, layout_json, updated_at) VALUES ('current', ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET text = excluded.text, experiment_id = excluded.experiment_id,
             origin = excluded.origin, layout_json = excluded.layout_json, updated_at = excluded.updated_at`
        )
        .run(draft.text, draft.experiment_id, draft.origin, JSON.stringify(draft.layout), at)
    })
    return at
  }

  /** The live experiment `id`, or a not-found LabError. */
  private requireLive(id: string): Experiment {
    const found = this.getExperiment(id)
    if (!found) throw experimentNotFound(id)
    return found
  }

  /** A run's status as the store shows it: with its end still held back, if any. */
  private statusOf(runId: string, stored: RunStatus): RunStatus {
    return stored === 'running' || stored === 'queued' ? (this.pending.get(runId)?.status ?? stored) : stored
  }

  // Runs

  /** Records a run of experiment `experimentId` running `experimentText` (that text's version of it). */
  createRun(run: NewRun): RunRecord {
    const at = now()
    const id = randomUUID()
    const status = run.status ?? 'running'
    let version = 0
    this.transaction(() => {
      version = ensureVersion(this.db, run.experimentId, run.experimentText, at).number
      this.db
        .prepare(
          `INSERT INTO runs (id, experiment_id, experiment_name, experiment_text, seed, duration_s, status, created_at, progress, owner,
                             version_id, app_version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?,
                   (SELECT id FROM experiment_versions WHERE experiment_id = ? AND number = ?), ?)`
        )
        .run(id, run.experimentId, run.experimentName, run.experimentText, run.seed, run.durationS, status, at, this.owner,
          run.experimentId, version, run.appVersion ?? null)
    })
    return {
      id,
      experiment_id: run.experimentId,
      experiment_name: run.experimentName,
      status,
      seed: run.seed,
      duration_s: run.durationS,
      created_at: at,
      ended_at: null,
      wall_ms: null,
      progress: 0,
      checksum: null,
      error: null,
      version,
      app_version: run.appVersion ?? null
    }
  }

  /** Appends one batch of samples, the notable events and array samples that came with it and the run's progress, in one transaction. */
  appendSamples(
    runId: string,
    firstSeq: number,
    samples: readonly Sample[],
    progress: number,
    events: readonly NotableEvent[] = [],
    arrays: readonly ArraySample[] = []
  ): void {
    this.appendSampleBlocks(runId, firstSeq, packBlocks(samples), progress, events, arrays)
  }

  /** `appendSamples` for samples already packed (as an engine thread posts them). */
  appendSampleBlocks(
    runId: string,
    firstSeq: number,
    blocks: readonly SampleBlock[],
    progress: number,
    events: readonly NotableEvent[] = [],
    arrays: readonly ArraySample[] = []
  ): void {
    const setProgress = this.db.prepare(`UPDATE runs SET progress = ? WHERE id = ? AND status = 'running'`)
    this.transaction(() => {
      appendBlocks(this.db, runId, firstSeq, blocks)
      appendEvents(this.db, runId, events)
      appendArraySamples(this.db, runId, arrays)
      setProgress.run(progress, runId)
    })
  }

  /** Records one event of a run (paused, resumed) in its own transaction. */
  addRunEvent(runId: string, event: StoredRunEvent): void {
    this.transaction(() => appendEvents(this.db, runId, [event]))
  }

  /** A run's SAN array samples in time order: every window, or merged into buckets `bucketMs` wide (those of `getSamplesForDisplay`). */
  getArraySamples(runId: string, bucketMs: number | null = null): ArraySample[] {
    return this.guard(() => readArraySamples(this.db, runId, bucketMs))
  }

  /** A run's stored events in time order (then in the order they were stored). */
  getRunEvents(runId: string): StoredRunEvent[] {
    return this.guard(() => readEvents(this.db, runId))
  }

  /** A queued run starts: `running` from now; the record, or undefined when it is no longer queued. */
  markRunning(runId: string): RunRecord | undefined {
    const changed = this.transaction(() => this.db.prepare(`UPDATE runs SET status = 'running' WHERE id = ? AND status = 'queued'`).run(runId).changes)
    return changed === 1 ? this.getRun(runId) : undefined
  }

  /**
   * Ends a run that is still `running` or `queued`; returns false when it had already
   * ended. When the database is locked (or the disk full) the end is held
   * back (pending.ts) and shown by every read of this store until it is written.
   */
  finishRun(runId: string, end: RunEnd): boolean {
    const result = end.result ?? null
    const record: PendingEnd = {
      run_id: runId,
      status: end.status,
      ended_at: now(),
      wall_ms: end.wallMs,
      checksum: result?.checksum ?? null,
      result_json: result ? JSON.stringify(result) : null,
      error: end.error ?? null
    }
    try {
      return this.transaction(() => this.writeEnd(record))
    } catch (err) {
      if (!(err instanceof DatabaseError) || !HELD_BACK.has(err.kind)) throw err
      const run = this.getRun(runId)
      if (run?.status !== 'running' && run?.status !== 'queued') return false
      this.pending.add(record)
      return true
    }
  }

  /** A run as stored, deleted or not (the runner's view of its own runs). */
  getRun(runId: string): RunRecord | undefined {
    const run = this.guard(() => this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(runId) as RunRecord | undefined)
    return run && this.withPending(run)
  }

  /** A run that is not deleted, with its experiment text and result. */
  getRunDetail(runId: string): RunDetail | undefined {
    const row = this.guard(
      () =>
        this.db
          .prepare(`SELECT ${RUN_FIELDS}, r.experiment_text, r.result_json ${RUN_FROM} WHERE r.id = ? AND ${VISIBLE}`)
          .get(runId) as (RunRecord & { experiment_text: string; result_json: string | null }) | undefined
    )
    if (!row) return undefined
    const { experiment_text, result_json, ...stored } = row
    const run = this.withPending(stored)
    const json = run === stored ? result_json : (this.pending.get(runId)?.result_json ?? null)
    return { run, experiment_text, result: json ? (JSON.parse(json) as RunResult) : null }
  }

  /**
   * Ids of runs not deleted that start with `prefix` (the CLI shows the
   * first 8 characters): at most two, enough to tell one run from an
   * ambiguous prefix.
   */
  findRunIds(prefix: string): string[] {
    return this.guard(
      () =>
        this.db
          .prepare(`SELECT r.id FROM runs r WHERE r.id LIKE ? ESCAPE '\\' AND ${VISIBLE} ORDER BY r.created_at DESC LIMIT 2`)
          .pluck()
          .all(`${likePrefix(prefix)}%`) as string[]
    )
  }

  /** Runs not deleted, newest first; only experiment `experimentId`'s when given. */
  listRuns(limit = 500, experimentId?: string): RunRecord[] {
    const runs = this.guard(
      () =>
        this.db
          .prepare(
            `${RUN_SELECT} WHERE ${VISIBLE} ${experimentId !== undefined ? 'AND r.experiment_id = @experiment' : ''}
             ORDER BY r.created_at DESC, r.rowid DESC LIMIT @limit`
          )
          .all({ limit, ...(experimentId !== undefined ? { experiment: experimentId } : {}) }) as RunRecord[]
    )
    return runs.map((r) => this.withPending(r))
  }

  /**
   * Deletes a run that has ended, softly: hidden with its samples and
   * events until restoreRun, purged when this store closes.
   */
  deleteRun(runId: string): { run_id: string; deleted_at: string; samples: number } {
    const at = now()
    return this.transaction(() => {
      const run = this.getRunDetail(runId)?.run
      if (!run) throw runNotFound(runId)
      if (run.status === 'running' || run.status === 'queued') {
        throw new LabError('conflict', `run "${runId}" is ${run.status}; cancel it before deleting it`)
      }
      this.db.prepare('UPDATE runs SET deleted_at = ?, deleted_by = ? WHERE id = ?').run(at, this.owner, runId)
      return { run_id: runId, deleted_at: at, samples: countSamples(this.db, runId) }
    })
  }

  restoreRun(runId: string): RunRecord {
    this.transaction(() => {
      const row = this.db
        .prepare('SELECT r.deleted_at, e.deleted_at AS experiment_deleted, e.name FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?')
        .get(runId) as { deleted_at: string | null; experiment_deleted: string | null; name: string } | undefined
      if (!row) throw runNotFound(runId)
      if (row.experiment_deleted !== null) throw new LabError('conflict', `run "${runId}" belongs to the deleted experiment "${row.name}"; restore the experiment`)
      if (row.deleted_at === null) throw new LabError('conflict', `run "${runId}" is not deleted`)
      this.db.prepare('UPDATE runs SET deleted_at = NULL, deleted_by = NULL WHERE id = ?').run(runId)
    })
    return this.getRun(runId)!
  }

  /**
   * Deletes for good what was deleted softly by this store (`mine`) or by
   * stores that are gone (`orphaned`); see library.ts purgeDeleted.
   */
  purge(which: 'mine' | 'orphaned'): { experiments: number; runs: number } {
    const gone = which === 'mine' ? (owner: string | null) => owner === this.owner : (owner: string | null) => !ownerAlive(owner)
    return this.transaction(() => purgeDeleted(this.db, gone))
  }

  getSamples(runId: string): Sample[] {
    return this.guard(() => toSamples(readColumns(this.db, runId)))
  }

  /** A run's samples as columns; with a range, those whose window ends within [fromMs, toMs]. */
  getSampleColumns(runId: string, fromMs = -Infinity, toMs = Infinity): SampleColumns {
    return this.guard(() => readColumns(this.db, runId, fromMs, toMs))
  }

  /**
   * The samples to draw a run's charts: every window while there are at most
   * `maxPerVm` per VM, else buckets of a whole number of windows
   * (samples.ts: displayColumns). Keeps a reply small whatever the run's length.
   */
  getSamplesForDisplay(runId: string, maxPerVm: number): { samples: Sample[]; bucketMs: number | null } {
    const shown = this.getDisplayColumns(runId, maxPerVm)
    return { samples: toSamples(shown.columns), bucketMs: shown.bucketMs }
  }

  /** A run's samples within [fromMs, toMs] at most `maxPerVm` per VM, as columns (samples.ts: displayColumns). */
  getDisplayColumns(runId: string, maxPerVm: number, fromMs = -Infinity, toMs = Infinity): DisplayColumns {
    return this.guard(() => displayColumns(this.db, runId, maxPerVm, fromMs, toMs))
  }

  /**
   * Writes the overview of a run that has ended (buckets.ts), unless it has
   * one: drawing it then reads a sixteenth of its samples. True when written.
   */
  buildSampleOverview(runId: string): boolean {
    // Asked each time an ended run is drawn: once it has one, a read answers without taking the write lock.
    if (this.guard(() => hasOverview(this.db, runId))) return false
    return this.transaction(() => buildOverview(this.db, runId))
  }

  countSamples(runId: string): number {
    return this.guard(() => countSamples(this.db, runId))
  }
}

/**
 * Whether the store that started a run may still be running it: a store open
 * in this process, or another process on this host that is alive. A run
 * owned by another host is left alone (a shared database on a network drive).
 */
function ownerAlive(owner: string | null): boolean {
  if (!owner) return false
  const [host, pid] = owner.split(':')
  if (host !== hostname()) return true
  if (Number(pid) === process.pid) return openOwners.has(owner)
  try {
    process.kill(Number(pid), 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Creates `dir` and its missing parents one level at a time. (Node's
 * recursive mkdir never returns on a file system that answers ENOENT for a
 * folder it will not create, such as /proc.)
 */
function makeFolders(dir: string): void {
  if (existsSync(dir)) return
  const parent = dirname(dir)
  if (parent !== dir) makeFolders(parent)
  mkdirSync(dir)
}

/**
 * Applies the pending migrations; a database that already holds a schema is
 * first copied beside itself (backup.ts). A migration that fails rolls back
 * and leaves the file as it was; the error names the copy.
 */
function migrateWithBackup(db: Db, path: string): MigrationReport {
  const from = appliedMigrations(db).at(-1) ?? null
  const pending = pendingMigrations(db)
  if (pending.length === 0) return { from, applied: [], backup: null }
  const backup = from === null ? null : writeBackup(db, path, from)
  try {
    return { from, applied: migrate(db), backup }
  } catch (err) {
    const translated = databaseError(err, path)
    if (translated instanceof DatabaseError) throw translated
    const copy = backup ? `; a copy taken before the attempt is at ${printable(backup, { max: 300 })}` : ''
    throw new DatabaseError(
      'migration-failed',
      path,
      `could not be updated to this version’s schema (${printable(errorMessage(err), { max: 300 })})${copy}`
    )
  }
}

/** A look through a read-only connection, for when the copied first pages could not decide. */
function inspectConnected(path: string, binding: { nativeBinding?: string }): 'lab' | 'legacy' | 'empty' {
  let db: Db | undefined
  try {
    db = new Database(path, { ...binding, readonly: true, fileMustExist: true })
    db.pragma(`busy_timeout = ${DEFAULT_BUSY_TIMEOUT_MS}`)
    return classify(db, path)
  } catch (err) {
    throw databaseError(err, path)
  } finally {
    db?.close()
  }
}

function now(): string {
  return new Date().toISOString()
}

