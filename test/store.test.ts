import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../src/main/store/migrate'
import { migrations } from '../src/main/store/migrations'
import { mergeBuckets } from '../src/main/store/buckets'
import { Store } from '../src/main/store/store'
import type { Sample } from '../src/shared/result'

const dirs: string[] = []
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hyperlab-store-'))
  dirs.push(dir)
  return join(dir, 'lab.db')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function sample(t: number, vm = 'vm1'): Sample {
  return { t_ms: t, vm, throughput_ops_s: t / 10, latency_mean_ms: 1.5, latency_p99_ms: null, disk_iops: 3, cpu_pct: 40 }
}

/** A run of a saved experiment (`t`, named `e`), seed 1, as the runner creates one. */
function newRun(store: Store, durationS = 5) {
  const exp = store.saveExperiment('t', 'e')
  return store.createRun({ experimentId: exp.id, experimentName: 'e', experimentText: 't', seed: 1, durationS })
}

describe('store', () => {
  it('migrates an empty database to the newest schema, once', () => {
    const db = new Database(':memory:')
    expect(migrate(db)).toEqual(migrations.map((m) => m.id))
    expect(migrate(db)).toEqual([])
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name)
    expect(tables).toEqual(expect.arrayContaining(['experiments', 'runs', 'sample_blocks', 'drafts', 'schema_migrations']))
    expect(tables).not.toContain('samples')
  })

  it('lets an older database hold queued runs, keeping every run and sample (the runs table is rebuilt)', () => {
    const path = tempDb()
    const old = new Database(path)
    old.pragma('foreign_keys = ON')
    migrate(old, migrations.slice(0, 1))
    old.exec(`INSERT INTO experiments VALUES ('e1', 'e', 't', 'h', '2026-11-27', '2026-11-27')`)
    old.exec(`INSERT INTO runs (id, experiment_id, experiment_name, experiment_text, seed, duration_s, status, created_at, progress)
              VALUES ('r1', 'e1', 'e', 't', 1, 5, 'done', '2026-11-27', 1)`)
    old.exec(`INSERT INTO samples VALUES ('r1', 0, 1000, 'vm1', 1, 1, 1, 1, 1), ('r1', 1, 2000, 'vm1', 1, 1, 1, 1, 1)`)
    expect(() => old.exec(`UPDATE runs SET status = 'queued'`)).toThrow(/CHECK/)
    old.close()

    const store = Store.open(path)
    expect(store.getRun('r1')?.status).toBe('done')
    expect(store.countSamples('r1')).toBe(2)
    const exp = store.saveExperiment('t2', 'e2')
    const queued = store.createRun({ experimentId: exp.id, experimentName: 'e2', experimentText: 't2', seed: 1, durationS: 5, status: 'queued' })
    expect(store.getRun(queued.id)?.status).toBe('queued')
    expect(store.markRunning(queued.id)?.status).toBe('running')
    expect(store.markRunning(queued.id)).toBeUndefined()
    store.close()
  })

  it('refuses a database written by a newer schema, without touching it', () => {
    const db = new Database(':memory:')
    migrate(db)
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run('2999-01-01-future', 'x')
    expect(() => migrate(db)).toThrow(/newer Hyperlab/)
  })

  it('opens in WAL mode', () => {
    const path = tempDb()
    const store = Store.open(path)
    store.close()
    const db = new Database(path)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
  })

  it('round-trips a run and its samples, in order, with nulls intact', () => {
    const store = Store.open(tempDb())
    const exp = store.saveExperiment('text', 'exp')
    const run = store.createRun({ experimentId: exp.id, experimentName: 'exp', experimentText: 'text', seed: 9, durationS: 10 })
    store.appendSamples(run.id, 0, [sample(500), sample(500, 'vm2')], 0.1)
    store.appendSamples(run.id, 2, [sample(1000)], 0.2)
    expect(store.getSamples(run.id)).toEqual([sample(500), sample(500, 'vm2'), sample(1000)])
    expect(store.getRun(run.id)?.progress).toBeCloseTo(0.2)
    expect(store.finishRun(run.id, { status: 'done', wallMs: 12 })).toBe(true)
    expect(store.finishRun(run.id, { status: 'failed', wallMs: 13 })).toBe(false)
    const detail = store.getRunDetail(run.id)
    expect(detail?.run.status).toBe('done')
    expect(detail?.run.progress).toBe(1)
    expect(detail?.experiment_text).toBe('text')
    store.close()
  })

  it('merges long runs into equal buckets for display, and leaves short ones whole', () => {
    const store = Store.open(tempDb())
    const run = newRun(store, 10)
    const rows: Sample[] = []
    for (let w = 1; w <= 10; w++) {
      for (const vm of ['a', 'b']) {
        rows.push({ t_ms: w * 100, vm, throughput_ops_s: w, latency_mean_ms: w === 1 ? null : 2, latency_p99_ms: w, disk_iops: 1, cpu_pct: 10 })
      }
    }
    store.appendSamples(run.id, 0, rows, 1)
    expect(store.getSamplesForDisplay(run.id, 10)).toEqual({ samples: rows, bucketMs: null })
    const merged = store.getSamplesForDisplay(run.id, 5)
    expect(merged.bucketMs).toBe(200)
    expect(merged.samples.map((s) => [s.t_ms, s.vm])).toEqual(
      [200, 400, 600, 800, 1000].flatMap((t) => [[t, 'a'], [t, 'b']])
    )
    const first = merged.samples[0]
    expect(first).toMatchObject({ throughput_ops_s: 1.5, latency_mean_ms: 2, latency_p99_ms: 2, disk_iops: 1, cpu_pct: 10 })
    store.close()
  })

  it('draws a long ended run from its overview with the same buckets as from every sample', () => {
    const store = Store.open(tempDb())
    const run = newRun(store, 5000)
    const rows: Sample[] = []
    for (let w = 1; w <= 20_000; w++) {
      for (const vm of ['a', 'b']) {
        const odd = (w * 7919 + vm.charCodeAt(0)) % 13
        rows.push({ t_ms: w * 250, vm, throughput_ops_s: 100 + odd, latency_mean_ms: odd === 0 ? null : odd / 3, latency_p99_ms: odd === 5 ? null : odd * 2, disk_iops: odd / 7, cpu_pct: 10 + odd })
      }
    }
    for (let at = 0; at < rows.length; at += 3000) store.appendSamples(run.id, at, rows.slice(at, at + 3000), at / rows.length)
    store.finishRun(run.id, { status: 'done', wallMs: 1 })
    // 20,000 windows at 1,000 points: 20 windows a bucket from every sample, 32 from the overview (a multiple of its 16).
    const fromSamples = store.getDisplayColumns(run.id, 1000)
    expect(fromSamples.bucketMs).toBe(20 * 250)
    expect(store.buildSampleOverview(run.id)).toBe(true)
    expect(store.buildSampleOverview(run.id)).toBe(false)
    const fromOverview = store.getDisplayColumns(run.id, 1000)
    expect(fromOverview.bucketMs).toBe(32 * 250)
    expect(fromOverview.windowMs).toBe(250)
    const expected = mergeBuckets(store.getSampleColumns(run.id), 32 * 250)
    const got = fromOverview.columns
    expect(got.count).toBe(expected.count)
    expect(got.count).toBe(2 * Math.ceil(20_000 / 32))
    expect(got.vms).toEqual(['a', 'b'])
    for (const key of ['t_ms', 'throughput_ops_s', 'latency_mean_ms', 'latency_p99_ms', 'disk_iops', 'cpu_pct'] as const) {
      for (let i = 0; i < got.count; i++) {
        const [x, y] = [got[key][i]!, expected[key][i]!]
        if (Number.isNaN(y)) expect(x, `${key}[${i}]`).toBeNaN()
        else expect(Math.abs(x - y), `${key}[${i}]`).toBeLessThanOrEqual(1e-9 * Math.abs(y))
      }
    }
    // A range reads the buckets that overlap it.
    const range = store.getDisplayColumns(run.id, 20, 100_000, 200_000)
    const width = range.bucketMs!
    expect(width % (16 * 250)).toBe(0)
    const end = (t: number): number => (Math.floor((t - 1) / width) + 1) * width
    expect(range.columns.t_ms[0]).toBe(end(100_000))
    expect(range.columns.t_ms[range.columns.count - 1]).toBe(end(200_000))
    store.close()
  })

  it('reuses an experiment whose text is already saved', () => {
    const store = Store.open(tempDb())
    const a = store.saveExperiment('same text', 'a')
    const b = store.saveExperiment('same text', 'a')
    const c = store.saveExperiment('other text', 'c')
    expect(b.id).toBe(a.id)
    expect(c.id).not.toBe(a.id)
    expect(store.listExperiments().experiments).toHaveLength(2)
    store.close()
  })

  it('marks runs left running by a crash as interrupted when it opens, keeping their samples', () => {
    const path = tempDb()
    const first = Store.open(path)
    const run = newRun(first)
    first.appendSamples(run.id, 0, [sample(250)], 0.05)
    first.close() // as if the process died here
    const second = Store.open(path)
    const after = second.getRun(run.id)
    expect(after?.status).toBe('interrupted')
    expect(after?.error).toMatch(/stopped while this run was in progress/)
    expect(second.getSamples(run.id)).toEqual([sample(250)])
    second.close()
  })

  it('leaves alone a run that a store still open is doing', () => {
    const path = tempDb()
    const app = Store.open(path)
    const run = newRun(app)
    const cli = Store.open(path) // e.g. `hyperlab runs list` while the app runs
    expect(cli.getRun(run.id)?.status).toBe('running')
    cli.close()
    app.close()
    const later = Store.open(path)
    expect(later.getRun(run.id)?.status).toBe('interrupted')
    later.close()
  })

  it('writes a batch all or nothing', () => {
    const store = Store.open(tempDb())
    const run = newRun(store)
    store.appendSamples(run.id, 0, [sample(1)], 0.1)
    store.appendSamples(run.id, 2, [sample(3)], 0.2)
    // Rows get seq 1 (new) and 2 (taken): the collision must roll back the whole batch and its progress.
    expect(() => store.appendSamples(run.id, 1, [sample(2), sample(9)], 0.9)).toThrow()
    expect(store.getSamples(run.id).map((s) => s.t_ms)).toEqual([1, 3])
    expect(store.getRun(run.id)?.progress).toBeCloseTo(0.2)
    store.close()
  })
})
