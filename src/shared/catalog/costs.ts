/**
 * Per-event CPU costs of each virtualization technique (docs/model.md §2–3).
 * Cycles are on the Pentium 4 672 on which Adams & Agesen measured them; the
 * engine scales the handler part by a CPU's `ipcVsP4` and adds that CPU's own
 * VM-exit round trip for every hardware exit an event takes. A technique's
 * cost *replaces* the native one; the difference is the virtualization tax.
 */
import { byId } from './byId'
import { SRC } from './sources'

export type TechniqueId = 'native' | 'bt' | 'hw-shadow' | 'hw-nested' | 'pv'

/** What one guest event costs under a technique: handler cycles (P4) plus hardware exits. */
export interface EventCost {
  cycles: number
  exits: number
}

export interface TechniqueCosts {
  id: TechniqueId
  name: string
  syscall: EventCost
  pageFault: EventCost
  pteUpdate: EventCost
  contextSwitch: EventCost
  ioAccess: EventCost
  timerTick: EventCost
  /** A TLB miss that finds no shadow entry yet: a fault the guest never sees. */
  hiddenFault: EventCost
  /** Hypercall/notification from a paravirtual driver (kick, event channel), outside any exit. */
  notify: EventCost
  /** Delivering one device interrupt to the guest (injection, acknowledge), beyond the guest's own handler. */
  interrupt: EventCost
  /** Page-table dimensions walked on a TLB miss: 1 (native, shadow, direct paging) or 2 (nested). */
  walkDims: 1 | 2
  /** A call/return pair in guest-kernel code, cycles: translated code pays for its returns through the translation cache. */
  callReturn: number
  sources: Record<string, string>
}

const c = (cycles: number, exits = 0): EventCost => ({ cycles, exits })
const AA = SRC.adamsAgesen
const HW_SPLIT = `${AA} total on P4 less the Prescott round trip 1,926 (${SRC.bugnion}) = handler part`

export const techniques: Record<TechniqueId, TechniqueCosts> = {
  native: {
    id: 'native', name: 'Native (no VMM)',
    syscall: c(250), pageFault: c(1093), pteUpdate: c(1), contextSwitch: c(800), ioAccess: c(3209),
    timerTick: c(2000), hiddenFault: c(0), notify: c(0), interrupt: c(0), walkDims: 1, callReturn: 11,
    sources: {
      callReturn: `${AA}: call/ret 11 cycles natively`,
      syscall: `${AA}: native syscall is the base of the figure; estimate 250 cycles for a null syscall on NetBurst`,
      pageFault: `${AA}: 1,093`, pteUpdate: `${AA}: one store`, ioAccess: `${AA}: in 3,209`,
      contextSwitch: 'estimate: CR3 load + scheduler path on a P4 (the TLB refill is charged separately)',
      timerTick: 'estimate: timer interrupt handler ≈ 0.5 µs on a P4', walkDims: 'one-dimensional walk',
      interrupt: 'the guest handles its own interrupts natively (in the driver cost)',
      hiddenFault: 'no shadow tables natively', notify: 'no hypervisor to notify natively'
    }
  },
  bt: {
    id: 'bt', name: 'Binary translation (software VMM), shadow paging',
    syscall: c(2250), pageFault: c(3927), pteUpdate: c(391), contextSwitch: c(2500), ioAccess: c(214),
    timerTick: c(4000), hiddenFault: c(3927), notify: c(2000), interrupt: c(2000), walkDims: 1, callReturn: 51,
    sources: {
      callReturn: `${AA}: call/ret 51 cycles in translated code (the return's target is looked up in the translation cache)`,
      syscall: `${AA}: about +2,000 over native`, pageFault: `${AA}: 3,927`, pteUpdate: `${AA}: ptemod 391 (adaptive translation)`,
      ioAccess: `${AA}: in 214 (translated into a call to the device model)`,
      contextSwitch: 'estimate: translated CR3 write switches the shadow root (cache hit in the shadow table cache)',
      timerTick: 'estimate: virtual interrupt delivery through the VMM ≈ 2× native',
      hiddenFault: `${AA}: hidden faults cost as a page fault`, notify: 'estimate: a VMI/backdoor call from translated code',
      interrupt: 'estimate: virtual interrupt delivery and virtual APIC acknowledge in the VMM',
      walkDims: 'shadow tables are walked by the hardware in one dimension'
    }
  },
  'hw-shadow': {
    id: 'hw-shadow', name: 'Hardware CPU virtualization (VT-x/AMD-V), shadow paging',
    syscall: c(250), pageFault: c(7390, 2), pteUpdate: c(10807, 1), contextSwitch: c(4000, 1), ioAccess: c(13900, 1),
    timerTick: c(5000, 1), hiddenFault: c(2834, 1), notify: c(2000, 1), interrupt: c(1000, 1), walkDims: 1, callReturn: 11,
    sources: {
      syscall: `${AA}: about native (syscalls do not exit)`,
      callReturn: `${AA}: guest code runs directly under VT-x (call/ret as native)`,
      pageFault: `${AA} total on P4 (11,242) less two Prescott round trips of 1,926 (${SRC.bugnion}): one exit for the intercepted #PF (reflected into the guest with the entry), one for the guest handler's write to its write-protected page table = 7,390 of handler`,
      pteUpdate: `${HW_SPLIT}: 12,733 − 1,926`, ioAccess: `${HW_SPLIT}: 15,826 − 1,926`,
      contextSwitch: 'estimate: CR3 exit, shadow root look-up and switch', timerTick: 'estimate: native handler + APIC timer emulation and injection',
      hiddenFault: `one exit (#PF intercepted) plus the monitor's shadow fill, the same software binary translation runs: ${AA} BT hidden fault 3,927 less the native trap 1,093 = 2,834 (estimate: VMware's monitor shares its shadow-paging code between BT and VT-x)`,
      notify: 'estimate: a kick is one I/O exit with little decoding',
      interrupt: 'estimate: external-interrupt exit + event injection (model.md §4 step 7)',
      walkDims: 'shadow tables are walked by the hardware in one dimension'
    }
  },
  'hw-nested': {
    id: 'hw-nested', name: 'Hardware CPU virtualization, nested paging (EPT/RVI)',
    syscall: c(250), pageFault: c(1093), pteUpdate: c(1), contextSwitch: c(800), ioAccess: c(13900, 1),
    timerTick: c(5000, 1), hiddenFault: c(0), notify: c(2000, 1), interrupt: c(1000, 1), walkDims: 2, callReturn: 11,
    sources: {
      callReturn: 'guest code runs directly (call/ret as native)',
      syscall: `${AA}: no exit`, pageFault: 'model.md §3: no trap under nested paging (native cost)',
      pteUpdate: 'model.md §3: no trap (native cost)', contextSwitch: 'model.md §3: CR3 loads do not exit (native cost)',
      ioAccess: HW_SPLIT, timerTick: 'as hw-shadow', hiddenFault: 'no shadow tables', notify: 'as hw-shadow', interrupt: 'as hw-shadow',
      walkDims: `${SRC.bhargava}: two-dimensional walk`
    }
  },
  pv: {
    id: 'pv', name: 'Paravirtual CPU (Xen PV, VMware VMI), direct paging',
    syscall: c(1250), pageFault: c(2600), pteUpdate: c(400), contextSwitch: c(2000), ioAccess: c(1500),
    timerTick: c(3500), hiddenFault: c(0), notify: c(1200), interrupt: c(1000), walkDims: 1, callReturn: 11,
    sources: {
      callReturn: 'a paravirtual kernel runs directly in ring 1 (call/ret as native)',
      syscall: 'model.md §2: on x86-64 Xen PV syscalls bounce through the hypervisor; estimate +1,000 cycles',
      pageFault: 'estimate: fault enters Xen, bounced to the guest kernel (Barham et al., SOSP 2003)',
      pteUpdate: 'model.md §2: PTE updates batched in multicalls; estimate 1,500-cycle hypercall / ~8 + validation',
      contextSwitch: 'estimate: new-baseptr hypercall with validation', ioAccess: 'estimate: privileged I/O as a hypercall',
      timerTick: 'estimate: virtual timer via event channel', hiddenFault: 'direct paging: no shadow tables',
      notify: 'estimate: event-channel send hypercall', interrupt: 'estimate: event-channel upcall',
      walkDims: 'direct paging: the guest\'s own tables (validated by Xen) are walked in one dimension'
    }
  }
}

/** Constants of the cost model that are not per technique. */
export const costModel = {
  /** Cycles per guest instruction on the P4 reference for ordinary integer code. */
  baseCpi: 1.25,
  /** TLB entries refilled after a flush (exit or world switch without VPID/ASID). */
  tlbRefillMisses: 16,
  /** Share of TLB misses that find no shadow entry yet (shadow paging only). */
  hiddenFaultsPerTlbMiss: 0.002,
  /** Hidden faults per guest page fault under shadow paging: the new mapping is shadowed on its first access. */
  hiddenFaultsPerPageFault: 1,
  /** TLB misses left when the effective page is 2 MB instead of 4 KB. */
  largePageMissFactor: 0.1,
  /** Returns per 1,000 guest-kernel instructions that go through the translation cache's look-up (binary translation). */
  kernelReturnsPerKInstr: 5,
  /** Levels of an x86-64 page table walked for a 4 KB page, and for a 2 MB page (the walk ends at the directory entry). */
  pageTableLevels: 4,
  largePageTableLevels: 3,
  /** Timer interrupts per second per vCPU by guest OS. */
  timerHz: { linux: 1000, windows: 64 } as Record<string, number>,
  sources: {
    baseCpi: 'estimate: NetBurst sustains ~0.8 IPC on SPECint-like code',
    tlbRefillMisses: `estimate: after a flush (an exit or world switch without VPID/ASID, or a CR3 load) the code that runs next re-touches about a quarter of a 64-entry DTLB before the next flush; a full refill on every exit would also double-count the small refill inside the per-event totals measured on the P4 (${SRC.adamsAgesen})`,
    hiddenFaultsPerTlbMiss: `estimate: shadow tables are filled lazily; ${SRC.adamsAgesen} (hidden page faults)`,
    hiddenFaultsPerPageFault: `${SRC.adamsAgesen}: a guest page fault writes a guest PTE the shadow does not have yet; the first access after it takes a hidden fault to fill the shadow entry (estimate: one per guest fault)`,
    largePageMissFactor: 'estimate: a 2 MB page covers 512× a 4 KB page; misses fall by an order of magnitude on the random working sets of the memory-tlb preset',
    timerHz: SRC.linuxHz,
    pageTableLevels: 'Intel SDM Vol. 3A §4.5: IA-32e paging walks PML4, PDPT, PD and PT for a 4 KB page (A)',
    largePageTableLevels: 'Intel SDM Vol. 3A §4.5: a 2 MB page is mapped by the PD entry, one level fewer (A)',
    kernelReturnsPerKInstr: `estimate: kernel code makes a call/return pair every 50–100 instructions; about one return in ten to twenty misses the translator's inline return prediction and pays the look-up measured by ${SRC.adamsAgesen} (call/ret 51 against 11 cycles)`
  }
}

byId(techniques)
