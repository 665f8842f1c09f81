/**
 * Brings a database up to the newest schema. Each pending migration runs in
 * its own transaction together with its bookkeeping row, so a crash leaves
 * the database at the last complete step.
 */
import type { Database } from 'better-sqlite3'
import { migrations as all, type Migration } from './migrations'

export function migrate(db: Database, migrations: readonly Migration[] = all): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id)
  )
  const known = new Set(migrations.map((m) => m.id))
  const unknown = [...applied].filter((id) => !known.has(id))
  if (unknown.length > 0) {
    throw new Error(
      `this database was written by a newer Hyperlab (schema ${unknown.join(', ')}); update Hyperlab to open it`
    )
  }
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)')
  const done: string[] = []
  for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    if (applied.has(m.id)) continue
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1
    if (m.rebuildsTables && foreignKeys) db.pragma('foreign_keys = OFF')
    try {
      db.transaction(() => {
        db.exec(m.up)
        if (m.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[]
          if (broken.length > 0) throw new Error(`migration ${m.id} would leave ${broken.length} broken reference(s)`)
        }
        record.run(m.id, new Date().toISOString())
      })()
    } finally {
      if (m.rebuildsTables && foreignKeys) db.pragma('foreign_keys = ON')
    }
    done.push(m.id)
  }
  return done
}
