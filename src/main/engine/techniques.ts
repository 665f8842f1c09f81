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
 */
import type { CpuSpec, HypervisorSpec, TechniqueId } from '../../shared/catalog'
import type { Host, Vm } from '../../shared/experiment/schema'

export interface Techniques {
  cpu: 'native' | 'bt' | 'hw' | 'pv'
  mmu: 'native' | 'shadow' | 'nested' | 'direct'
  /** Key into the catalog's technique costs. */
  costs: TechniqueId
}

export function resolveTechniques(host: Host, hv: HypervisorSpec, cpu: CpuSpec, vm: Vm): Techniques {
  if (hv.family === 'native') return { cpu: 'native', mmu: 'native', costs: 'native' }
  const where = `VM "${vm.id}" on host "${host.id}"`
  const nestedOk = cpu.nestedPaging && hv.mmuVirt.includes('nested') && hv.nestedVendors.includes(cpu.vendor)
  const paravirt = vm.guest.paravirt

  let cpuT = host.cpu_virt
  let mmuT = host.mmu_virt
  if (cpuT === 'pv' && !paravirt) throw new Error(`${where}: cpu_virt "pv" needs a paravirtualized guest (guest.paravirt: true)`)
  if (cpuT === 'hw' && !cpu.hwVirt) throw new Error(`${where}: ${cpu.name} has no VT-x/AMD-V`)
  if (mmuT === 'nested' && !nestedOk) throw new Error(`${where}: ${hv.name} cannot use nested paging on ${cpu.name}`)

  if (cpuT === 'auto') {
    const offersPv = hv.cpuVirt.includes('pv') && paravirt
    if (offersPv && (hv.family === 'xen' || !(nestedOk && mmuT !== 'shadow'))) cpuT = 'pv'
    else if (nestedOk && mmuT !== 'shadow' && cpu.hwVirt && hv.cpuVirt.includes('hw')) cpuT = 'hw'
    else {
      const first = hv.cpuVirt.find((t) => (t === 'hw' ? cpu.hwVirt : t === 'bt'))
      if (!first) throw new Error(`${where}: ${hv.name} needs VT-x/AMD-V, which ${cpu.name} lacks`)
      cpuT = first
    }
  }
  if (cpuT === 'pv') return { cpu: 'pv', mmu: 'direct', costs: 'pv' }
  if (mmuT === 'auto') mmuT = cpuT === 'hw' && nestedOk ? 'nested' : 'shadow'
  if (mmuT === 'nested' && cpuT !== 'hw') throw new Error(`${where}: nested paging needs cpu_virt "hw"`)
  if (cpuT === 'bt') return { cpu: 'bt', mmu: 'shadow', costs: 'bt' }
  return { cpu: 'hw', mmu: mmuT, costs: mmuT === 'nested' ? 'hw-nested' : 'hw-shadow' }
}
