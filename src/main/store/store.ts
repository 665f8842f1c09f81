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
import { DatabaseError, databaseError } from './errors'
import { APPLICATION_ID, classify, inspectFile } from './identity'
import { migrate } from './migrate'
import { leftoverEnds, PendingEnds, removeLeftover, type PendingEnd } from './pending'
import { SweepStore } from './sweeps'

export interface ExperimentRecord {
  id: string
  name: string
  text: string
  created_at: string
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
  /** Sweeps and the runs grouped under them (sweeps.ts). */
  readonly sweeps: SweepStore

  private constructor(
    db: Db,
    readonly path: string,
    private readonly options: StoreOptions
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
      if (classify(db, path) !== 'lab') {
        db.transaction(() => {
          if (classify(db, path) !== 'lab') db.pragma(`application_id = ${APPLICATION_ID}`)
        }).immediate()
      }
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      db.pragma('foreign_keys = ON')
      migrate(db)
      const store = new Store(db, path, options)
      // Both write; a database locked by another process still opens for reading, and they wait for the next open.
      const held = store.recordLeftoverEnds()
      try {
        store.markInterrupted('Hyperlab stopped while this run was in progress', held)
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
    const insert = this.db.prepare(
      `INSERT INTO samples (run_id, seq, t_ms, vm, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops, cpu_pct)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    const setProgress = this.db.prepare(`UPDATE runs SET progress = ? WHERE id = ? AND status = 'running'`)
    this.db.transaction(() => {
      samples.forEach((s, i) =>
        insert.run(runId, firstSeq + i, s.t_ms, s.vm, s.throughput_ops_s, s.latency_mean_ms, s.latency_p99_ms, s.disk_iops, s.cpu_pct)
      )
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
    return this.guard(
      () =>
        this.db
          .prepare(
            `SELECT t_ms, vm, throughput_ops_s, latency_mean_ms, latency_p99_ms, disk_iops, cpu_pct
             FROM samples WHERE run_id = ? ORDER BY seq`
          )
          .all(runId) as Sample[]
    )
  }

  /**
   * The samples to draw a run's charts: every window while there are at most
   * `maxPerVm` per VM, else consecutive windows merged into buckets of equal
   * width (throughput, IOPS and CPU averaged; mean latency weighted by
   * operations; p99 the worst of the bucket). Keeps a reply small whatever
   * the run's length.
   */
  getSamplesForDisplay(runId: string, maxPerVm: number): { samples: Sample[]; bucketMs: number | null } {
    return this.guard(() => this.samplesForDisplay(runId, maxPerVm))
  }

  private samplesForDisplay(runId: string, maxPerVm: number): { samples: Sample[]; bucketMs: number | null } {
    const shape = this.db
      .prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT vm) AS vms, MIN(t_ms) AS first FROM samples WHERE run_id = ?')
      .get(runId) as { n: number; vms: number; first: number | null }
    const windows = shape.vms > 0 ? Math.ceil(shape.n / shape.vms) : 0
    if (windows <= maxPerVm || shape.first === null) return { samples: this.getSamples(runId), bucketMs: null }
    const bucketMs = Math.ceil(windows / maxPerVm) * shape.first
    const samples = this.db
      .prepare(
        `SELECT MAX(t_ms) AS t_ms, vm,
                AVG(throughput_ops_s) AS throughput_ops_s,
                SUM(latency_mean_ms * throughput_ops_s)
                  / NULLIF(SUM(CASE WHEN latency_mean_ms IS NOT NULL THEN throughput_ops_s END), 0) AS latency_mean_ms,
                MAX(latency_p99_ms) AS latency_p99_ms,
                AVG(disk_iops) AS disk_iops,
                AVG(cpu_pct) AS cpu_pct
         FROM samples WHERE run_id = ?
         GROUP BY vm, CAST((t_ms - 1) / ? AS INTEGER)
         ORDER BY MIN(seq)`
      )
      .all(runId, bucketMs) as Sample[]
    return { samples, bucketMs }
  }

  countSamples(runId: string): number {
    return this.guard(() => (this.db.prepare('SELECT COUNT(*) AS n FROM samples WHERE run_id = ?').get(runId) as { n: number }).n)
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
