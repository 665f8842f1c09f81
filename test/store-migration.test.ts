/**
 * Opening a database of an older schema: a copy of the file as it was is
 * written beside it first, every sample and run survives the move to sample
 * blocks, and a migration that fails leaves the file exactly as it was.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { DatabaseError } from '../src/main/store/errors'
import { APPLICATION_ID } from '../src/main/store/identity'
import { migrate } from '../src/main/store/migrate'
import { migrations } from '../src/main/store/migrations'
import { Store } from '../src/main/store/store'
import { thrownBy, useTempFolders } from './fixtures'

const folder = useTempFolders('hyperlab-migrate-')

const QUEUED_RUNS = '2026-12-01-queued-runs'

/** A lab database as the version before sample blocks left it: stamped, WAL, closed cleanly. */
function oldDatabase(path: string, samples: [number, number, string, number, number | null][]): void {
  const db = new Database(path)
  db.pragma(`application_id = ${APPLICATION_ID}`)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  migrate(db, migrations.filter((m) => m.id <= QUEUED_RUNS))
  db.exec(`INSERT INTO experiments (id, name, text, text_hash, created_at, updated_at) VALUES ('e1', 'e', 't', 'h', '2026-11-30', '2026-11-30')`)
  db.exec(`INSERT INTO runs (id, experiment_id, experiment_name, experiment_text, seed, duration_s, status, created_at, progress)
           VALUES ('r1', 'e1', 'e', 't', 1, 5, 'done', '2026-11-30', 1)`)
  const insert = db.prepare('INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
  for (const [seq, t, vm, tp, lat] of samples) insert.run('r1', seq, t, vm, tp, lat, lat === null ? null : lat * 3, 7, 50)
  db.close()
}

describe('migrating an older database', () => {
  it('writes a byte-identical copy beside it first and names it', () => {
    const path = join(folder(), 'hyperlab.db')
    oldDatabase(path, [[0, 250, 'a', 10, 1]])
    const before = readFileSync(path)
    const store = Store.open(path)
    expect(store.migration.from).toBe(QUEUED_RUNS)
    expect(store.migration.applied).toContain('2026-12-02-sample-blocks')
    expect(store.migration.backup).toBe(`${path}.backup-${QUEUED_RUNS}`)
    store.close()
    expect(readFileSync(store.migration.backup!).equals(before)).toBe(true)
    // The copy is a database of the old schema that opens as it was.
    const copy = new Database(store.migration.backup!, { readonly: true })
    expect(copy.prepare('SELECT COUNT(*) FROM samples').pluck().get()).toBe(1)
    copy.close()
  })

  it('takes a second copy under a new name rather than overwriting the first', () => {
    const path = join(folder(), 'hyperlab.db')
    oldDatabase(path, [])
    const before = readFileSync(path)
    Store.open(path).close()
    const first = `${path}.backup-${QUEUED_RUNS}`
    // The old file put back (as a user restoring it would) and opened again.
    writeFileSync(path, before)
    const store = Store.open(path)
    expect(store.migration.backup).toBe(`${first}-2`)
    store.close()
    expect(readFileSync(first).equals(before)).toBe(true)
    expect(readFileSync(`${first}-2`).equals(before)).toBe(true)
  })

  it('does not copy a new database, nor one already at the newest schema', () => {
    const path = join(folder(), 'hyperlab.db')
    const created = Store.open(path)
    expect(created.migration).toEqual({ from: null, applied: migrations.map((m) => m.id), backup: null })
    created.close()
    const again = Store.open(path)
    expect(again.migration.applied).toEqual([])
    expect(again.migration.backup).toBeNull()
    again.close()
    expect(readdirSync(join(path, '..')).filter((f) => f.includes('backup'))).toEqual([])
  })

  it('keeps every sample, nulls and order intact, splitting blocks where the sequence has a gap', () => {
    const path = join(folder(), 'hyperlab.db')
    const rows: [number, number, string, number, number | null][] = [
      [0, 250, 'a', 10, 1],
      [1, 250, 'b', 20, null],
      [2, 500, 'a', 30, 2],
      [5, 500, 'b', 40, 4]
    ]
    oldDatabase(path, rows)
    const store = Store.open(path)
    expect(store.getSamples('r1')).toEqual(
      rows.map(([, t, vm, tp, lat]) => ({
        t_ms: t,
        vm,
        throughput_ops_s: tp,
        latency_mean_ms: lat,
        latency_p99_ms: lat === null ? null : lat * 3,
        disk_iops: 7,
        cpu_pct: 50
      }))
    )
    expect(store.countSamples('r1')).toBe(4)
    // Sequence 3 and 4 are free: the gap survived, so a batch there fits and one over 5 does not.
    expect(() => store.appendSamples('r1', 5, [store.getSamples('r1')[0]!], 1)).toThrow(/overlap/)
    store.close()
  })

  it('gives existing experiments versions from the texts their runs ran, and reads their hypervisors', () => {
    const path = join(folder(), 'hyperlab.db')
    const db = new Database(path)
    migrate(db, migrations.filter((m) => m.id <= QUEUED_RUNS))
    const text = (hv: string) => `name: e\nhosts:\n  - { id: h1, hypervisor: ${hv} }\n  - { id: h2, hypervisor: kvm }\n`
    db.prepare(`INSERT INTO experiments (id, name, text, text_hash, created_at, updated_at) VALUES ('e1', 'e', ?, 'h', '2026-11-28', '2026-11-30')`).run(text('esx-4.1'))
    const run = db.prepare(`INSERT INTO runs (id, experiment_id, experiment_name, experiment_text, seed, duration_s, status, created_at, progress)
                            VALUES (?, 'e1', 'e', ?, 1, 5, 'done', ?, 1)`)
    run.run('r1', text('esx-3.5'), '2026-11-28')
    run.run('r2', text('esx-4.0'), '2026-11-29')
    run.run('r3', text('esx-3.5'), '2026-11-30')
    db.close()
    const store = Store.open(path)
    const versions = store.listVersions('e1')
    expect(versions.map((v) => [v.number, v.runs, v.current])).toEqual([[1, 2, false], [2, 1, false], [3, 0, true]])
    expect(store.getVersion('e1', 1)?.text).toBe(text('esx-3.5'))
    expect(store.getVersion('e1', 1)?.created_at).toBe('2026-11-28')
    expect(['r1', 'r2', 'r3'].map((id) => store.getRun(id)?.version)).toEqual([1, 2, 1])
    expect(store.getExperiment('e1')).toMatchObject({ hypervisors: ['esx-4.1', 'kvm'], version: 3, versions: 3, runs: 3, notes: '', tags: [] })
    store.close()
  })

  it('leaves the file exactly as it was when a migration fails, and names the copy', () => {
    const path = join(folder(), 'hyperlab.db')
    oldDatabase(path, [[0, 250, 'a', 10, 1]])
    // A table in the way of the new schema makes the migration fail part-way.
    const raw = new Database(path)
    raw.exec('CREATE TABLE sample_blocks (x)')
    raw.close()
    const before = readFileSync(path)
    const caught = thrownBy(() => Store.open(path).close())
    expect(caught).toBeInstanceOf(DatabaseError)
    const err = caught as DatabaseError
    expect(err.kind).toBe('migration-failed')
    const backup = `${path}.backup-${QUEUED_RUNS}`
    expect(err.message).toContain(backup)
    expect(err.message).toMatch(/sample_blocks already exists/)
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0)
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(readFileSync(backup).equals(before)).toBe(true)
    const check = new Database(path, { readonly: true })
    expect(check.prepare('SELECT COUNT(*) FROM samples').pluck().get()).toBe(1)
    expect(check.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all()).toEqual(['2026-11-27-initial', QUEUED_RUNS])
    check.close()
  })
})
