/**
 * How the event inspector names and marks each kind of notable event. The
 * kinds come from the registry (shared/replay.ts `runEventKinds`); this map
 * is typed by it, so a kind added there (a migration, a path failing) does
 * not compile until it has a label here, and the inspector's filter offers
 * it at once.
 */
import { runEventKinds, type RunEventKind } from '../api/shared'

export interface EventKindStyle {
  label: string
  /** good: something started or recovered; bad: something saturated or was refused; info: the run itself. */
  tone: 'good' | 'bad' | 'info'
}

export const EVENT_KIND_STYLES: Record<RunEventKind, EventKindStyle> = {
  'vm-started': { label: 'VM started', tone: 'good' },
  'vm-stopped': { label: 'VM stopped', tone: 'info' },
  'queue-saturated': { label: 'Queue saturated', tone: 'bad' },
  'queue-relieved': { label: 'Queue relieved', tone: 'good' },
  paused: { label: 'Run paused', tone: 'info' },
  resumed: { label: 'Run resumed', tone: 'info' },
  refused: { label: 'Event refused', tone: 'bad' }
}

export const EVENT_KINDS: readonly RunEventKind[] = runEventKinds
