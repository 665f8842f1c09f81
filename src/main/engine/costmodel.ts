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
import { costModel, type CpuSpec, type DeviceSpec, type DiskFormatSpec, type EventCost, type HypervisorSpec, type TechniqueCosts } from '../../shared/catalog'
import { techniques } from '../../shared/catalog'
import type { ResolvedWorkload } from '../../shared/catalog'

/** CPU time of one operation, ns, by category. */
export interface CpuSplit {
  guest: number
  exits: number
  walks: number
  emulation: number
}

export interface DeviceCost {
  /** Guest driver work per request (native too), ns. */
  guestNs: number
  /** Device-path work on the vCPU per request at a batch size of 1, ns (notification part). */
  perBatchNs: number
  /** Device-path work on the vCPU per request that does not batch, ns. */
  perRequestNs: number
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
    const hz = costModel.timerHz[guestOs] ?? 100
    this.timerTax = this.virtualized ? Math.min(0.5, (hz * (this.eventNs(tech.timerTick) - this.eventNs(this.native.timerTick))) / 1e9) : 0
  }

  /** P4-672 cycles of handler work → ns on this CPU. */
  cyclesNs(p4Cycles: number): number {
    return p4Cycles / this.ipc / this.ghz
  }

  /** One event under a technique: handler + round trip per exit (+ refill without a tagged TLB), ns. */
  eventNs(e: EventCost): number {
    if (!this.virtualized) return e.cycles / this.ipc / this.ghz
    const perExit = this.roundTrip / this.ghz + (this.untagged ? this.refillNs : 0)
    return e.cycles / this.ipc / this.ghz + e.exits * perExit
  }

  /** Hardware exits one event takes under this technique. */
  exitsOf(e: EventCost): number {
    return this.virtualized ? e.exits : 0
  }

  /** CPU time of an operation's own work (no I/O), split by category; excludes the timer tax. */
  opCpu(w: ResolvedWorkload): CpuSplit {
    const p = w.per_op
    const N = this.native
    const T = this.tech
    const guestCompute = this.cyclesNs(p.instructions * w.cpi)
    const events = (k: 'syscall' | 'pageFault' | 'pteUpdate' | 'contextSwitch' | 'ioAccess', n: number): [number, number] => [
      n * this.eventNs(N[k]),
      n * this.eventNs(T[k])
    ]
    let nativeEv = 0
    let techEv = 0
    for (const [n, t] of [
      events('syscall', p.syscalls),
      events('pageFault', p.page_faults),
      events('pteUpdate', p.pte_updates),
      events('contextSwitch', p.context_switches),
      events('ioAccess', p.io_accesses)
    ]) {
      nativeEv += n
      techEv += t
    }
    // A CR3 load flushes an untagged TLB natively too: the refill is guest work in every configuration.
    nativeEv += p.context_switches * this.refillNs
    techEv += p.context_switches * this.refillNs

    // Page walks. Natively the guest's page size decides; virtualized, a 2 MB TLB entry needs the host to back it with 2 MB too.
    const guestLarge = w.page_kb === 2048
    const effLarge = this.virtualized ? guestLarge && this.hostLargePages : guestLarge
    const kinstr = p.instructions / 1000
    const nativeMisses = kinstr * p.tlb_misses_per_kinstr * (guestLarge ? costModel.largePageMissFactor : 1)
    const misses = kinstr * p.tlb_misses_per_kinstr * (effLarge ? costModel.largePageMissFactor : 1)
    const refNs = this.cpu.walkRefNs
    const nativeWalk = nativeMisses * this.cpu.walkRefsNative * (guestLarge ? 0.75 : 1) * refNs
    let techWalk: number
    if (T.walkDims === 2) {
      const n = guestLarge ? 3 : 4
      const m = this.hostLargePages ? 3 : 4
      techWalk = misses * this.cpu.walkRefsNested * (((n + 1) * (m + 1) - 1) / 24) * refNs
    } else {
      techWalk = misses * this.cpu.walkRefsNative * (effLarge ? 0.75 : 1) * refNs
    }
    const hidden = this.virtualized ? misses * costModel.hiddenFaultsPerTlbMiss * this.eventNs(T.hiddenFault) : 0

    let exits = techEv - nativeEv + hidden
    let guest = guestCompute + nativeEv + Math.min(nativeWalk, techWalk)
    if (exits < 0) {
      // A technique can beat the native path on an event (e.g. a translated `in` to a virtual port): credit the guest.
      guest += exits
      exits = 0
    }
    return { guest, exits, walks: Math.max(0, techWalk - nativeWalk), emulation: 0 }
  }

  /** Hardware exits of an operation's own events (for reporting). */
  opExits(w: ResolvedWorkload): number {
    const p = w.per_op
    const T = this.tech
    return (
      p.syscalls * this.exitsOf(T.syscall) +
      p.page_faults * this.exitsOf(T.pageFault) +
      p.pte_updates * this.exitsOf(T.pteUpdate) +
      p.context_switches * this.exitsOf(T.contextSwitch) +
      p.io_accesses * this.exitsOf(T.ioAccess)
    )
  }

  /** Extra vCPU time a busy burst of `ns` pays for virtual timer ticks, ns. */
  timerNs(ns: number): number {
    return (ns * this.timerTax) / (1 - this.timerTax)
  }

  /** Per-request vCPU costs of a virtual device on this configuration. */
  device(dev: DeviceSpec): DeviceCost {
    const guestNs = this.cyclesNs(dev.guestDriverCycles)
    if (!this.virtualized) return { guestNs, perBatchNs: 0, perRequestNs: 0 }
    const T = this.tech
    const intr = dev.interruptExits * this.eventNs(T.interrupt)
    switch (dev.path) {
      case 'emulated':
        return { guestNs, perBatchNs: 0, perRequestNs: dev.exitsPerRequest * this.eventNs(T.ioAccess) + this.cyclesNs(dev.emulationCycles) + intr }
      case 'paravirtual':
        return { guestNs, perBatchNs: dev.exitsPerRequest * this.eventNs(T.notify) + intr, perRequestNs: this.cyclesNs(dev.emulationCycles) }
      case 'passthrough':
        return { guestNs, perBatchNs: intr, perRequestNs: 0 }
    }
  }

  /** Host CPU of the hypervisor's storage stack for one request, ns. */
  diskHypNs(dev: DeviceSpec, kb: number, format: DiskFormatSpec | null): number {
    if (!this.virtualized) return 0
    const stack = this.hv.ioCyclesPerRequest + this.hv.ioCyclesPerKB * kb
    // A pass-through disk (RDM, Hyper-V pass-through) skips the virtual-disk layer but still crosses
    // the hypervisor's SCSI stack; estimate: half of it.
    if (dev.path === 'passthrough') return this.cyclesNs(stack * 0.5)
    return this.cyclesNs(stack + (format?.layerCycles ?? 0))
  }

  /** Host CPU of the hypervisor's network back end for `count` packets of `bytes`, ns. */
  netHypNs(dev: DeviceSpec, count: number, bytes: number): number {
    if (!this.virtualized || dev.path === 'passthrough') return 0
    const chunks = dev.tso ? Math.max(1, Math.ceil((count * bytes) / 65536)) : count
    return this.cyclesNs(chunks * this.hv.netCyclesPerPacket + ((count * bytes) / 1024) * this.hv.netCyclesPerKB)
  }

  /** Guest and device-path vCPU time for `count` packets of `bytes` on a NIC, ns. */
  netCpu(dev: DeviceSpec, count: number, bytes: number): { guest: number; emulation: number } {
    const chunks = dev.tso ? Math.max(1, Math.ceil((count * bytes) / 65536)) : count
    const guest = chunks * this.cyclesNs(dev.guestDriverCycles)
    if (!this.virtualized) return { guest, emulation: 0 }
    const c = this.device(dev)
    const batch = Math.max(1, Math.min(dev.batchMax, count))
    return { guest, emulation: (count / batch) * c.perBatchNs + (dev.path === 'paravirtual' ? chunks : count) * c.perRequestNs }
  }

  /** Switching a core between two different vCPUs, ns. */
  worldSwitchNs(): number {
    if (!this.virtualized) return 0
    return this.cyclesNs(this.hv.worldSwitchCycles) + (this.untagged ? this.refillNs : 0)
  }
}
