/**
 * The dashboard summary's rows, one per VM, from whichever source the page
 * has: the stored summary of an ended run (exact), the summary at a moment of
 * a replay (from the stored windows; its p99 is the worst window's, an upper
 * bound), or the windows streamed so far by a live run. Sorted by any column.
 */
import type { RunResult, SummaryAt } from '../api/shared'
import type { SampleSeries } from '../charts/sampleSeries'
import { vmOverhead, type VmOverhead } from '../api/shared'

export interface SummaryRow {
  vm: string
  throughput: number | null
  latencyMean: number | null
  latencyP99: number | null
  cpuPct: number | null
  diskIops: number | null
  /** Only from a complete summary (it needs the baselines). */
  overhead: VmOverhead | null
}

export type SummarySource = 'result' | 'moment' | 'live'

export const SORT_KEYS = ['vm', 'throughput', 'latencyMean', 'latencyP99', 'cpuPct', 'diskIops', 'overhead'] as const
export type SortKey = (typeof SORT_KEYS)[number]

export function rowsFromResult(result: RunResult): SummaryRow[] {
  return Object.entries(result.vms).map(([vm, v]) => ({
    vm,
    throughput: v.throughput_ops_s,
    latencyMean: v.latency_ms.mean,
    latencyP99: v.latency_ms.p99,
    cpuPct: v.cpu.guest_pct + v.cpu.hypervisor_pct,
    diskIops: v.disk.iops,
    overhead: vmOverhead(v)
  }))
}

export function rowsFromMoment(at: SummaryAt): SummaryRow[] {
  return Object.entries(at.vms).map(([vm, v]) => ({
    vm,
    throughput: v.throughput_ops_s,
    latencyMean: v.latency_mean_ms,
    latencyP99: v.latency_p99_max_ms,
    cpuPct: v.cpu_pct,
    diskIops: v.disk_iops,
    overhead: null
  }))
}

function mean(col: readonly (number | null)[], from: number): number | null {
  let sum = 0
  let n = 0
  for (let i = from; i < col.length; i++) {
    const v = col[i]
    if (v === null || v === undefined) continue
    sum += v
    n++
  }
  return n === 0 ? null : sum / n
}

function worst(col: readonly (number | null)[], from: number): number | null {
  let w: number | null = null
  for (let i = from; i < col.length; i++) {
    const v = col[i]
    if (v !== null && v !== undefined && (w === null || v > w)) w = v
  }
  return w
}

/** A live run's windows so far, after the warm-up: means of the windows (p99: the worst window's). */
export function rowsFromSeries(series: SampleSeries, warmupS: number): SummaryRow[] {
  let from = series.x.findIndex((x) => x > warmupS)
  if (from < 0) from = series.x.length
  return series.vms.map((vm) => {
    const c = series.vm(vm)!
    return {
      vm,
      throughput: mean(c.throughput, from),
      latencyMean: mean(c.latencyMean, from),
      latencyP99: worst(c.latencyP99, from),
      cpuPct: mean(c.cpuPct, from),
      diskIops: mean(c.diskIops, from),
      overhead: null
    }
  })
}

/** The headline overhead in %, for ranking (null without a baseline). */
export function headlinePct(row: SummaryRow): number | null {
  return row.overhead ? row.overhead.figures[row.overhead.headline].pct : null
}

function sortValue(row: SummaryRow, key: SortKey): number | string | null {
  if (key === 'vm') return row.vm
  if (key === 'overhead') return headlinePct(row)
  return row[key]
}

/** Rows sorted by `key`; missing values last whichever the direction. */
export function sortRows(rows: readonly SummaryRow[], key: SortKey, descending: boolean): SummaryRow[] {
  const dir = descending ? -1 : 1
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key)
    const y = sortValue(b, key)
    if (x === null && y === null) return 0
    if (x === null) return 1
    if (y === null) return -1
    if (typeof x === 'string' || typeof y === 'string') return dir * String(x).localeCompare(String(y), undefined, { numeric: true })
    return dir * (x - y)
  })
}
