/**
 * Hyperlab's store: the only code that touches SQLite. One file in the user
 * data folder, WAL mode, every write in a transaction, so a crash at any
 * moment leaves a valid database holding everything committed before it.
 * It opens only a database the lab owns (identity.ts), and every SQLite
 * failure leaves it as a DatabaseError naming the file (errors.ts).
 */
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import Database, { type Database as Db } from 'better-sqlite3'
import type { RunRecord, RunStatus } from '../../shared/contract'
import type { RunResult, Sample } from '../../shared/result'
import { errorMessage } from '../../shared/errors'
import { printable } from '../../shared/printable'
import { DatabaseError, databaseError } from './errors'
import { APPLICATION_ID, classify, inspectFile } from './identity'
import { writeBackup } from './backup'
import { appliedMigrations, migrate, pendingMigrations } from './migrate'
import { appendBlocks, countSamples, displayBucketMs, readColumns } from './samples'
import { mergeBuckets, toSamples, type SampleColumns } from './sampleBlocks'
import { leftoverEnds, PendingEnds, removeLeftover, type PendingEnd } from './pending'

export interface ExperimentRecord {
  id: string
  name: string
  text: string
  created_at: string
  updated_at: string
}

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

const RUN_COLUMNS = `id, experiment_id, experiment_name, status, seed, duration_s, created_at, ended_at,
  wall_ms, progress, checksum, error`

/** Stores open in this process, by owner token: their runs are alive. */
const openOwners = new Set<string>()

export class Store {
  private readonly db: Db
  /** Written on the runs this store starts: host, process and this store. */
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`
  /** Ends of runs that could not be written yet because the database was locked. */
  private readonly pending: PendingEnds

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
      const store = new Store(db, path, options, migration)
      // Both write; a database locked by another process still opens for reading, and they wait for the next open.
      const held = store.recordLeftoverEnds()
      try {
        store.markInterrupted('Hyperlab stopped while this run was in progress', held)
      } catch (err) {
        if (!(err instanceof DatabaseError && err.kind === 'locked')) throw err
      }
      return store
    } catch (err) {
      db.close()
      throw databaseError(err, path)
    }
  }

  close(): void {
    if (this.db.open) {
      this.writePending()
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

  // Experiments

  /** Saves a new experiment, or updates `id`; identical text already saved is reused. */
  saveExperiment(text: string, name: string, id?: string): ExperimentRecord {
    const hash = sha256(text)
    const at = now()
    return this.write(() => this.db.transaction((): ExperimentRecord => {
      if (id) {
        const existing = this.getExperiment(id)
        if (!existing) throw new StoreNotFound(`experiment "${id}" does not exist`)
        this.db
          .prepare('UPDATE experiments SET name = ?, text = ?, text_hash = ?, updated_at = ? WHERE id = ?')
          .run(name, text, hash, at, id)
        return { ...existing, name, text, updated_at: at }
      }
      const same = this.db
        .prepare('SELECT id, name, text, created_at, updated_at FROM experiments WHERE text_hash = ? AND text = ? LIMIT 1')
        .get(hash, text) as ExperimentRecord | undefined
      if (same) return same
      const record = { id: randomUUID(), name, text, created_at: at, updated_at: at }
      this.db
        .prepare('INSERT INTO experiments (id, name, text, text_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(record.id, name, text, hash, at, at)
      return record
    }).immediate())
  }

  getExperiment(id: string): ExperimentRecord | undefined {
    return this.guard(
      () =>
        this.db
          .prepare('SELECT id, name, text, created_at, updated_at FROM experiments WHERE id = ?')
          .get(id) as ExperimentRecord | undefined
    )
  }

  listExperiments(): ExperimentRecord[] {
    return this.guard(
      () =>
        this.db
          .prepare('SELECT id, name, text, created_at, updated_at FROM experiments ORDER BY updated_at DESC')
          .all() as ExperimentRecord[]
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
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO drafts (id, text, experiment_id, origin, layout_json, updated_at) VALUES ('current', ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET text = excluded.text, experiment_id = excluded.experiment_id,
             origin = excluded.origin, layout_json = excluded.layout_json, updated_at = excluded.updated_at`
        )
        .run(draft.text, draft.experiment_id, draft.origin, JSON.stringify(draft.layout), at)
    })()
    return at
  }

  // Runs

  createRun(run: NewRun): RunRecord {
    const record: RunRecord = {
      id: randomUUID(),
      experiment_id: run.experimentId,
      experiment_name: run.experimentName,
      status: run.status ?? 'running',
      seed: run.seed,
      duration_s: run.durationS,
      created_at: now(),
      ended_at: null,
      wall_ms: null,
      progress: 0,
      checksum: null,
      error: null
    }
    this.write(() =>
      this.db
        .prepare(
          `INSERT INTO runs (id, experiment_id, experiment_name, experiment_text, seed, duration_s, status, created_at, progress, owner)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`
        )
        .run(
          record.id,
          run.experimentId,
          run.experimentName,
          run.experimentText,
          run.seed,
          run.durationS,
          record.status,
          record.created_at,
          this.owner
        )
    )
    return record
  }

  /** Appends one batch of samples and the run's progress in one transaction. */
  appendSamples(runId: string, firstSeq: number, samples: readonly Sample[], progress: number): void {
    this.write(() => this.insertSamples(runId, firstSeq, samples, progress))
  }

  private insertSamples(runId: string, firstSeq: number, samples: readonly Sample[], progress: number): void {
    const setProgress = this.db.prepare(`UPDATE runs SET progress = ? WHERE id = ? AND status = 'running'`)
    this.db.transaction(() => {
      appendBlocks(this.db, runId, firstSeq, samples)
      setProgress.run(progress, runId)
    }).immediate()
  }

  /** A queued run starts: `running` from now; the record, or undefined when it is no longer queued. */
  markRunning(runId: string): RunRecord | undefined {
    const changed = this.write(() => this.db.prepare(`UPDATE runs SET status = 'running' WHERE id = ? AND status = 'queued'`).run(runId).changes)
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
      return this.write(() => this.writeEnd(record))
    } catch (err) {
      if (!(err instanceof DatabaseError) || !HELD_BACK.has(err.kind)) throw err
      const run = this.getRun(runId)
      if (run?.status !== 'running' && run?.status !== 'queued') return false
      this.pending.add(record)
      return true
    }
  }

  getRun(runId: string): RunRecord | undefined {
    const run = this.guard(() => this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`).get(runId) as RunRecord | undefined)
    return run && this.withPending(run)
  }

  getRunDetail(runId: string): RunDetail | undefined {
    const row = this.guard(
      () =>
        this.db
          .prepare(`SELECT ${RUN_COLUMNS}, experiment_text, result_json FROM runs WHERE id = ?`)
          .get(runId) as (RunRecord & { experiment_text: string; result_json: string | null }) | undefined
    )
    if (!row) return undefined
    const { experiment_text, result_json, ...stored } = row
    const run = this.withPending(stored)
    const json = run === stored ? result_json : (this.pending.get(runId)?.result_json ?? null)
    return { run, experiment_text, result: json ? (JSON.parse(json) as RunResult) : null }
  }

  /**
   * Run ids that start with `prefix` (the CLI shows the first 8 characters):
   * at most two, enough to tell one run from an ambiguous prefix.
   */
  findRunIds(prefix: string): string[] {
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`)
    const rows = this.guard(
      () =>
        this.db
          .prepare(`SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY created_at DESC LIMIT 2`)
          .all(`${escaped}%`) as { id: string }[]
    )
    return rows.map((r) => r.id)
  }

  listRuns(limit = 500): RunRecord[] {
    const runs = this.guard(
      () =>
        this.db
          .prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?`)
          .all(limit) as RunRecord[]
    )
    return runs.map((r) => this.withPending(r))
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
   * `maxPerVm` per VM, else consecutive windows merged into buckets of equal
   * width (sampleBlocks.ts: mergeBuckets). Keeps a reply small whatever the
   * run's length.
   */
  getSamplesForDisplay(runId: string, maxPerVm: number): { samples: Sample[]; bucketMs: number | null } {
    const columns = this.getSampleColumns(runId)
    const bucketMs = displayBucketMs(columns, maxPerVm)
    return bucketMs === null ? { samples: toSamples(columns), bucketMs } : { samples: toSamples(mergeBuckets(columns, bucketMs)), bucketMs }
  }

  countSamples(runId: string): number {
    return this.guard(() => countSamples(this.db, runId))
  }
}

export class StoreNotFound extends Error {
  override name = 'StoreNotFound'
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

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
