/**
 * A run's notable events on its simulated timeline (`run_events`): those the
 * engine reports with its sample batches and those the runner adds (paused,
 * resumed). Each is numbered in the order stored. Callers own the transaction.
 */
import type { Database } from 'better-sqlite3'
import type { RunEventKind } from '../../shared/replay'

export interface StoredRunEvent {
  t_ms: number
  kind: RunEventKind
  subject: string
  value: number | null
}

export function appendEvents(db: Database, runId: string, events: readonly StoredRunEvent[]): void {
  if (events.length === 0) return
  let seq = (db.prepare('SELECT MAX(seq) FROM run_events WHERE run_id = ?').pluck().get(runId) as number | null) ?? -1
  const insert = db.prepare('INSERT INTO run_events (run_id, seq, t_ms, kind, subject, value) VALUES (?, ?, ?, ?, ?, ?)')
  for (const e of events) insert.run(runId, ++seq, e.t_ms, e.kind, e.subject, e.value)
}

export function readEvents(db: Database, runId: string): StoredRunEvent[] {
  return db.prepare('SELECT t_ms, kind, subject, value FROM run_events WHERE run_id = ? ORDER BY t_ms, seq').all(runId) as StoredRunEvent[]
}
