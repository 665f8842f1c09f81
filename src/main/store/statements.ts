/**
 * Prepared statements kept per connection. Compiling a statement costs more
 * than running most of the store's (a run's start, batch and end each prepare
 * several), and every millisecond the main thread spends there is taken from
 * an engine thread while a sweep keeps every core busy. So the store's
 * connection hands out the statement it compiled before for the same SQL
 * text, in its default modes (not plucked, raw or expanded), or a new one
 * when that statement is still busy (an iteration over it is open).
 */
import type { Database, Statement } from 'better-sqlite3'

/** Distinct SQL texts kept at most; a store builds a few dozen, so a full cache means texts built from data. */
const KEEP = 256

/** Makes `db.prepare` reuse the statements it compiled before (for the connection's whole life). */
export function reuseStatements(db: Database): void {
  const compile = db.prepare.bind(db) as (sql: string) => Statement
  const kept = new Map<string, Statement>()
  const prepare = (sql: string): Statement => {
    const statement = kept.get(sql)
    if (statement && !statement.busy) {
      // A caller may have switched a mode on; the next caller expects the defaults.
      if (statement.reader) statement.pluck(false).raw(false).expand(false)
      return statement
    }
    const made = compile(sql)
    if (!statement) {
      if (kept.size >= KEEP) kept.clear()
      kept.set(sql, made)
    }
    return made
  }
  db.prepare = prepare as Database['prepare']
}
