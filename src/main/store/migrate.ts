/**
 * Brings a database up to the newest schema. The pending migrations run in
 * one IMMEDIATE transaction together with their bookkeeping rows, so a crash
 * or a failing step leaves the database as it was, and two processes opening
 * an old database at once apply each step once.
 */
import type { Database } from 'better-sqlite3'
import { migrations as all, type Migration } from './migrations'


/** Applied migrations in id order; nothing is written. */
export function appliedMigrations(db: Database): string[] {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get()
  if (!exists) return []
  return (db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: string }[]).map((r) => r.id)
}

/** The migrations `db` still needs, oldest first; nothing is written. Throws for a database of a newer schema. */
export function pendingMigrations(db: Database, migrations: readonly Migration[] = all): Migration[] {
  const done = new Set(appliedMigrations(db))
  const known = new Set(migrations.map((m) => m.id))
  const unknown = [...done].filter((id) => !known.has(id))
  if (unknown.length > 0) {
    throw new Error(`this database was written by a newer Hyperlab (schema ${unknown.join(', ')}); update Hyperlab to open it`)
  }
  return [...migrations].sort((a, b) => a.id.localeCompare(b.id)).filter((m) => !done.has(m.id))
}

/**
 * Applies every pending migration in one IMMEDIATE transaction: all of them
 * or, when one fails, none (the file stays as it was). Foreign keys are off
 * while a batch that rebuilds tables runs (they cannot change inside a
 * transaction) and checked before it commits. Returns the ids applied.
 */
export function migrate(db: Database, migrations: readonly Migration[] = all): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
  const pending = pendingMigrations(db, migrations)
  if (pending.length === 0) return []
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)')
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?')
  const rebuilds = pending.some((m) => m.rebuildsTables)
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1
  if (rebuilds && foreignKeys) db.pragma('foreign_keys = OFF')
  try {
    return db.transaction(() => {
      const done: string[] = []
      for (const m of pending) {
        // Another process may have applied it since we looked.
        if (isApplied.get(m.id)) continue
        db.exec(m.up)
        m.data?.(db)
        record.run(m.id, new Date().toISOString())
        done.push(m.id)
      }
      if (rebuilds) {
        const broken = db.pragma('foreign_key_check') as unknown[]
        if (broken.length > 0) throw new Error(`migrations ${done.join(', ')} would leave ${broken.length} broken reference(s)`)
      }
      return done
    }).immediate()
  } finally {
    if (rebuilds && foreignKeys) db.pragma('foreign_keys = ON')
  }
}
