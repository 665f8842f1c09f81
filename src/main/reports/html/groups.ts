/**
 * How a report arranges many VMs: grouped by host in the experiment's order
 * (as a datacenter is read), with a colour per VM that is distinct within
 * its group, and per-VM bar charts cut into chunks of whole hosts so that no
 * chart is taller than a page.
 */
import { catalog } from '../../../shared/catalog'
import type { Experiment } from '../../../shared/experiment'
import type { RunResult } from '../../../shared/result'
import { seriesColour } from '../charts'

export interface VmGroup {
  host: string
  /** `h1 — VMware ESX 4.0 on Intel Xeon X5570 (…)`. */
  title: string
  vms: string[]
}

/** Above this many VMs, time charts become one small chart per host. */
export const SMALL_MULTIPLES_ABOVE = 10

export function vmGroups(exp: Experiment, result: RunResult): VmGroup[] {
  const inResult = new Set(Object.keys(result.vms))
  return exp.hosts
    .map((h) => ({
      host: h.id,
      title: `${h.id} — ${catalog.hypervisors[h.hypervisor]?.name ?? h.hypervisor} on ${catalog.cpus[h.cpu]?.name ?? h.cpu}`,
      vms: exp.vms.filter((v) => v.host === h.id && inResult.has(v.id)).map((v) => v.id)
    }))
    .filter((g) => g.vms.length > 0)
}

/** Every VM's colour: its place in its host group when the run is drawn per host, else its place in the run. */
export function vmColours(groups: readonly VmGroup[]): Map<string, string> {
  const perHost = groups.reduce((n, g) => n + g.vms.length, 0) > SMALL_MULTIPLES_ABOVE && groups.length > 1
  const out = new Map<string, string>()
  let i = 0
  for (const g of groups) {
    g.vms.forEach((vm, k) => out.set(vm, seriesColour(perHost ? k : i + k)))
    i += g.vms.length
  }
  return out
}

/** Consecutive VMs in chunks of at most `max`, keeping a host's VMs together where they fit. */
export function chunkVms(groups: readonly VmGroup[], max: number): string[][] {
  const chunks: string[][] = []
  let current: string[] = []
  for (const g of groups) {
    if (current.length > 0 && current.length + g.vms.length > max) {
      chunks.push(current)
      current = []
    }
    for (const vm of g.vms) {
      if (current.length >= max) {
        chunks.push(current)
        current = []
      }
      current.push(vm)
    }
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}
