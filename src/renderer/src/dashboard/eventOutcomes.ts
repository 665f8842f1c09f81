/**
 * What became of each event of a run's timeline, as the dashboard shows it:
 * read from the result's per-event records (shared/result.ts), one line of
 * what happened (a migration's rounds, data sent, total time and downtime and
 * whether the pre-copy converged; a refusal's reason; what a snapshot, clone
 * or path failure did), and the span it occupied on the time axis.
 */
import type { EventResult, Experiment } from '../api/shared'
import { str } from '../builder/loose'
import { formatNumber } from '../util/format'

export interface EventOutcome {
  index: number
  at_s: number
  /** When it finished (null: still running at the end; equal to at_s when instant or refused). */
  end_s: number | null
  kind: string
  /** What it acts on: "mobile → esx2", "esx1 → san". */
  subject: string
  /** `pending`: the run is still going, and the engine tells an event's outcome with the result. */
  status: 'done' | 'refused' | 'running' | 'pending'
  /** The facts, each a short phrase. */
  details: string[]
  /** The engine's own sentence, when it gave one. */
  summary: string | null
}

function seconds(v: number): string {
  return `${formatNumber(v, v < 10 ? 2 : 1)} s`
}

/** An event as the experiment states it or as the result records it: both carry its kind and its own fields. */
type EventFields = { do: string } & Record<string, unknown>

function subjectOf(r: EventFields): string {
  if (r.do === 'migrate') return `${str(r.vm)} → ${str(r.to)}`
  if (r.do === 'fail-path' || r.do === 'restore-path') return `${str(r.host)} → ${str(r.array)}`
  return str(r.vm)
}

const PATH_MODES: Record<string, string> = {
  failover: 'failed over to its other path',
  redirected: 'redirected I/O through the coordinator',
  stalled: 'no other path: its VMs stall',
  restored: 'path restored'
}

export function describeOutcome(r: EventResult, index: number): EventOutcome {
  const details: string[] = []
  const refused = !r.ok
  if (refused) details.push(`refused: ${r.reason ?? 'no reason given'}`)
  const m = r.migration
  if (!refused && m) {
    details.push(`${m.rounds} round${m.rounds === 1 ? '' : 's'}`)
    details.push(`${formatNumber(m.mb_sent, 0)} MB sent`)
    details.push(`total ${seconds(m.total_s)}`)
    details.push(`downtime ${formatNumber(m.downtime_ms, m.downtime_ms < 100 ? 1 : 0)} ms`)
    details.push(m.converged ? 'pre-copy converged' : `did not converge (${m.stop_reason})`)
  }
  const c = r.copy
  if (!refused && c) {
    details.push(c.s === null ? `${formatNumber(c.mb_done, 0)} of ${formatNumber(c.mb, 0)} MB copied by the end (unfinished)` : `${formatNumber(c.mb, 0)} MB copied in ${seconds(c.s)}`)
  }
  const p = r.path
  if (!refused && p) {
    details.push(PATH_MODES[p.mode] ?? p.mode)
    if (p.via) details.push(`via ${p.via}${p.gbps !== undefined ? ` (${formatNumber(p.gbps, 0)} Gb/s)` : ''}`)
    if (p.vms.length > 0) details.push(`VMs: ${p.vms.join(', ')}`)
  }
  const running = !refused && r.done_s === null
  const end_s = refused ? r.at_s : r.done_s === undefined ? r.at_s : r.done_s
  return {
    index,
    at_s: r.at_s,
    end_s,
    kind: r.do,
    subject: subjectOf(r),
    status: refused ? 'refused' : running ? 'running' : 'done',
    details,
    summary: r.summary ?? null
  }
}

export function describeOutcomes(events: readonly EventResult[] | null | undefined): EventOutcome[] {
  return (events ?? []).map(describeOutcome)
}

/**
 * The timeline of a run still going: each event of its experiment at its
 * moment, its outcome to come with the result (a refusal is known only then,
 * as the engine checks an event when the run reaches it).
 */
export function describePlanned(events: readonly Experiment['events'][number][] | null | undefined, simulatedS: number): EventOutcome[] {
  return (events ?? []).map((e, index) => ({
    index,
    at_s: e.at_s,
    end_s: null,
    kind: e.do,
    subject: subjectOf(e),
    status: 'pending',
    details: [e.at_s > simulatedS ? 'not reached yet' : 'reached; its outcome comes with the result'],
    summary: null
  }))
}

/** One line for a person and for assistive technology. */
export function outcomeLine(o: EventOutcome): string {
  const head = `${o.kind} ${o.subject}`.trim()
  const state = o.status === 'running' ? 'still running at the end: ' : ''
  return `${head}: ${state}${o.details.length > 0 ? o.details.join(', ') : (o.summary ?? 'done')}`
}
