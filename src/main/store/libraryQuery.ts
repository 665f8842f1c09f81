/**
 * Searching, filtering and sorting the library. The library is small (an
 * experiment per idea tried, thousands at most), so its summaries are read
 * whole and the query runs here, where matching can be Unicode-aware
 * (SQLite's LIKE folds the case of ASCII letters only).
 */
import type { ExperimentList, ExperimentQuery, ExperimentSummary } from '../../shared/contract'
import { runStatuses } from '../../shared/status'

/** Case- and width-folded text for matching. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase()
}

/** A bound as an ISO instant: a date alone covers its whole day (UTC). */
function instant(bound: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(bound)) return `${bound}T${end ? '23:59:59.999' : '00:00:00.000'}Z`
  return new Date(bound).toISOString()
}

function matches(e: ExperimentSummary, q: ExperimentQuery): boolean {
  if (q.text !== undefined) {
    const haystack = fold([e.name, e.notes, ...e.tags].join('\n'))
    if (!fold(q.text).split(/\s+/).filter(Boolean).every((w) => haystack.includes(w))) return false
  }
  if (q.tags && q.tags.length > 0) {
    const carried = new Set(e.tags.map(fold))
    if (!q.tags.every((t) => carried.has(fold(t)))) return false
  }
  if (q.hypervisors && q.hypervisors.length > 0 && !q.hypervisors.some((h) => e.hypervisors.includes(h))) return false
  if (q.statuses && q.statuses.length > 0 && !q.statuses.includes(e.last_run?.status ?? 'none')) return false
  if (q.from !== undefined && e.activity_at < instant(q.from, false)) return false
  if (q.to !== undefined && e.activity_at > instant(q.to, true)) return false
  return true
}

const byName = (a: ExperimentSummary, b: ExperimentSummary): number =>
  a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }) || a.id.localeCompare(b.id)

const compare: Record<NonNullable<ExperimentQuery['sort']>, (a: ExperimentSummary, b: ExperimentSummary) => number> = {
  activity: (a, b) => a.activity_at.localeCompare(b.activity_at),
  name: byName,
  created: (a, b) => a.created_at.localeCompare(b.created_at),
  runs: (a, b) => a.runs - b.runs,
  status: (a, b) => statusRank(a) - statusRank(b),
  hypervisor: (a, b) => a.hypervisors.join(',').localeCompare(b.hypervisors.join(','))
}

/** Where the status of an experiment's latest run sorts: in the order runStatuses lists them (queued and running first); never run last. */
function statusRank(e: ExperimentSummary): number {
  const at = e.last_run ? runStatuses.indexOf(e.last_run.status) : -1
  return at < 0 ? runStatuses.length : at
}

/** Names, statuses and hypervisors read in alphabetical order by default; dates and counts newest and most first. */
const ASCENDING = new Set<string>(['name', 'status', 'hypervisor'])

function facet(values: string[][]): { value: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const list of values) for (const v of new Set(list)) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
}

/** The experiments of `all` that match `q`, sorted, with the tags and hypervisors `all` holds. */
export function queryLibrary(all: readonly ExperimentSummary[], q: ExperimentQuery): ExperimentList {
  const sort = q.sort ?? 'activity'
  const sign = (q.order ?? (ASCENDING.has(sort) ? 'asc' : 'desc')) === 'asc' ? 1 : -1
  const found = all.filter((e) => matches(e, q)).sort((a, b) => sign * compare[sort](a, b) || byName(a, b))
  return {
    experiments: q.limit !== undefined ? found.slice(0, q.limit) : found,
    total: found.length,
    facets: { tags: facet(all.map((e) => e.tags)), hypervisors: facet(all.map((e) => e.hypervisors)) }
  }
}
