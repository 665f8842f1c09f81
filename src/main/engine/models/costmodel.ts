/**
 * Analytical cost accounting inside one operation (docs/model.md §2–4): the
 * CPU time of an operation on a configuration is Σ demand × per-event cost of
 * the resolved technique, plus page walks, plus the driver and device-path
 * work of the I/O it issues. Costs come in P4-672 cycles from the catalog; the
 * handler part is scaled by the CPU's work per cycle (`ipcVsP4`) and every
 * hardware exit adds this CPU's own round trip (and a TLB refill when the CPU
 * has no VPID/ASID). Time is split into the categories the result reports:
 * guest (what native would also spend), vm_exits (the technique's extra per
 * event, timer ticks, hidden faults), page_walks (extra walk references) and
 * device_emulation (trapped accesses, notifications, device models).
 */
import { costModel, network, SRC, techniques, type CpuSpec, type DeviceSpec, type DiskFormatSpec, type EventCost, type HypervisorSpec, type ResolvedWorkload, type TechniqueCosts } from '../../../shared/catalog'
import type { BreakdownKey } from '../../../shared/result'

type EventKey = 'syscall' | 'pageFault' | 'pteUpdate' | 'contextSwitch' | 'ioAccess'

/** One mechanism of an operation's cost: how often, how long each, how many hardware exits each, and why. */
export interface Mechanism {
  mechanism: string
  category: BreakdownKey
  perOp: number
  ns: number
  exits: number
  source: string
}

/** CPU time of one operation, ns, by category. */
export interface CpuSplit {
  guest: number
  exits: number
  walks: number
  emulation: number
}

/** An I/O mechanism: per request (disk) or per transfer (network); a `perBatch` one is paid once per notification batch. */
export interface IoMechanism extends Mechanism {
  perBatch: boolean
}

/** What a set of I/O mechanisms costs, by where it runs: the engine charges these. */
export interface IoSums {
  /** On the vCPU as guest work, ns. */
  guest: number
  /** On the vCPU as device emulation, per request (or transfer), ns. */
  emulation: number
  /** On the vCPU as device emulation, once per batch, ns. */
  emulationPerBatch: number
  /** The hypervisor's work on the host's cores, ns. */
  hypervisor: number
}

/** The sums the engine charges for a set of I/O mechanisms. */
export function ioSums(ms: readonly IoMechanism[]): IoSums {
  const out: IoSums = { guest: 0, emulation: 0, emulationPerBatch: 0, hypervisor: 0 }
  for (const m of ms) {
    const ns = m.perOp * m.ns
    if (m.category === 'guest') out.guest += ns
    else if (m.category === 'hypervisor_io') out.hypervisor += ns
    else if (m.perBatch) out.emulationPerBatch += ns
    else out.emulation += ns
  }
  return out
}

/** Sources of several fields as one text, each said once. */
export function sourcesOf(...texts: Array<string | undefined>): string {
  return [...new Set(texts.filter((t): t is string => !!t && t.trim().length > 0))].join('; ')
}

export class CostModel {
  /** Core clock, cycles per ns. */
  readonly ghz: number
  private readonly ipc: number
  /** Round trip of one hardware exit (0 when native), cycles. */
  private readonly roundTrip: number
  /** Refill after a TLB flush, ns. */
  readonly refillNs: number
  private readonly untagged: boolean
  private readonly native: TechniqueCosts
  readonly virtualized: boolean
  /** The guest's timer interrupts per second, and what each costs more than natively (0 natively), ns. */
  private readonly tickHz: number
  private readonly tickNs: number
  /** Share of CPU time lost to virtual timer ticks (0 natively). */
  private readonly timerTax: number

  constructor(
    readonly cpu: CpuSpec,
    readonly hv: HypervisorSpec,
    readonly tech: TechniqueCosts,
    private readonly hostLargePages: boolean,
    guestOs: string
  ) {
    this.ghz = cpu.ghz
    this.ipc = cpu.ipcVsP4
    this.virtualized = tech.id !== 'native'
    this.roundTrip = this.virtualized ? (cpu.exitRoundTripCycles ?? 0) : 0
    this.untagged = !cpu.taggedTlb
    this.refillNs = costModel.tlbRefillMisses * cpu.walkRefsNative * cpu.walkRefNs
    this.native = techniques.native
    this.tickHz = costModel.timerHz[guestOs] ?? 100
    this.tickNs = this.virtualized ? this.eventNs(tech.timerTick) - this.eventNs(this.native.timerTick) : 0
    this.timerTax = this.virtualized ? (this.tickHz * this.tickNs) / 1e9 : 0
    // Ticks that took all of a vCPU's time would leave it no progress; no catalog CPU comes near (under 1 %).
    if (this.timerTax >= 1) throw new Error(`${cpu.name} under ${tech.name}: virtual timer ticks would take all of a vCPU's time`)
  }

  /** P4-672 cycles of handler work → ns on this CPU. */
  cyclesNs(p4Cycles: number): number {
    return p4Cycles / this.ipc / this.ghz
  }

  /** One event under a technique: handler + round trip per exit (+ refill without a tagged TLB), ns. */
  eventNs(e: EventCost): number {
    if (!this.virtualized) return this.cyclesNs(e.cycles)
    const perExit = this.roundTrip / this.ghz + (this.untagged ? this.refillNs : 0)
    return this.cyclesNs(e.cycles) + e.exits * perExit
  }

  /** Hardware exits one event takes under this technique. */
  exitsOf(e: EventCost): number {
    return this.virtualized ? e.exits : 0
  }

  /**
   * The mechanisms behind an operation's own CPU work (no I/O), each with its
   * count per operation, time each, hardware exits each and source. `opCpu`
   * is their sum by category, so what the engine charges and what
   * `hyperlab explain` prints cannot disagree. Excludes the timer tax.
   */
  cpuMechanisms(w: ResolvedWorkload): Mechanism[] {
    const p = w.per_op
    const N = this.native
    const T = this.tech
    const out: Mechanism[] = []
    const ws = w.sources
    const add = (m: Mechanism): void => {
      if (m.perOp > 0 && m.ns !== 0) out.push(m)
    }
    add({ mechanism: 'guest instructions', category: 'guest', perOp: p.instructions, ns: this.cyclesNs(w.cpi), exits: 0, source: ws.instructions ?? ws.cpi ?? 'workload demand' })
    let exitsPerOp = 0
    const EVENTS: Array<[EventKey, number, string]> = [
      ['syscall', p.syscalls, 'system calls'],
      ['pageFault', p.page_faults, 'page faults'],
      ['pteUpdate', p.pte_updates, 'page-table (PTE) writes'],
      ['contextSwitch', p.context_switches, 'address-space switches (CR3 loads)'],
      ['ioAccess', p.io_accesses, 'privileged I/O-port/MMIO accesses']
    ]
    const demandKey: Record<EventKey, string> = {
      syscall: 'syscalls', pageFault: 'page_faults', pteUpdate: 'pte_updates', contextSwitch: 'context_switches', ioAccess: 'io_accesses'
    }
    for (const [k, n, label] of EVENTS) {
      if (n <= 0) continue
      const nativeNs = this.cyclesNs(N[k].cycles)
      const handlerNs = this.virtualized ? this.cyclesNs(T[k].cycles) : nativeNs
      const extra = handlerNs - nativeNs
      // A technique can beat the native path on an event (a translated `in` to a virtual port): the guest part shrinks.
      add({ mechanism: `${label} (native handling)`, category: 'guest', perOp: n, ns: extra < 0 ? handlerNs : nativeNs, exits: 0, source: `${N.sources[k] ?? 'native'}; demand: ${ws[demandKey[k]] ?? 'workload'}` })
      if (extra > 0) add({ mechanism: `${label}: ${T.name}`, category: 'vm_exits', perOp: n, ns: extra, exits: this.exitsOf(T[k]), source: T.sources[k] ?? T.name })
      exitsPerOp += n * this.exitsOf(T[k])
    }
    // Binary translation runs guest-kernel code from its translation cache: a return whose target the translator
    // did not predict inline pays the cache look-up (user code runs directly, as under every other technique).
    if (this.virtualized && T.callReturn > N.callReturn && p.kernel_instr_pct > 0) {
      const returns = (p.instructions * (p.kernel_instr_pct / 100) * costModel.kernelReturnsPerKInstr) / 1000
      add({ mechanism: 'translated guest-kernel code (returns through the translation cache)', category: 'vm_exits', perOp: returns, ns: this.cyclesNs(T.callReturn - N.callReturn), exits: 0, source: `${T.sources.callReturn ?? T.name}; ${costModel.sources.kernelReturnsPerKInstr}; demand: ${ws.kernel_instr_pct ?? 'workload'}` })
    }
    // A CR3 load flushes an untagged TLB natively too: the refill is guest work in every configuration.
    add({ mechanism: 'TLB refill after an address-space switch', category: 'guest', perOp: p.context_switches, ns: this.refillNs, exits: 0, source: costModel.sources.tlbRefillMisses })

    // Page walks. Natively the guest's page size decides; virtualized, a 2 MB TLB entry needs the host to back it with 2 MB too.
    const guestLarge = w.page_kb === 2048
    const effLarge = this.virtualized ? guestLarge && this.hostLargePages : guestLarge
    const kinstr = p.instructions / 1000
    const nativeMisses = kinstr * p.tlb_misses_per_kinstr * (guestLarge ? costModel.largePageMissFactor : 1)
    const misses = kinstr * p.tlb_misses_per_kinstr * (effLarge ? costModel.largePageMissFactor : 1)
    const refNs = this.cpu.walkRefNs
    // The catalog's references per walk are for a full 4-level walk; a walk ending at a 2 MB page has one level fewer.
    const L = costModel.pageTableLevels
    const LL = costModel.largePageTableLevels
    const nativeWalk = nativeMisses * this.cpu.walkRefsNative * ((guestLarge ? LL : L) / L) * refNs
    let techWalk: number
    let walkLabel: string
    let walkSource: string
    if (T.walkDims === 2) {
      // A two-dimensional walk of n guest and m host levels takes (n + 1)(m + 1) − 1 references uncached (Bhargava et al.);
      // walkRefsNested is the cached average of the full 4 × 4 walk, scaled by that count for shorter ones.
      const n = guestLarge ? LL : L
      const m = this.hostLargePages ? LL : L
      techWalk = misses * this.cpu.walkRefsNested * (((n + 1) * (m + 1) - 1) / ((L + 1) * (L + 1) - 1)) * refNs
      walkLabel = `two-dimensional page walks (${(n + 1) * (m + 1) - 1} references uncached, ${n}×${m} levels)`
      walkSource = `${T.sources.walkDims ?? 'nested paging'}; ${this.cpu.sources.walkRefsNested ?? 'CPU page-walk cache'}`
    } else {
      techWalk = misses * this.cpu.walkRefsNative * ((effLarge ? LL : L) / L) * refNs
      walkLabel = 'page walks on 4 KB host pages (the host does not back the guest\'s large pages)'
      walkSource = `${costModel.sources.largePageMissFactor}`
    }
    const guestWalk = Math.min(nativeWalk, techWalk)
    if (misses > 0) {
      add({ mechanism: 'TLB-miss page walks (native references)', category: 'guest', perOp: nativeMisses, ns: guestWalk / nativeMisses, exits: 0, source: `${this.cpu.sources.walkRefsNative ?? 'CPU'}; demand: ${ws.tlb_misses_per_kinstr ?? 'workload'}` })
      if (techWalk > nativeWalk) add({ mechanism: walkLabel, category: 'page_walks', perOp: misses, ns: (techWalk - nativeWalk) / misses, exits: 0, source: walkSource })
    }
    if (this.virtualized && T.hiddenFault.cycles > 0) {
      const hidden = misses * costModel.hiddenFaultsPerTlbMiss + p.page_faults * costModel.hiddenFaultsPerPageFault
      add({ mechanism: 'hidden page faults (filling shadow page tables)', category: 'vm_exits', perOp: hidden, ns: this.cyclesNs(T.hiddenFault.cycles), exits: this.exitsOf(T.hiddenFault), source: `${T.sources.hiddenFault ?? ''}; ${costModel.sources.hiddenFaultsPerPageFault}` })
      exitsPerOp += hidden * this.exitsOf(T.hiddenFault)
    }
    if (exitsPerOp > 0) {
      // The exits themselves are counted on the events that take them; this line is their round trips' time.
      add({ mechanism: `VM exit round trips (${this.cpu.name})`, category: 'vm_exits', perOp: exitsPerOp, ns: this.roundTrip / this.ghz, exits: 0, source: this.cpu.sources.exitRoundTripCycles ?? this.cpu.name })
      if (this.untagged) add({ mechanism: 'TLB refills after VM exits (no VPID/ASID)', category: 'vm_exits', perOp: exitsPerOp, ns: this.refillNs, exits: 0, source: `${this.cpu.sources.taggedTlb ?? 'CPU'}; ${costModel.sources.tlbRefillMisses}` })
    }
    return out
  }

  /** CPU time of an operation's own work (no I/O), split by category; excludes the timer tax. */
  opCpu(w: ResolvedWorkload): CpuSplit {
    const split: CpuSplit = { guest: 0, exits: 0, walks: 0, emulation: 0 }
    for (const m of this.cpuMechanisms(w)) {
      const ns = m.perOp * m.ns
      if (m.category === 'guest') split.guest += ns
      else if (m.category === 'vm_exits') split.exits += ns
      else if (m.category === 'page_walks') split.walks += ns
      else split.emulation += ns
    }
    return split
  }

  /** Virtual timer interrupts per second of vCPU time, and the extra time of each, ns. */
  timerTick(): { perS: number; ns: number; source: string } {
    return { perS: this.tickHz, ns: this.tickNs, source: `${costModel.sources.timerHz}; ${this.tech.sources.timerTick ?? ''}` }
  }

  /** Extra vCPU time a busy burst of `ns` pays for virtual timer ticks, ns. */
  timerNs(ns: number): number {
    return (ns * this.timerTax) / (1 - this.timerTax)
  }

  /**
   * The mechanisms behind one disk request through a virtual device: the guest driver, the device path on the
   * vCPU (trapped accesses and the device model, or a paravirtual ring's notification and interrupt, paid once
   * per batch), the hypervisor's storage stack and the format's layer on the host, and a software iSCSI
   * initiator. `perOp` counts per request; a `perBatch` line is paid once per notification batch. The engine
   * charges their sums (`ioSums`), and `hyperlab explain` lists them, so the two cannot disagree.
   */
  diskMechanisms(dev: DeviceSpec, kb: number, format: DiskFormatSpec | null, iscsi: { cycles: number; cyclesPerKb: number } | null): IoMechanism[] {
    const out: IoMechanism[] = []
    const src = dev.sources
    const add = (m: IoMechanism): void => {
      if (m.perOp > 0 && m.ns > 0) out.push(m)
    }
    add({ mechanism: 'guest driver', category: 'guest', perOp: 1, ns: this.cyclesNs(dev.guestDriverCycles), exits: 0, source: src.guestDriverCycles ?? dev.name, perBatch: false })
    const initiatorNs = iscsi ? this.cyclesNs(iscsi.cycles + iscsi.cyclesPerKb * kb) : 0
    if (!this.virtualized) {
      // Natively the software iSCSI initiator is the operating system's own work.
      add({ mechanism: 'software iSCSI initiator (guest OS)', category: 'guest', perOp: 1, ns: initiatorNs, exits: 0, source: 'catalog storage: software iSCSI initiator', perBatch: false })
      return out
    }
    this.devicePath(dev, 1, out)
    const hv = this.hv
    if (dev.path !== 'passthrough') {
      // An assigned adapter belongs to the guest: the hypervisor has no part in its I/O. A raw device mapping
      // (no format) still crosses the storage stack: VMware measured RDM and VMFS at about the same CPU per I/O.
      add({ mechanism: `${hv.name} storage stack (${hv.ioArchitecture})`, category: 'hypervisor_io', perOp: 1, ns: this.cyclesNs(hv.ioCyclesPerRequest + hv.ioCyclesPerKB * kb), exits: 0, source: sourcesOf(hv.sources.ioCyclesPerRequest, hv.sources.ioCyclesPerKB, format ? undefined : SRC.vmfsRdm), perBatch: false })
      if (format) add({ mechanism: `virtual-disk layer (${format.name}): look-ups`, category: 'hypervisor_io', perOp: 1, ns: this.cyclesNs(format.layerCycles), exits: 0, source: format.sources.layerCycles ?? format.name, perBatch: false })
    }
    add({ mechanism: 'software iSCSI initiator (host)', category: 'hypervisor_io', perOp: 1, ns: initiatorNs, exits: 0, source: 'catalog storage: software iSCSI initiator', perBatch: false })
    return out
  }

  /**
   * The mechanisms behind one network transfer of `count` packets of `bytes` through a virtual NIC, per
   * transfer: the guest stack (per 64 KB chunk with segmentation offload, else per packet), the device path
   * (per packet for an emulated NIC; per batch of up to `batchMax` packets for paravirtual and assigned ones),
   * and the hypervisor's virtual switch and back end.
   */
  netMechanisms(dev: DeviceSpec, count: number, bytes: number): IoMechanism[] {
    const out: IoMechanism[] = []
    const chunks = chunksOf(dev, count, bytes)
    const add = (m: IoMechanism): void => {
      if (m.perOp > 0 && m.ns > 0) out.push(m)
    }
    add({ mechanism: 'guest network stack and driver', category: 'guest', perOp: chunks, ns: this.cyclesNs(dev.guestDriverCycles), exits: 0, source: dev.sources.guestDriverCycles ?? dev.name, perBatch: false })
    if (!this.virtualized) return out
    const batches = count / Math.max(1, Math.min(dev.batchMax, count))
    // The device path: an emulated NIC traps per packet; the others notify and interrupt per batch, and a
    // paravirtual ring handles each chunk.
    for (const m of this.devicePath(dev, 1, [])) {
      const per = m.perBatch ? batches : dev.path === 'paravirtual' ? chunks : count
      add({ ...m, perOp: m.perOp * per, perBatch: false })
    }
    if (dev.path !== 'passthrough') {
      const hv = this.hv
      add({ mechanism: `${hv.name} virtual switch and back end`, category: 'hypervisor_io', perOp: 1, ns: this.cyclesNs(chunks * hv.netCyclesPerPacket + ((count * bytes) / 1024) * hv.netCyclesPerKB), exits: 0, source: sourcesOf(hv.sources.netCyclesPerPacket, hv.sources.netCyclesPerKB), perBatch: false })
    }
    return out
  }

  /** A virtual device's path on the vCPU for `n` requests, by the device's kind (model.md §4 step 2). */
  private devicePath(dev: DeviceSpec, n: number, out: IoMechanism[]): IoMechanism[] {
    const T = this.tech
    const src = dev.sources
    const push = (m: IoMechanism): void => {
      if (m.perOp > 0 && m.ns > 0) out.push(m)
    }
    const interrupts = { mechanism: dev.path === 'passthrough' ? 'completion interrupt (exits without posted interrupts)' : dev.path === 'paravirtual' ? 'coalesced completion interrupt' : 'completion interrupt (injection and acknowledge)', category: 'device_emulation' as const, perOp: n * dev.interruptExits, ns: this.eventNs(T.interrupt), exits: this.exitsOf(T.interrupt), source: src.interruptExits ?? dev.name }
    switch (dev.path) {
      case 'emulated':
        push({ mechanism: 'trapped register accesses', category: 'device_emulation', perOp: n * dev.exitsPerRequest, ns: this.eventNs(T.ioAccess), exits: this.exitsOf(T.ioAccess), source: src.exitsPerRequest ?? dev.name, perBatch: false })
        push({ ...interrupts, perBatch: false })
        push({ mechanism: 'device model', category: 'device_emulation', perOp: n, ns: this.cyclesNs(dev.emulationCycles), exits: 0, source: src.emulationCycles ?? dev.name, perBatch: false })
        break
      case 'paravirtual':
        push({ mechanism: 'notification (kick)', category: 'device_emulation', perOp: n * dev.exitsPerRequest, ns: this.eventNs(T.notify), exits: this.exitsOf(T.notify), source: sourcesOf(src.exitsPerRequest, src.batchMax), perBatch: true })
        push({ ...interrupts, perBatch: true })
        push({ mechanism: 'shared-ring processing', category: 'device_emulation', perOp: n, ns: this.cyclesNs(dev.emulationCycles), exits: 0, source: src.emulationCycles ?? dev.name, perBatch: false })
        break
      case 'passthrough':
        push({ ...interrupts, perBatch: true })
        break
    }
    return out
  }

  /** Switching a core between two different vCPUs, ns. */
  worldSwitchNs(): number {
    if (!this.virtualized) return 0
    return this.cyclesNs(this.hv.worldSwitchCycles) + (this.untagged ? this.refillNs : 0)
  }
}

/** What a NIC's driver and back end handle one by one: 64 KB segments with TCP segmentation offload, else packets. */
function chunksOf(dev: DeviceSpec, count: number, bytes: number): number {
  return dev.tso ? Math.max(1, Math.ceil((count * bytes) / network.tsoChunkBytes)) : count
}
