/**
 * The CLI and browser mode with a database they must not or cannot use: bad
 * input (exit 2) naming the path and how it was chosen, with a hint, no stack
 * trace, and not one byte changed in a file that is not the lab's.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPLICATION_ID } from '../src/main/store/identity'
import { migrate } from '../src/main/store/migrate'
import { migrations } from '../src/main/store/migrations'
import { Store } from '../src/main/store/store'
import { BUILT_CLI, requireBuild, ROOT, tempDir } from './fixtures'

const BUILT_SERVER = join(ROOT, 'out', 'main', 'server.js')
const dir = tempDir('hyperlab-clidb-')
beforeAll(requireBuild)
afterAll(dir.remove)

const EXAMPLE = 'resources/examples/esx35-vs-native.yaml'

function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}, extra: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, HYPERLAB_DATA_DIR: join(dir.path, 'default'), ...env },
    ...extra
  })
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) }
}
const cli = (...args: string[]) => spawnNode(BUILT_CLI, args)

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

function foreignDb(name: string): string {
  const path = join(dir.path, name)
  const db = new Database(path)
  db.exec(`CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')`)
  db.close()
  return path
}

/** Bad input: exit 2, one readable message with `parts`, no stack trace. */
function expectBadInput(r: { code: number | null; stderr: string }, ...parts: (string | RegExp)[]): void {
  expect(r.code, r.stderr).toBe(2)
  for (const p of parts) expect(r.stderr).toMatch(typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p)
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+/)
  expect(r.stderr).not.toMatch(/SqliteError|SQLITE_/)
}

describe('hyperlab with a database of an older schema', () => {
  it('updates it after writing a copy beside it, and names the copy on stderr', () => {
    const path = join(dir.path, 'older.db')
    const old = new Database(path)
    old.pragma(`application_id = ${APPLICATION_ID}`)
    migrate(old, migrations.filter((m) => m.id <= '2026-12-01-queued-runs'))
    old.close()
    const before = readFileSync(path)
    const r = cli('runs', 'list', '--db', path)
    expect(r.code, r.stderr).toBe(0)
    const backup = `${path}.backup-2026-12-01-queued-runs`
    expect(r.stderr).toContain(`a copy of it as it was is at ${backup}`)
    expect(readFileSync(backup).equals(before)).toBe(true)
    // Already updated: the next command says nothing about it.
    expect(cli('runs', 'list', '--db', path).stderr).toBe('')
  })
})

describe('hyperlab with a database that is not the lab’s', () => {
  it('refuses another application’s database, even for `runs list`, and changes nothing in it', () => {
    const other = foreignDb('contacts.sqlite')
    const before = sha256(other)
    for (const args of [['runs', 'list'], ['run', EXAMPLE], ['runs', 'verify', 'abc']]) {
      expectBadInput(cli(...args, '--db', other), other, '--db', 'not a Hyperlab database', 'contacts', 'Nothing in it was changed')
    }
    expect(sha256(other)).toBe(before)
    expect(readdirSync(dir.path).filter((f) => f.startsWith('contacts.sqlite'))).toEqual(['contacts.sqlite'])
  })

  it('names HYPERLAB_DATA_DIR when the data folder holds a database that is not the lab’s', () => {
    const data = join(dir.path, 'data-foreign')
    mkdirSync(data)
    const db = new Database(join(data, 'hyperlab.db'))
    db.exec('CREATE TABLE t (x)')
    db.close()
    expectBadInput(spawnNode(BUILT_CLI, ['runs', 'list'], { HYPERLAB_DATA_DIR: data }), join(data, 'hyperlab.db'), 'HYPERLAB_DATA_DIR')
  })

  it('refuses a newer Hyperlab’s database without changing it', () => {
    const path = join(dir.path, 'newer.db')
    Store.open(path).close()
    const raw = new Database(path)
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run('2999-01-01-future', 'x')
    raw.close()
    const before = sha256(path)
    expectBadInput(cli('runs', 'list', '--db', path), path, 'newer Hyperlab', 'update Hyperlab')
    expect(sha256(path)).toBe(before)
  })

  it('refuses an empty --db instead of keeping runs in a database that vanishes', () => {
    for (const args of [['runs', 'list'], ['run', EXAMPLE]]) expectBadInput(cli(...args, '--db', ''), '--db', /empty/)
  })

  it('turns unusable paths into bad input with a hint: not a database, a folder, a device', () => {
    const text = join(dir.path, 'notes.txt')
    writeFileSync(text, 'just some notes, long enough to hold a header: ' + 'x'.repeat(200))
    const before = sha256(text)
    expectBadInput(cli('runs', 'list', '--db', text), text, '--db', 'not a SQLite database')
    expect(sha256(text)).toBe(before)
    expectBadInput(cli('runs', 'list', '--db', dir.path), dir.path, 'is a folder')
    expectBadInput(cli('runs', 'list', '--db', '/dev/null'), '/dev/null', 'not a regular file')
  })

  it('says “choose another folder” when the folder is read-only', () => {
    // chmod does not bind root: run the CLI as an unprivileged user then.
    const asUser: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
    chmodSync(dir.path, 0o755)
    const locked = join(dir.path, 'read-only')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    const r = spawnNode(BUILT_CLI, ['runs', 'list'], { HYPERLAB_DATA_DIR: locked }, asUser)
    expectBadInput(r, join(locked, 'hyperlab.db'), 'HYPERLAB_DATA_DIR', /read-only|cannot be written/, 'choose another folder')
  })

  it('says another process holds a write transaction when the database stays locked', () => {
    const path = join(dir.path, 'locked.db')
    Store.open(path).close()
    const holder = new Database(path)
    holder.exec('BEGIN IMMEDIATE')
    try {
      // Reading still works while another process writes…
      expect(cli('runs', 'list', '--db', path).code).toBe(0)
      // …a run needs to write, waits for the lock, then says why it cannot.
      expectBadInput(cli('run', EXAMPLE, '--db', path), path, '--db', 'is locked', /another process holds a write transaction/i)
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
  })
})

describe('browser mode with a database that is not the lab’s', () => {
  // A server that wrongly starts serves forever: stop it after a minute so the test fails instead of hanging.
  const server = (...args: string[]) => spawnNode(BUILT_SERVER, ['--no-open', '--port', '0', ...args], {}, { timeout: 60_000 })

  it('refuses another application’s database before serving, naming it, and changes nothing', () => {
    const other = foreignDb('server-contacts.sqlite')
    const before = sha256(other)
    expectBadInput(server('--db', other), other, '--db', 'not a Hyperlab database')
    expect(sha256(other)).toBe(before)
  })

  it('refuses an empty --db and an empty --data-dir', () => {
    expectBadInput(server('--db', ''), '--db', /empty/)
    expectBadInput(server('--data-dir', ''), '--data-dir', /empty/)
  })
})
