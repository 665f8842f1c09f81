/**
 * Which CPU and MMU virtualization technique a VM actually gets: the host's
 * `cpu_virt`/`mmu_virt` settings, or for `auto` the hypervisor's default for
 * this CPU and guest. Rules of `auto`:
 *  - nested paging when the CPU has EPT/RVI and the hypervisor uses that
 *    vendor's flavour (ESX 3.5 knew RVI but not EPT) — then hardware CPU
 *    virtualization, since nested paging needs it;
 *  - a paravirtualized guest on Xen runs PV (direct paging) even if nested
 *    paging exists (HAP is for HVM guests); on ESX, VMI is used when there is
 *    no nested paging;
 *  - otherwise the first of the hypervisor's `cpuVirt` the CPU supports
 *    (`hw` needs VT-x/AMD-V; `pv` needs a paravirtual guest), with shadow paging.
 * The same rule serves validation (a reason becomes an issue at the field)
 * and the engine, so a file that validates always builds.
 */
import type { CpuSpec, HypervisorSpec, TechniqueId } from '../catalog'
import type { Host, Vm } from './schema'

export interface Techniques {
  cpu: 'native' | 'bt' | 'hw' | 'pv'
  mmu: 'native' | 'shadow' | 'nested' | 'direct'
  /** Key into the catalog's technique costs. */
  costs: TechniqueId
}

/** Why a VM cannot run as configured, and which field to fix. */
export interface TechniqueProblem {
  field: 'cpu_virt' | 'mmu_virt' | 'guest'
  reason: string
}

export function resolveTechniques(host: Host, hv: HypervisorSpec, cpu: CpuSpec, vm: Vm): Techniques {
  const out = techniquesFor(host, hv, cpu, vm)
  if ('reason' in out) throw new Error(`VM "${vm.id}" on host "${host.id}": ${out.reason}`)
  return out
}

export function techniquesFor(host: Host, hv: HypervisorSpec, cpu: CpuSpec, vm: Vm): Techniques | TechniqueProblem {
  if (hv.family === 'native') return { cpu: 'native', mmu: 'native', costs: 'native' }
  const nestedOk = cpu.nestedPaging && hv.mmuVirt.includes('nested') && hv.nestedVendors.includes(cpu.vendor)
  const paravirt = vm.guest.paravirt

  let cpuT = host.cpu_virt
  let mmuT = host.mmu_virt
  if (cpuT === 'pv' && !paravirt) {
    return { field: 'guest', reason: `host "${host.id}" sets cpu_virt "pv", which needs a paravirtualized guest (guest.paravirt: true)` }
  }
  if (cpuT === 'hw' && !cpu.hwVirt) return { field: 'cpu_virt', reason: `${cpu.name} has no VT-x/AMD-V` }
  if (mmuT === 'nested' && !nestedOk) return { field: 'mmu_virt', reason: `${hv.name} cannot use nested paging on ${cpu.name}` }

  if (cpuT === 'auto') {
    const offersPv = hv.cpuVirt.includes('pv') && paravirt
    if (offersPv && (hv.family === 'xen' || !(nestedOk && mmuT !== 'shadow'))) cpuT = 'pv'
    else if (nestedOk && mmuT !== 'shadow' && cpu.hwVirt && hv.cpuVirt.includes('hw')) cpuT = 'hw'
    else {
      const first = hv.cpuVirt.find((t) => (t === 'hw' ? cpu.hwVirt : t === 'bt'))
      if (!first) return { field: 'cpu_virt', reason: `${hv.name} needs VT-x/AMD-V, which ${cpu.name} lacks` }
      cpuT = first
    }
  }
  if (cpuT === 'pv') return { cpu: 'pv', mmu: 'direct', costs: 'pv' }
  if (mmuT === 'auto') mmuT = cpuT === 'hw' && nestedOk ? 'nested' : 'shadow'
  if (mmuT === 'nested' && cpuT !== 'hw') return { field: 'mmu_virt', reason: `nested paging needs cpu_virt "hw" (this host uses "${cpuT}")` }
  if (cpuT === 'bt') return { cpu: 'bt', mmu: 'shadow', costs: 'bt' }
  return { cpu: 'hw', mmu: mmuT, costs: mmuT === 'nested' ? 'hw-nested' : 'hw-shadow' }
}
