/**
 * The SAN arrays' samples in the store: written with the VMs' batches in one
 * transaction, read back every window or in the VMs' buckets, and an older
 * database gains their table through a migration (after its backup copy),
 * its runs reading as having none.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { APPLICATION_ID } from '../src/main/store/identity'
import { migrate } from '../src/main/store/migrate'
import { migrations } from '../src/main/store/migrations'
import { appendBlocks } from '../src/main/store/samples'
import { packBlocks } from '../src/main/store/sampleBlocks'
import { Store } from '../src/main/store/store'
import type { ArraySample, Sample } from '../src/shared/result'
import { useTempFolders } from './fixtures'

const folder = useTempFolders('hyperlab-arrays-')

function sample(t: number, vm = 'vm1'): Sample {
  return { t_ms: t, vm, throughput_ops_s: t / 10, latency_mean_ms: 1.5, latency_p99_ms: null, disk_iops: 3, cpu_pct: 40 }
}

function arraySample(t: number, array: string, u: number): ArraySample {
  return { t_ms: t, array, utilization_pct: u, queue_depth: u / 10, iops: u * 2 }
}

function newRun(store: Store) {
  const exp = store.saveExperiment('t', 'e')
  return store.createRun({ experimentId: exp.id, experimentName: 'e', experimentText: 't', seed: 1, durationS: 2 })
}

describe('array samples in the store', () => {
  it('come back as written, in time order, and merged into the buckets the VM charts use', () => {
    const store = Store.open(join(folder(), 'lab.db'))
    const run = newRun(store)
    const first = [arraySample(500, 'b', 10), arraySample(500, 'a', 20)]
    const second = [arraySample(1000, 'b', 30), arraySample(1000, 'a', 40), arraySample(1500, 'a', 50), arraySample(1500, 'b', 70)]
    store.appendSamples(run.id, 0, [sample(500)], 0.25, [], first)
    store.appendSamples(run.id, 1, [sample(1000), sample(1500)], 0.75, [], second)
    const all = store.getArraySamples(run.id)
    expect(all).toHaveLength(6)
    expect(all.map((s) => s.t_ms)).toEqual([500, 500, 1000, 1000, 1500, 1500])
    expect(all.find((s) => s.t_ms === 1000 && s.array === 'a')).toEqual(arraySample(1000, 'a', 40))
    // Buckets of 1,000 ms: windows ending at 500 and 1,000 ms, then the one ending at 1,500 ms.
    const merged = store.getArraySamples(run.id, 1000)
    const a = merged.filter((s) => s.array === 'a')
    expect(a).toEqual([
      { t_ms: 1000, array: 'a', utilization_pct: 30, queue_depth: 3, iops: 60 },
      { t_ms: 1500, array: 'a', utilization_pct: 50, queue_depth: 5, iops: 100 }
    ])
    expect(merged.filter((s) => s.array === 'b').map((s) => s.utilization_pct)).toEqual([20, 70])
    store.close()
  })

  it('are written with their batch or not at all', () => {
    const store = Store.open(join(folder(), 'lab.db'))
    const run = newRun(store)
    store.appendSamples(run.id, 0, [sample(500)], 0.25, [], [arraySample(500, 'a', 1)])
    // The VM samples overlap what is stored: the whole batch fails, its array samples with it.
    expect(() => store.appendSamples(run.id, 0, [sample(1000)], 0.5, [], [arraySample(1000, 'a', 2)])).toThrow()
    expect(store.getArraySamples(run.id)).toEqual([arraySample(500, 'a', 1)])
    store.close()
  })

  it('a sweep point run delivered whole from another machine keeps its array samples', () => {
    const store = Store.open(join(folder(), 'lab.db'))
    const exp = store.saveExperiment('t', 'e')
    const sweep = store.sweeps.create({
      experimentId: exp.id,
      name: 'e',
      seed: 1,
      parameters: [{ path: 'duration_s', values: [2] }],
      seeds: [1],
      replications: 1,
      mode: 'distributed',
      points: [{ point: 1, label: 'duration_s=2', values: [2], experimentText: 't' }]
    })
    const arrays = [arraySample(500, 'a', 1), arraySample(1000, 'a', 2)]
    const record = store.sweeps.storeFinishedRun(
      { sweepId: sweep.id, point: 1, replication: 1 },
      {
        run: { experimentId: exp.id, experimentName: 'e', experimentText: 't', seed: 1, durationS: 2 },
        status: 'failed',
        result: null,
        samples: [sample(500), sample(1000)],
        arrays,
        wallMs: null,
        error: 'stopped'
      }
    )
    expect(store.getArraySamples(record!.id)).toEqual(arrays)
    expect(store.getSamples(record!.id)).toHaveLength(2)
    store.close()
  })

  it('an older database gains the table after its backup copy; its runs have none and keep their samples', () => {
    const path = join(folder(), 'hyperlab.db')
    const previous = migrations.filter((m) => m.id !== '2026-12-02-window-arrays')
    const newest = previous.map((m) => m.id).sort().at(-1)!
    const db = new Database(path)
    db.pragma(`application_id = ${APPLICATION_ID}`)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    migrate(db, previous)
    // Written by the previous schema: a run with samples and no array table.
    db.exec(`INSERT INTO experiments (id, name, text, text_hash, created_at, updated_at) VALUES ('e1', 'e', 't', 'h', '2026-12-01', '2026-12-01')`)
    db.exec(`INSERT INTO runs (id, experiment_id, experiment_name, experiment_text, seed, duration_s, status, created_at, progress)
             VALUES ('r1', 'e1', 'e', 't', 1, 5, 'done', '2026-12-01', 1)`)
    appendBlocks(db, 'r1', 0, packBlocks([sample(500), sample(1000)]))
    expect(db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'array_samples'`).get()).toBeUndefined()
    db.close()
    const store = Store.open(path)
    expect(store.migration.from).toBe(newest)
    expect(store.migration.applied).toEqual(['2026-12-02-window-arrays'])
    expect(store.migration.backup).toBe(`${path}.backup-${newest}`)
    expect(existsSync(store.migration.backup!)).toBe(true)
    expect(store.getArraySamples('r1')).toEqual([])
    expect(store.getSamples('r1')).toEqual([sample(500), sample(1000)])
    // New runs in the migrated file keep theirs.
    const run = newRun(store)
    store.appendSamples(run.id, 0, [sample(500)], 0.5, [], [arraySample(500, 'a', 5)])
    expect(store.getArraySamples(run.id)).toEqual([arraySample(500, 'a', 5)])
    store.close()
  })
})
