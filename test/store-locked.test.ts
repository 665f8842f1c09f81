/**
 * A run that fails because another process holds the database's write lock
 * keeps its real reason: the store shows the end at once, writes it when the
 * database is writable again, or leaves it beside the database for the next
 * open — it never stays `running` to become "interrupted" later.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ExperimentReader } from '../src/main/reading/reader'
import { Runner } from '../src/main/runner/runner'
import { startRun } from '../src/main/services/services'
import { DatabaseError } from '../src/main/store/errors'
import { Store } from '../src/main/store/store'
import { BUILT_READER, BUILT_WORKER, longExperimentYaml, requireBuild, tempDir, thrownBy } from './fixtures'

beforeAll(requireBuild)

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A store that gives up at once on a lock (the lock is held on purpose here), with a runner over it. */
function lockedLab() {
  const dir = tempDir()
  const path = join(dir.path, 'lab.db')
  const store = Store.open(path, { busyTimeoutMs: 0 })
  const runner = new Runner(store, { workerPath: BUILT_WORKER, batchWallMs: 20 })
  const reader = new ExperimentReader({ threadPath: BUILT_READER })
  cleanups.push(dir.remove, () => store.close(), () => runner.shutdown(), () => reader.close())
  return { dir: dir.path, path, store, runner, reader }
}

/** Another connection holding a write transaction on the database, as another process would. */
function holdWriteLock(path: string) {
  const other = new Database(path)
  other.exec('BEGIN IMMEDIATE')
  cleanups.push(() => {
    if (other.open) other.close()
  })
  return {
    release() {
      other.exec('ROLLBACK')
      other.close()
    }
  }
}

function firstSamples(runner: Runner): Promise<void> {
  return new Promise((resolve) => runner.subscribe((e) => e.type === 'samples' && resolve()))
}

function sidecars(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('lab.db-pending-'))
}

/** The run's row as another process reads it from the file. */
function storedStatus(path: string, runId: string): { status: string; error: string | null } {
  const reader = new Database(path, { readonly: true })
  try {
    return reader.prepare('SELECT status, error FROM runs WHERE id = ?').get(runId) as { status: string; error: string | null }
  } finally {
    reader.close()
  }
}

async function runFailingOnLock() {
  const lab = lockedLab()
  const run = await startRun(lab, longExperimentYaml())
  await firstSamples(lab.runner)
  const lock = holdWriteLock(lab.path)
  const ended = await lab.runner.wait(run.id)
  return { ...lab, run, ended, lock }
}

describe('a run that fails because the database is locked', () => {
  it('is shown failed with the real reason at once, and written when the database is writable again', async () => {
    const { dir, path, store, run, ended, lock } = await runFailingOnLock()
    expect(ended?.status).toBe('failed')
    expect(ended?.error).toMatch(/could not store samples: .*is locked.*another process holds a write transaction/i)
    // This store already tells the truth; the file cannot yet, so the end waits beside it.
    expect(store.getRun(run.id)).toMatchObject({ status: 'failed', error: ended?.error })
    expect(store.listRuns().find((r) => r.id === run.id)?.status).toBe('failed')
    expect(storedStatus(path, run.id).status).toBe('running')
    expect(sidecars(dir)).toHaveLength(1)

    lock.release()
    store.saveExperiment('any later write', 'x')
    expect(storedStatus(path, run.id)).toEqual({ status: 'failed', error: ended?.error })
    expect(sidecars(dir)).toEqual([])
  })

  it('keeps its reason beside the database when the store closes still locked, and the next open records it', async () => {
    const { dir, path, store, run, ended, lock } = await runFailingOnLock()
    store.close() // as if the process ended while the other still held the lock
    expect(sidecars(dir)).toHaveLength(1)
    // Opened while still locked (e.g. `hyperlab runs list`): it reads, and neither loses the end nor calls the run interrupted.
    const meanwhile = Store.open(path, { busyTimeoutMs: 0 })
    expect(meanwhile.getRun(run.id)?.status).not.toBe('interrupted')
    meanwhile.close()
    expect(sidecars(dir)).toHaveLength(1)
    lock.release()
    expect(storedStatus(path, run.id).status).toBe('running')

    const next = Store.open(path)
    expect(next.getRun(run.id)).toMatchObject({ status: 'failed', error: ended?.error })
    next.close()
    expect(storedStatus(path, run.id).status).toBe('failed')
    expect(sidecars(dir)).toEqual([])
    expect(existsSync(join(dir, 'lab.db'))).toBe(true)
  })

  it('reports a write refused by the lock as a DatabaseError naming the file and the cause', () => {
    const { path, store } = lockedLab()
    const lock = holdWriteLock(path)
    const caught = thrownBy(() => store.saveExperiment('text', 'name'))
    lock.release()
    expect(caught).toBeInstanceOf(DatabaseError)
    expect((caught as DatabaseError).kind).toBe('locked')
    expect((caught as Error).message).toContain(path)
    expect((caught as Error).message).toMatch(/another process holds a write transaction/i)
  })
})
