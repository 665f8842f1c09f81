/**
 * How the lab recognises its own database file before it writes a byte.
 *
 * A Hyperlab database carries `PRAGMA application_id` = "HYPL" and a
 * `schema_migrations` table. A Hyperlab database from before the id is
 * recognised by its migrations rows and adopted (stamped) when opened. An
 * empty or missing file becomes a new lab database. Everything else (another
 * application's database, a newer Hyperlab's, a file that is not SQLite) is
 * refused, and the first look that decides it changes nothing: it reads the
 * file's header and a copy of its first pages, so not even the -wal and -shm
 * files SQLite makes for a reader appear next to someone else's database.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import Database, { type Database as Db } from 'better-sqlite3'
import { printable } from '../../shared/printable'
import { DatabaseError, databaseError } from './errors'
import { migrations } from './migrations'

/** `PRAGMA application_id` of every Hyperlab database: "HYPL" in ASCII. */
export const APPLICATION_ID = 0x4859504c

/**
 * The tables every Hyperlab schema has had since the first migration (the
 * first one's `samples` table became `sample_blocks`, so it is not required).
 */
const LAB_TABLES = ['schema_migrations', 'experiments', 'runs']

/**
 * What a file holds: nothing yet (`empty`: create the lab's schema), the
 * lab's own database (`lab`), or one from before the application id
 * (`legacy`: stamp it, then use it).
 */
export type Verdict = 'empty' | 'lab' | 'legacy'

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')
const HEADER_BYTES = 100
/** Enough pages to hold a Hyperlab schema and its migration rows; larger schemas are checked on the real file. */
const PREFIX_BYTES = 1 << 20

/**
 * The first, read-only look at `path`: throws a DatabaseError for anything
 * the lab must not open; otherwise the verdict, or `unsure` when the copied
 * pages could not say (the real connection then decides before writing).
 */
export function inspectFile(path: string, nativeBinding?: string): Verdict | 'missing' | 'unsure' {
  if (path === '') throw new DatabaseError('empty-path', path, 'is empty')
  let size: number
  try {
    const stat = statSync(path)
    if (stat.isDirectory()) throw new DatabaseError('folder', path, 'is a folder, not a file')
    if (!stat.isFile()) throw new DatabaseError('not-a-file', path, 'is not a regular file (a device, a pipe or a socket)')
    size = stat.size
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw databaseError(err, path)
  }
  // A file with no bytes (but no log holding its content) is a database nobody has written yet.
  if (size === 0 && !hasBytes(`${path}-wal`)) return 'empty'
  const prefix = readPrefix(path, Math.min(size, PREFIX_BYTES))
  if (prefix.length < HEADER_BYTES || !prefix.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new DatabaseError('not-a-database', path, 'is not a SQLite database')
  }
  const applicationId = prefix.readInt32BE(68)
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) throw foreignById(path, applicationId)
  let snapshot: Db | undefined
  try {
    snapshot = new Database(asStandalone(prefix), nativeBinding ? { nativeBinding } : {})
    const verdict = classify(snapshot, path)
    // Pages still in a write-ahead log may say otherwise: a reader on the real file has the last word.
    return hasBytes(`${path}-wal`) ? 'unsure' : verdict
  } catch (err) {
    if (err instanceof DatabaseError) throw err
    return 'unsure'
  } finally {
    snapshot?.close()
  }
}

/**
 * Decides from what a connection (to a copy or to the file itself) can read
 * whether the lab may use the database; throws a DatabaseError when it may not.
 */
export function classify(db: Db, path: string): Verdict {
  const applicationId = db.pragma('application_id', { simple: true }) as number
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) throw foreignById(path, applicationId)
  const objects = db.prepare(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`).all() as {
    type: string
    name: string
  }[]
  if (objects.length === 0) return applicationId === APPLICATION_ID ? 'lab' : 'empty'
  const tables = new Set(objects.filter((o) => o.type === 'table').map((o) => o.name))
  const applied = tables.has('schema_migrations') ? appliedMigrations(db) : []
  const ours =
    applicationId === APPLICATION_ID ||
    (LAB_TABLES.every((t) => tables.has(t)) && applied.includes(migrations[0]!.id)) ||
    unfinishedFirstOpen(db, tables, applied)
  if (!ours) {
    const names = [...tables].slice(0, 5).map((t) => printable(t, { max: 40 }))
    const more = tables.size > 5 ? ` and ${tables.size - 5} more` : ''
    const holding = names.length > 0 ? `: it holds another application’s tables (${names.join(', ')}${more})` : ''
    throw new DatabaseError('foreign', path, `is not a Hyperlab database${holding}`)
  }
  const known = new Set(migrations.map((m) => m.id))
  const unknown = applied.filter((id) => !known.has(id))
  if (unknown.length > 0) {
    const ids = unknown.slice(0, 3).map((id) => printable(id, { max: 60 })).join(', ')
    throw new DatabaseError('newer', path, `was written by a newer Hyperlab (schema ${ids}${unknown.length > 3 ? ', …' : ''})`)
  }
  return applicationId === APPLICATION_ID ? 'lab' : 'legacy'
}

/**
 * A Hyperlab database from before the application id whose first open
 * stopped after creating the migrations table and before the first
 * migration committed: nothing but an empty `schema_migrations (id, applied_at)`.
 */
function unfinishedFirstOpen(db: Db, tables: Set<string>, applied: string[]): boolean {
  if (tables.size !== 1 || !tables.has('schema_migrations') || applied.length > 0) return false
  const columns = db.prepare(`SELECT name FROM pragma_table_info('schema_migrations')`).pluck().all()
  return columns.join(',') === 'id,applied_at'
}

function appliedMigrations(db: Db): string[] {
  try {
    return (db.prepare('SELECT id FROM schema_migrations').pluck().all() as unknown[]).map(String)
  } catch {
    // Another application's table of the same name, with other columns.
    return []
  }
}

function foreignById(path: string, applicationId: number): DatabaseError {
  const hex = (applicationId >>> 0).toString(16).padStart(8, '0')
  return new DatabaseError('foreign', path, `is not a Hyperlab database: it belongs to another application (application id 0x${hex})`)
}

function hasBytes(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).size > 0
  } catch {
    return false
  }
}

function readPrefix(path: string, bytes: number): Buffer {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const buffer = Buffer.alloc(bytes)
    let filled = 0
    while (filled < bytes) {
      const n = readSync(fd, buffer, filled, bytes - filled, filled)
      if (n === 0) break
      filled += n
    }
    return buffer.subarray(0, filled)
  } catch (err) {
    throw databaseError(err, path)
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * The copied first pages as a database SQLite opens in memory: marked as a
 * rollback-journal file (a WAL-mode header would make SQLite look for the
 * log) and as long as the pages copied, so reading past them fails instead
 * of reading zeros.
 */
function asStandalone(prefix: Buffer): Buffer {
  const pageSize = prefix.readUInt16BE(16) === 1 ? 65_536 : prefix.readUInt16BE(16)
  const pages = Math.floor(prefix.length / pageSize)
  if (pageSize < 512 || pages === 0) throw new Error('too short to hold a page')
  const copy = Buffer.from(prefix.subarray(0, pages * pageSize))
  copy[18] = 1
  copy[19] = 1
  copy.writeUInt32BE(pages, 28)
  return copy
}
