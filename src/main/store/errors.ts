/**
 * Why a database file cannot be used, in words a user can act on: what is
 * wrong with which path, and what to do about it. SQLite's and the file
 * system's error codes are translated here, so no adapter ever shows a bare
 * "SQLITE_BUSY" or "unable to open database file".
 */
import { accessSync, constants, existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { LabError } from '../../shared/errors'
import { printable } from '../../shared/printable'

export type DatabaseProblem =
  | 'empty-path'
  | 'folder'
  | 'not-a-file'
  | 'not-a-database'
  | 'foreign'
  | 'newer'
  | 'damaged'
  | 'locked'
  | 'read-only'
  | 'disk-full'
  | 'unreadable'
  | 'migration-failed'

const CHOOSE_ANOTHER = 'choose another file, or another folder for the lab’s data'

const HINTS: Record<DatabaseProblem, string> = {
  'empty-path': 'give the path of a database file; an empty path would keep the runs in a temporary database that vanishes',
  folder: 'give the path of a file inside the folder (the lab’s own is hyperlab.db)',
  'not-a-file': CHOOSE_ANOTHER,
  'not-a-database': `nothing in it was changed; ${CHOOSE_ANOTHER}`,
  foreign: `nothing in it was changed; ${CHOOSE_ANOTHER}`,
  newer: 'nothing in it was changed; update Hyperlab to open it, or choose another file',
  damaged: 'restore it from a backup, or choose another file',
  locked: 'another process holds a write transaction on it (the app, browser mode or another hyperlab command); try again when it has finished',
  'read-only': 'Hyperlab cannot write there; choose another folder',
  'disk-full': 'free some space on that disk, or choose another folder',
  unreadable: CHOOSE_ANOTHER,
  'migration-failed': 'it was left as it was; keep using the Hyperlab that wrote it, or choose another file'
}

/**
 * A database the lab cannot use. A `LabError` (code `unavailable`), so it
 * crosses the wire like any other; the CLI reports it as bad input.
 */
export class DatabaseError extends LabError {
  override name = 'DatabaseError'
  readonly hint: string

  constructor(
    readonly kind: DatabaseProblem,
    readonly path: string,
    /** What is wrong, completing "the database PATH …". */
    readonly problem: string,
    /** How the user chose this path: `--db`, `HYPERLAB_DATA_DIR`, …; named in the message. */
    readonly source?: string,
    /** What the user can change instead, e.g. `--db FILE or HYPERLAB_DATA_DIR`. */
    readonly choices?: string
  ) {
    const hint = choices ? `${HINTS[kind]} (${choices})` : HINTS[kind]
    const where = kind === 'empty-path' ? 'The database path' : `The database ${printable(path, { max: 300 })}`
    super('unavailable', `${where}${source ? ` (from ${source})` : ''} ${problem}. ${hint[0]!.toUpperCase()}${hint.slice(1)}.`)
    this.hint = hint
  }

  /** The same problem, saying where the path came from and what to change (when known). */
  from(source: string | undefined, choices: string | undefined): DatabaseError {
    if ((!source && !choices) || this.source || this.choices) return this
    return new DatabaseError(this.kind, this.path, this.problem, source, choices)
  }
}

/**
 * The DatabaseError for what SQLite or the file system threw while using
 * `path`; anything else (a bug, a constraint the store itself broke) is
 * returned unchanged.
 */
export function databaseError(err: unknown, path: string): unknown {
  if (err instanceof DatabaseError) return err
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return err
  const found = problemOf(code, path)
  return found ? new DatabaseError(found[0], path, found[1]) : err
}

function problemOf(code: string, path: string): [DatabaseProblem, string] | null {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return ['locked', 'is locked']
  if (code.startsWith('SQLITE_NOTADB')) return ['not-a-database', 'is not a SQLite database']
  if (code.startsWith('SQLITE_CORRUPT')) return ['damaged', 'is damaged (SQLite finds it malformed)']
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') return ['disk-full', 'cannot grow: the disk is full']
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return ['read-only', 'cannot be written: permission denied or a read-only disk']
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    // SQLite says only "unable to open database file": find out whether the folder is the cause.
    const dir = dirname(path)
    return folderWritable(dir)
      ? ['unreadable', `cannot be opened (SQLite: ${code})`]
      : ['read-only', `cannot be opened: its folder ${printable(dir, { max: 300 })} is read-only for this user`]
  }
  if (code === 'EISDIR') return ['folder', 'is a folder, not a file']
  if (code === 'ENOTDIR') return ['unreadable', 'cannot be reached: a part of its path is a file, not a folder']
  if (code === 'ENOENT') return ['unreadable', 'cannot be created: its folder cannot be made there']
  if (code === 'ENAMETOOLONG' || code === 'ELOOP') return ['unreadable', `cannot be reached (${code})`]
  return null
}

function folderWritable(dir: string): boolean {
  try {
    if (!existsSync(dir)) return true
    accessSync(dir, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** The error for an experiment the store does not hold (or holds deleted, where only live ones count). */
export function experimentNotFound(id: string): LabError {
  return new LabError('not-found', `experiment "${id}" does not exist`)
}

/** The error for a run the store does not hold (or holds deleted, where only live ones count). */
export function runNotFound(id: string): LabError {
  return new LabError('not-found', `run "${id}" does not exist`)
}
