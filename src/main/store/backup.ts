/**
 * The copy of a database written beside it before a migration changes it,
 * so that a user who goes back to the Hyperlab that wrote it (or whose
 * migration fails) still has the file as it was. The copy is the file's own
 * bytes: everything still in the write-ahead log is checkpointed into the
 * file first, and the copy is taken while this connection holds the write
 * lock, so no other process changes the file meanwhile. Only when another
 * reader keeps the log from being emptied is the copy made with
 * `VACUUM INTO` instead: the same content, not the same bytes.
 */
import { copyFileSync, constants, existsSync, statSync } from 'node:fs'
import type { Database } from 'better-sqlite3'
import { errorMessage } from '../../shared/errors'
import { printable } from '../../shared/printable'
import { DatabaseError, databaseError } from './errors'

/** `hyperlab.db` → `hyperlab.db.backup-2026-12-01-queued-runs` (then `-2`, `-3` … when taken). */
export function backupPath(path: string, schema: string): string {
  const base = `${path}.backup-${schema}`
  if (!existsSync(base)) return base
  for (let n = 2; ; n++) if (!existsSync(`${base}-${n}`)) return `${base}-${n}`
}

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size
  } catch {
    return 0
  }
}

/**
 * Writes the backup of the database `db` has open at `path`, whose schema is
 * `schema` (its newest applied migration); returns the backup's path. A
 * locked database fails as SQLite does (the caller names the file); a copy
 * that cannot be written fails as a DatabaseError naming both files.
 */
export function writeBackup(db: Database, path: string, schema: string): string {
  const target = backupPath(path, schema)
  const wal = db.pragma('journal_mode', { simple: true }) === 'wal'
  if (wal) db.pragma('wal_checkpoint(TRUNCATE)')
  db.exec('BEGIN IMMEDIATE')
  let copied = false
  try {
    if (!wal || walBytes(path) === 0) {
      copy(() => copyFileSync(path, target, constants.COPYFILE_EXCL), path, target)
      copied = true
    }
  } finally {
    db.exec('ROLLBACK')
  }
  if (!copied) copy(() => db.prepare('VACUUM INTO ?').run(target), path, target)
  return target
}

function copy(work: () => unknown, path: string, target: string): void {
  try {
    work()
  } catch (err) {
    const cause = databaseError(err, target)
    const kind = cause instanceof DatabaseError ? cause.kind : 'unreadable'
    const code = (err as { code?: unknown }).code
    throw new DatabaseError(
      kind,
      path,
      `needs its schema updated, and the copy of it Hyperlab writes first could not be written to ${printable(target, { max: 300 })} (${typeof code === 'string' ? code : errorMessage(err)}); nothing in it was changed`
    )
  }
}
