/**
 * Per-host lines derived from the VMs' sample windows: the host's CPU busy
 * (its VMs' vCPU time over its cores, %) split into the guests' own work and
 * the hypervisor's work for them, and its disk IOPS, disk MB/s and network
 * Gb/s (sums over its VMs). Samples carry VMs only, so these are what the VMs
 * account for; world switches between vCPUs are in the summary's host table.
 *
 * A VM counts on the host it runs on: its configured host until a live
 * migration of it completes, then the migration's target. The moves come from
 * the result's timeline records (what became of each `migrate` event), which
 * a live run receives only when it ends: until then its VMs count on their
 * configured hosts, and the charts redraw with the moves once the result is in.
 */
import { catalog, type EventResult, type Experiment } from '../api/shared'
import type { Column, SampleSeries, VmColumns } from '../charts/sampleSeries'
import { str } from '../builder/loose'

export interface HostColumns {
  host: string
  cpuPct: Column
  /** Of cpuPct: the guests' own work (page walks included) and the hypervisor's work for them (exits, device emulation, its I/O work). */
  cpuGuestPct: Column
  cpuHypervisorPct: Column
  diskIops: Column
  diskMbS: Column
  netGbps: Column
}

/** A VM's move: from the end of the window in which it completed, it runs on `to`. */
export interface VmMove {
  vm: string
  doneS: number
  to: string
}

/** Completed live migrations, in the order they completed. */
export function migrationMoves(timeline: readonly EventResult[] | null | undefined): VmMove[] {
  const moves: VmMove[] = []
  for (const r of timeline ?? []) {
    if (r.do !== 'migrate' || !r.ok || typeof r.done_s !== 'number') continue
    const vm = str(r.vm)
    const to = str(r.to)
    if (vm !== '' && to !== '') moves.push({ vm, doneS: r.done_s, to })
  }
  return moves.sort((a, b) => a.doneS - b.doneS)
}

/**
 * The host each row of `x` (window ends, s) counts a VM on. A window in which
 * the migration completed counts on the target: part of it ran on the source,
 * which a window's totals cannot tell apart.
 */
function hostByRow(x: readonly number[], configured: string, moves: readonly VmMove[]): string[] {
  const out = new Array<string>(x.length)
  let host = configured
  let m = 0
  for (let i = 0; i < x.length; i++) {
    while (m < moves.length && moves[m]!.doneS <= x[i]!) host = moves[m++]!.to
    out[i] = host
  }
  return out
}

type Pick = 'cpuPct' | 'cpuGuestPct' | 'cpuHypervisorPct' | 'diskIops' | 'diskMbS' | 'netGbps'
const CPU_PICKS = ['cpuPct', 'cpuGuestPct', 'cpuHypervisorPct'] as const
const SUM_PICKS = ['diskIops', 'diskMbS', 'netGbps'] as const

export function hostSeries(series: SampleSeries, exp: Experiment, timeline: readonly EventResult[] | null = null): HostColumns[] {
  const n = series.x.length
  const moves = migrationMoves(timeline)
  const hosts = exp.hosts.map((h) => {
    const out = { host: h.id } as HostColumns
    for (const k of [...CPU_PICKS, ...SUM_PICKS]) out[k] = new Array<number | null>(n).fill(null)
    return out
  })
  const byId = new Map(hosts.map((h) => [h.host, h]))
  const cores = new Map(exp.hosts.map((h) => [h.id, (catalog.cpus[h.cpu]?.cores ?? 1) * h.sockets]))
  /** Per measure, the rows some VM recorded it in: there a host without VMs reads 0, not a gap. */
  const seen = new Map<Pick, Uint8Array>()
  for (const k of [...CPU_PICKS, ...SUM_PICKS]) seen.set(k, new Uint8Array(n))
  const add = (to: HostColumns, k: Pick, i: number, v: number | null | undefined, scale: number): void => {
    if (v === null || v === undefined) return
    to[k][i] = (to[k][i] ?? 0) + v * scale
    seen.get(k)![i] = 1
  }
  for (const vm of exp.vms) {
    const c: VmColumns | undefined = series.vm(vm.id)
    if (!c) continue
    const where = hostByRow(series.x, vm.host, moves.filter((m) => m.vm === vm.id))
    for (let i = 0; i < n; i++) {
      const h = byId.get(where[i]!)
      if (!h) continue
      const cpuScale = vm.vcpus / (cores.get(h.host) ?? 1)
      for (const k of CPU_PICKS) add(h, k, i, c[k][i], cpuScale)
      for (const k of SUM_PICKS) add(h, k, i, c[k][i], 1)
    }
  }
  for (const [k, rows] of seen) for (const h of hosts) for (let i = 0; i < n; i++) if (rows[i] && h[k][i] === null) h[k][i] = 0
  return hosts
}
