/**
 * Sweeps in the store: a sweep's record and points, and its runs — ordinary
 * runs that carry the point and replication they are. Each (point,
 * replication) has one run at most (a unique index): a run that did not
 * finish is replaced when the point runs again, a finished one is never
 * replaced, and a result delivered twice (a worker that was thought lost)
 * is stored once.
 */
import { randomUUID } from 'node:crypto'
import type { Database as Db } from 'better-sqlite3'
import type { RunRecord } from '../../shared/contract'
import type { ArraySample, RunResult, Sample } from '../../shared/result'
import type { SweepMetric, SweepMode, SweepRecord, SweepRun, SweepStatus } from '../../shared/sweeps'
import { likePrefix } from './like'
import type { NewRun, Store } from './store'

export interface NewSweep {
  experimentId: string
  name: string
  seed: number
  parameters: { path: string; values: unknown[] }[]
  seeds: number[]
  replications: number
  mode: SweepMode
  points: { point: number; label: string; values: unknown[]; experimentText: string }[]
}

export interface StoredPoint {
  point: number
  label: string
  values: unknown[]
  experiment_text: string
}

export interface PointRef {
  sweepId: string
  point: number
  replication: number
}

/** A run that ended elsewhere, delivered whole (distributed sweeps). */
export interface FinishedRun {
  run: NewRun
  status: 'done' | 'failed'
  result: RunResult | null
  samples: readonly Sample[]
  /** The SAN arrays' samples (none from a worker of a Hyperlab before they were sampled). */
  arrays?: readonly ArraySample[]
  wallMs: number | null
  error: string | null
}

/** Where each metric sits in a stored result (SQLite JSON paths below one VM). */
const METRIC_PATHS: Record<SweepMetric, string> = {
  throughput_ops_s: '$.throughput_ops_s',
  latency_mean_ms: '$.latency_ms.mean',
  latency_p95_ms: '$.latency_ms.p95',
  latency_p99_ms: '$.latency_ms.p99',
  disk_iops: '$.disk.iops',
  cpu_guest_pct: '$.cpu.guest_pct',
  cpu_hypervisor_pct: '$.cpu.hypervisor_pct',
  cpu_ready_pct: '$.cpu.ready_pct',
  overhead_pct: '$.overhead_pct'
}

interface SweepRow extends Omit<SweepRecord, 'runs_total' | 'runs_done' | 'runs_failed'> {
  runs_done: number
  runs_failed: number
}

export class SweepStore {
  constructor(
    private readonly store: Store,
    private readonly db: Db,
    private readonly owner: string,
    private readonly ownerAlive: (owner: string | null) => boolean
  ) {}

  /** Records a new sweep, running and owned by this store, with its points. */
  create(sweep: NewSweep): SweepRecord {
    const id = randomUUID()
    const at = new Date().toISOString()
    const insertPoint = this.db.prepare(
      'INSERT INTO sweep_points (sweep_id, point, label, values_json, experiment_text) VALUES (?, ?, ?, ?, ?)'
    )
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO sweeps (id, experiment_id, name, seed, parameters_json, seeds_json, points, replications, mode, status, created_at, owner)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`
        )
        .run(
          id,
          sweep.experimentId,
          sweep.name,
          sweep.seed,
          JSON.stringify(sweep.parameters),
          JSON.stringify(sweep.seeds),
          sweep.points.length,
          sweep.replications,
          sweep.mode,
          at,
          this.owner
        )
      for (const p of sweep.points) insertPoint.run(id, p.point, p.label, JSON.stringify(p.values), p.experimentText)
    })()
    return this.get(id)!
  }

  get(id: string): SweepRecord | undefined {
    const row = this.db.prepare(`${SELECT_SWEEP} WHERE s.id = ?`).get(id) as SweepRow | undefined
    return row ? toRecord(row) : undefined
  }

  list(limit = 200): SweepRecord[] {
    return (this.db.prepare(`${SELECT_SWEEP} ORDER BY s.created_at DESC, s.rowid DESC LIMIT ?`).all(limit) as SweepRow[]).map(toRecord)
  }

  /** Sweep ids that start with `prefix`: at most two, enough to tell one from an ambiguous prefix. */
  findIds(prefix: string): string[] {
    return this.db
      .prepare(`SELECT id FROM sweeps WHERE id LIKE ? ESCAPE '\\' ORDER BY created_at DESC LIMIT 2`)
      .pluck()
      .all(`${likePrefix(prefix)}%`) as string[]
  }

  parameters(id: string): { parameters: { path: string; values: unknown[] }[]; seeds: number[] } {
    const row = this.db.prepare('SELECT parameters_json, seeds_json FROM sweeps WHERE id = ?').get(id) as
      | { parameters_json: string; seeds_json: string }
      | undefined
    if (!row) return { parameters: [], seeds: [] }
    return { parameters: JSON.parse(row.parameters_json) as NewSweep['parameters'], seeds: JSON.parse(row.seeds_json) as number[] }
  }

  /** The sweep's points in order; without their texts (`''`) unless asked. */
  points(id: string, withText = true): StoredPoint[] {
    const text = withText ? 'experiment_text' : "'' AS experiment_text"
    return (
      this.db.prepare(`SELECT point, label, values_json, ${text} FROM sweep_points WHERE sweep_id = ? ORDER BY point`).all(id) as {
        point: number
        label: string
        values_json: string
        experiment_text: string
      }[]
    ).map((r) => ({ point: r.point, label: r.label, values: JSON.parse(r.values_json) as unknown[], experiment_text: r.experiment_text }))
  }

  /** Every stored run of the sweep, by point then replication. */
  runs(id: string): (SweepRun & { point: number })[] {
    return this.db
      .prepare(
        `SELECT id AS run_id, sweep_point AS point, sweep_replication AS replication, seed, status, checksum, wall_ms, error
         FROM runs WHERE sweep_id = ? ORDER BY sweep_point, sweep_replication`
      )
      .all(id) as (SweepRun & { point: number })[]
  }

  /** The (point, replication) pairs that have no finished run yet, in order. */
  unfinished(id: string): { point: number; replication: number }[] {
    const sweep = this.get(id)
    if (!sweep) return []
    const done = new Set(
      (this.db.prepare(`SELECT sweep_point AS p, sweep_replication AS r FROM runs WHERE sweep_id = ? AND status = 'done'`).all(id) as {
        p: number
        r: number
      }[]).map((x) => `${x.p}:${x.r}`)
    )
    const out: { point: number; replication: number }[] = []
    for (let r = 1; r <= sweep.replications; r++) {
      for (let p = 1; p <= sweep.points; p++) if (!done.has(`${p}:${r}`)) out.push({ point: p, replication: r })
    }
    return out
  }

  /**
   * Creates the run of a point and replication, running: an earlier run of
   * it that did not finish is removed with its samples. Null when a finished
   * run is already there.
   */
  startPointRun(ref: PointRef, run: NewRun): RunRecord | null {
    return this.db.transaction(() => {
      if (!this.clearUnfinished(ref)) return null
      const record = this.store.createRun(run)
      this.tag(record.id, ref)
      return record
    })()
  }

  /** Stores a run that ended elsewhere, in one transaction; null when a finished run of it is already there. */
  storeFinishedRun(ref: PointRef, finished: FinishedRun): RunRecord | null {
    return this.db.transaction(() => {
      if (!this.clearUnfinished(ref)) return null
      const record = this.store.createRun(finished.run)
      this.tag(record.id, ref)
      // Samples in bounded batches, as the runner stores them.
      for (let i = 0; i < finished.samples.length; i += SAMPLE_BATCH) {
        this.store.appendSamples(record.id, i, finished.samples.slice(i, i + SAMPLE_BATCH), 1)
      }
      const arrays = finished.arrays ?? []
      for (let i = 0; i < arrays.length; i += SAMPLE_BATCH) this.store.appendSamples(record.id, finished.samples.length, [], 1, [], arrays.slice(i, i + SAMPLE_BATCH))
      this.store.finishRun(record.id, { status: finished.status, wallMs: finished.wallMs, result: finished.result, error: finished.error })
      return this.store.getRun(record.id) ?? null
    })()
  }

  /** False when a finished run holds the place; else removes an unfinished one (and its samples). */
  private clearUnfinished(ref: PointRef): boolean {
    const existing = this.db
      .prepare('SELECT id, status FROM runs WHERE sweep_id = ? AND sweep_point = ? AND sweep_replication = ?')
      .get(ref.sweepId, ref.point, ref.replication) as { id: string; status: string } | undefined
    if (!existing) return true
    if (existing.status === 'done') return false
    // Its samples, overview and events go with it (ON DELETE CASCADE).
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(existing.id)
    return true
  }

  private tag(runId: string, ref: PointRef): void {
    this.db.prepare('UPDATE runs SET sweep_id = ?, sweep_point = ?, sweep_replication = ? WHERE id = ?').run(ref.sweepId, ref.point, ref.replication, runId)
  }

  /** Ends a running sweep; false when it had already ended. */
  finish(id: string, status: Exclude<SweepStatus, 'running'>, error: string | null = null): boolean {
    return (
      this.db
        .prepare(`UPDATE sweeps SET status = ?, ended_at = ?, error = ? WHERE id = ? AND status = 'running'`)
        .run(status, new Date().toISOString(), error, id).changes === 1
    )
  }

  /** Marks a sweep that nobody runs (interrupted, cancelled) as cancelled; false when it is running or done. */
  markCancelled(id: string): boolean {
    return (
      this.db
        .prepare(`UPDATE sweeps SET status = 'cancelled', ended_at = ?, error = NULL WHERE id = ? AND status IN ('interrupted', 'cancelled')`)
        .run(new Date().toISOString(), id).changes === 1
    )
  }

  /** Takes a sweep that is not running back to running, owned by this store; false when it is running already. */
  resume(id: string, mode: SweepMode): boolean {
    return (
      this.db
        .prepare(`UPDATE sweeps SET status = 'running', ended_at = NULL, error = NULL, owner = ?, mode = ? WHERE id = ? AND status != 'running'`)
        .run(this.owner, mode, id).changes === 1
    )
  }

  /** Whether this store runs the sweep (the others are run by another process, or by nobody). */
  ownedHere(id: string): boolean {
    const row = this.db.prepare('SELECT owner FROM sweeps WHERE id = ?').get(id) as { owner: string | null } | undefined
    return row?.owner === this.owner
  }

  /** Every running sweep whose owner is gone becomes `interrupted`; its finished runs stay. */
  markInterrupted(reason: string): number {
    const running = this.db.prepare(`SELECT id, owner FROM sweeps WHERE status = 'running'`).all() as { id: string; owner: string | null }[]
    const orphans = running.filter((r) => !this.ownerAlive(r.owner))
    if (orphans.length === 0) return 0
    this.db.transaction(() => orphans.forEach((r) => this.finish(r.id, 'interrupted', reason)))()
    return orphans.length
  }

  /** The VMs of the sweep's experiment, from its first finished run (empty before one has finished). */
  vms(id: string): string[] {
    const row = this.db
      .prepare(`SELECT json_extract(result_json, '$.vms') AS vms FROM runs WHERE sweep_id = ? AND status = 'done' AND result_json IS NOT NULL LIMIT 1`)
      .get(id) as { vms: string | null } | undefined
    return row?.vms ? Object.keys(JSON.parse(row.vms) as Record<string, unknown>) : []
  }

  /** Each finished run's metrics for one VM (SQLite reads them out of the stored results). */
  metricValues(id: string, vm: string): { point: number; replication: number; values: Partial<Record<SweepMetric, number | null>> }[] {
    const keys = Object.keys(METRIC_PATHS) as SweepMetric[]
    // VM ids hold no quotes (ids.ts), so one can stand inside a quoted JSON path key.
    const paths = keys.map((k) => `$.vms."${vm}"${METRIC_PATHS[k].slice(1)}`)
    const rows = this.db
      .prepare(
        `SELECT sweep_point AS point, sweep_replication AS replication, json_extract(result_json, ${paths.map(() => '?').join(', ')}) AS v
         FROM runs WHERE sweep_id = ? AND status = 'done' AND result_json IS NOT NULL ORDER BY sweep_point, sweep_replication`
      )
      .all(...paths, id) as { point: number; replication: number; v: string | null }[]
    return rows.map((r) => {
      const list = r.v ? (JSON.parse(r.v) as (number | null)[]) : []
      return { point: r.point, replication: r.replication, values: Object.fromEntries(keys.map((k, i) => [k, list[i] ?? null])) }
    })
  }
}

const SAMPLE_BATCH = 10_000

const SELECT_SWEEP = `SELECT s.id, s.experiment_id, s.name, s.status, s.mode, s.seed, s.points, s.replications, s.created_at, s.ended_at, s.error,
    (SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.id AND r.status = 'done') AS runs_done,
    (SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.id AND r.status = 'failed') AS runs_failed
  FROM sweeps s`

function toRecord(row: SweepRow): SweepRecord {
  return { ...row, runs_total: row.points * row.replications }
}
