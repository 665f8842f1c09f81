/**
 * Which techniques each hypervisor picks by default on each CPU — what
 * `cpu_virt: auto` and `mmu_virt: auto` resolve to — for an unmodified guest
 * and for a paravirtualized one. Computed from the catalog with the same rule
 * the validator and the engine use, so the table cannot drift from a run.
 */
import { cpus, hypervisors, type HypervisorSpec } from '../catalog'
import { hostSchema, vmSchema, type Vm } from './schema'
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

export function techniqueDefaults(): TechniqueDefaults[] {
  // One host and one VM per guest kind with every setting at its default (cpu_virt and mmu_virt: auto),
  // parsed once; only the CPU and the hypervisor change from cell to cell.
  const host = hostSchema.parse({ id: 'h', cpu: 'cpu', hypervisor: 'hypervisor' })
  const vmWith = (paravirt: boolean): Vm => vmSchema.parse({ id: 'v', host: 'h', guest: { os: 'linux', paravirt }, workload: 'cpu-int' })
  const unmodified = vmWith(false)
  const paravirtualized = vmWith(true)
  const row = (hv: HypervisorSpec, vm: Vm): Record<string, string> =>
    Object.fromEntries(
      Object.entries(cpus).map(([id, cpu]) => {
        const out = techniquesFor({ ...host, cpu: id, hypervisor: hv.id }, hv, cpu, vm)
        return [id, 'reason' in out ? `refused: ${out.reason}` : `${out.cpu} + ${out.mmu}`]
      })
    )
  return Object.values(hypervisors).map((hv) => ({
    id: hv.id,
    name: hv.name,
    kind: 'defaults',
    unmodified: row(hv, unmodified),
    paravirtualized: row(hv, paravirtualized),
    sources: { unmodified: RULE, paravirtualized: RULE }
  }))
}
