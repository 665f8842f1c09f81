/**
 * The store opens only databases the lab owns: its own (recognised by its
 * application id and migrations table), a Hyperlab database from before the
 * application id, or an empty or missing file. Anything else is refused with
 * the path named, and not one byte of it changes.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { DatabaseError } from '../src/main/store/errors'
import { APPLICATION_ID } from '../src/main/store/identity'
import { migrate } from '../src/main/store/migrate'
import { Store } from '../src/main/store/store'
import { thrownBy, useTempFolders } from './fixtures'

const folder = useTempFolders('hyperlab-own-')

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** Another application's database: a table of its own, in the given journal mode. */
function foreignDb(path: string, mode: 'delete' | 'wal', applicationId = 0): void {
  const db = new Database(path)
  db.pragma(`journal_mode = ${mode}`)
  if (applicationId) db.pragma(`application_id = ${applicationId}`)
  db.exec(`CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://example.org')`)
  db.close()
}

/** Expects Store.open to refuse `path` with a DatabaseError of `kind`, leaving the file and its folder as they were. */
function expectRefusedUntouched(path: string, kind: string, message: RegExp): DatabaseError {
  const dir = join(path, '..')
  const before = { sha: sha256(path), files: readdirSync(dir).sort() }
  const caught = thrownBy(() => Store.open(path).close())
  expect(caught).toBeInstanceOf(DatabaseError)
  const err = caught as DatabaseError
  expect(err.kind).toBe(kind)
  expect(err.message).toContain(path)
  expect(err.message).toMatch(message)
  expect({ sha: sha256(path), files: readdirSync(dir).sort() }).toEqual(before)
  return err
}

function openKind(path: string): string | undefined {
  try {
    Store.open(path).close()
    return undefined
  } catch (err) {
    return err instanceof DatabaseError ? err.kind : `not a DatabaseError: ${String(err)}`
  }
}

describe('the databases the store opens', () => {
  it('refuses another application’s database and changes nothing in it (rollback journal)', () => {
    const path = join(folder(), 'app.sqlite')
    foreignDb(path, 'delete')
    expectRefusedUntouched(path, 'foreign', /not a Hyperlab database/)
  })

  it('refuses another application’s WAL database without leaving -wal or -shm files next to it', () => {
    const path = join(folder(), 'app.sqlite')
    foreignDb(path, 'wal')
    expectRefusedUntouched(path, 'foreign', /bookmarks/)
  })

  it('refuses a database stamped with another application id', () => {
    const path = join(folder(), 'app.sqlite')
    foreignDb(path, 'delete', 0x0f01_2345)
    expectRefusedUntouched(path, 'foreign', /application id 0x0f012345/)
  })

  it('refuses another application’s database whose tables are still only in its write-ahead log', () => {
    const path = join(folder(), 'app.sqlite')
    // The other application is running: its tables are in the -wal, not yet in the main file.
    const other = new Database(path)
    other.pragma('journal_mode = wal')
    other.pragma('wal_autocheckpoint = 0')
    other.exec(`CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')`)
    try {
      expectRefusedUntouched(path, 'foreign', /notes/)
      expect(other.prepare('SELECT body FROM notes').pluck().get()).toBe('mine')
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal')
    } finally {
      other.close()
    }
  })

  it('refuses a database of a newer Hyperlab without switching it to WAL or writing anything', () => {
    const dir = folder()
    // A Hyperlab database in its own WAL mode, with a migration this version does not know.
    const ours = join(dir, 'ours.db')
    Store.open(ours).close()
    const raw = new Database(ours)
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run('2999-01-01-future', 'x')
    raw.close()
    expectRefusedUntouched(ours, 'newer', /newer Hyperlab.*2999-01-01-future/)
    // A pre-application-id Hyperlab database in rollback mode, also newer: it must not become WAL.
    const legacy = join(dir, 'legacy.db')
    const old = new Database(legacy)
    migrate(old)
    old.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run('2999-01-01-future', 'x')
    old.close()
    expectRefusedUntouched(legacy, 'newer', /update Hyperlab/)
  })

  it('adopts a Hyperlab database from before the application id, keeping its data, and stamps it', () => {
    const path = join(folder(), 'hyperlab.db')
    const old = new Database(path)
    old.pragma('journal_mode = WAL')
    migrate(old)
    old.prepare(`INSERT INTO experiments (id, name, text, text_hash, created_at, updated_at) VALUES ('e1', 'kept', 'text', 'h', 'then', 'then')`).run()
    old.close()
    const store = Store.open(path)
    expect(store.getExperiment('e1')?.name).toBe('kept')
    store.close()
    const check = new Database(path, { readonly: true })
    expect(check.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    check.close()
  })

  it('creates a new lab database in an empty file, and in a missing file under missing folders', () => {
    const dir = folder()
    const empty = join(dir, 'empty.db')
    writeFileSync(empty, '')
    const missing = join(dir, 'a', 'b', 'new.db')
    for (const path of [empty, missing]) {
      const store = Store.open(path)
      expect(store.listRuns()).toEqual([])
      store.close()
      const check = new Database(path, { readonly: true })
      expect(check.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
      expect(check.pragma('journal_mode', { simple: true })).toBe('wal')
      check.close()
    }
  })

  it('refuses what is not a database file: text, a folder, a device, an empty path', () => {
    const dir = folder()
    const text = join(dir, 'notes.txt')
    writeFileSync(text, 'hello, this is not a database\n'.repeat(10))
    expectRefusedUntouched(text, 'not-a-database', /not a SQLite database/)
    const sub = join(dir, 'sub')
    mkdirSync(sub)
    expect(openKind(sub)).toBe('folder')
    expect(openKind('/dev/null')).toBe('not-a-file')
    expect(openKind('')).toBe('empty-path')
  })

  it('names the file and the way out in its message', () => {
    const path = join(folder(), 'app.sqlite')
    foreignDb(path, 'delete')
    const err = expectRefusedUntouched(path, 'foreign', /Nothing in it was changed/)
    expect(err.hint).toMatch(/another file/)
  })
})
