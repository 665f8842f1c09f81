/**
 * Which techniques each hypervisor picks by default on each CPU — what
 * `cpu_virt: auto` and `mmu_virt: auto` resolve to — for an unmodified guest
 * and for a paravirtualized one. Computed from the catalog with the same rule
 * the validator and the engine use, so the table cannot drift from a run.
 */
import { cpus, hypervisors } from '../catalog'
import { hostSchema, vmSchema } from './schema'
import { techniquesFor } from './techniques'

/** One hypervisor's defaults: per CPU id, `cpu + mmu` (e.g. `hw + nested`), or `refused: why`. */
export interface TechniqueDefaults {
  id: string
  name: string
  kind: 'defaults'
  unmodified: Record<string, string>
  paravirtualized: Record<string, string>
  sources: { unmodified: string; paravirtualized: string }
}

const RULE =
  "resolved from the catalog by Hyperlab's rule for auto: nested paging where the CPU has EPT/RVI and the hypervisor uses that vendor's flavour; PV for a paravirtualized guest on Xen (or VMI on ESX without nested paging); else the hypervisor's first CPU technique the CPU supports, with shadow paging"

function resolved(hypervisor: string, cpu: string, paravirt: boolean): string {
  const host = hostSchema.parse({ id: 'h', cpu, hypervisor })
  const vm = vmSchema.parse({ id: 'v', host: 'h', guest: { os: 'linux', paravirt }, workload: 'cpu-int' })
  const out = techniquesFor(host, hypervisors[hypervisor]!, cpus[cpu]!, vm)
  return 'reason' in out ? `refused: ${out.reason}` : `${out.cpu} + ${out.mmu}`
}

export function techniqueDefaults(): TechniqueDefaults[] {
  return Object.values(hypervisors).map((hv) => ({
    id: hv.id,
    name: hv.name,
    kind: 'defaults',
    unmodified: Object.fromEntries(Object.keys(cpus).map((c) => [c, resolved(hv.id, c, false)])),
    paravirtualized: Object.fromEntries(Object.keys(cpus).map((c) => [c, resolved(hv.id, c, true)])),
    sources: { unmodified: RULE, paravirtualized: RULE }
  }))
}
