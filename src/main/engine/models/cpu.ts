/**
 * A host's physical cores and the scheduler that runs vCPUs on them
 * (docs/model.md §8). Each vCPU is a task with CPU work left; a core runs it
 * for at most one time slice, then lets the next ready vCPU in (round robin).
 * A vCPU that wakes from idle goes to the front of the ready queue (the
 * wake-up boost of Xen's credit scheduler and of ESX's preference for vCPUs
 * that were idle), but does not preempt. The hypervisor's I/O work for an
 * operation (vmkernel, dom0, QEMU, parent partition) is part of that
 * operation's burst, so it takes core time from every other vCPU as well.
 * Switching a core between different vCPUs costs a world switch.
 *
 * Time waiting in the ready queue is *ready time*. CPU work advances in
 * bursts (one event per slice or per operation), never per instruction.
 */
import type { Simulator } from '../kernel/kernel'
import { Deque } from '../kernel/deque'
import { grown } from '../kernel/grow'

/** What the scheduler tells its owner. */
export interface CpuClient {
  /** A vCPU finished its current CPU work; return the next work in ns, or 0 to block it. Must not call back into the scheduler. */
  vcpuDone(vcpu: number): number
  /** `ns` of a vCPU's work ran (accounting). */
  vcpuRan(vcpu: number, ns: number): void
  /** A vCPU waited `ns` in the ready queue. */
  vcpuWaited(vcpu: number, ns: number): void
  /** A core spent `ns` switching to this vCPU (a world switch) before its work went on. */
  vcpuSwitched(vcpu: number, ns: number): void
  /** The scheduler is consistent again after a burst ended: what `vcpuDone` released may now start (and call back in). */
  settled(): void
}

const EPS = 1e-3 // ns: float noise on burst ends is far below this while the clock is under 2^44 ns (~4.9 h)

/**
 * True when `ns` of work or slice left at time `now` is nothing: within EPS,
 * or too small for the clock to move by. The clock is float64 ns, so its
 * resolution coarsens as the run goes on (0.0156 ns from 2^46 ns, ~19.5 h):
 * an event scheduled `ns` after `now` would fire at `now` itself, charge
 * nothing, and leave the same `ns` — a loop that never advances time. Past
 * 2^44 ns the clock's own rounding leaves residues up to half its resolution
 * after every burst; they are float noise like those under EPS earlier.
 */
function negligible(ns: number, now: number): boolean {
  return ns <= EPS || now + ns <= now
}

export class HostCpu {
  readonly cores: number
  // Cores.
  private coreTask: Int32Array<ArrayBuffer>
  private coreLast: Int32Array
  private coreStart: Float64Array
  private coreOverhead: Float64Array
  private coreSliceEnd: Float64Array
  private coreSeq: Float64Array
  // Tasks: one per vCPU of this host, by local id.
  private taskRef: Int32Array<ArrayBuffer>
  private taskRemaining: Float64Array<ArrayBuffer>
  private taskReadySince: Float64Array<ArrayBuffer>
  /** Local task id by global vCPU id (-1: not on this host). */
  private localId: Int32Array<ArrayBuffer>
  /** The core a vCPU just finished its work on and still holds while its owner settles (-1: none). */
  private parkedOn: Int32Array<ArrayBuffer>
  private ready: Deque
  private readonly handler: number
  private readonly sliceNs: number
  /** Accumulated ns since the last reset: vCPU work and world switches. */
  vcpuNs = 0
  switchNs = 0

  constructor(
    private readonly sim: Simulator,
    cores: number,
    vcpuIds: readonly number[],
    sliceMs: number,
    private readonly worldSwitchNs: number,
    private readonly client: CpuClient
  ) {
    this.cores = cores
    this.coreTask = new Int32Array(cores).fill(-1)
    this.coreLast = new Int32Array(cores).fill(-1)
    this.coreStart = new Float64Array(cores)
    this.coreOverhead = new Float64Array(cores)
    this.coreSliceEnd = new Float64Array(cores)
    this.coreSeq = new Float64Array(cores).fill(-1)
    const n = vcpuIds.length
    this.taskRef = new Int32Array(n)
    this.taskRemaining = new Float64Array(n)
    this.taskReadySince = new Float64Array(n)
    this.parkedOn = new Int32Array(n).fill(-1)
    this.localId = new Int32Array(vcpuIds.reduce((m, v) => Math.max(m, v + 1), 0)).fill(-1)
    for (let i = 0; i < n; i++) {
      this.taskRef[i] = vcpuIds[i]!
      this.localId[vcpuIds[i]!] = i
    }
    this.ready = new Deque()
    this.sliceNs = sliceMs * 1e6
    this.handler = sim.register((core) => {
      const parked = this.onBurstEnd(core)
      this.client.settled()
      if (parked >= 0) this.release(core, parked)
    })
  }

  /**
   * A vCPU joins this host (a VM given one more, or moved here): a new task, blocked until it has work.
   * Its local id is new; a removed task's id is not reused, so nothing stale can point at it.
   */
  addTask(vcpu: number): void {
    if ((this.localId[vcpu] ?? -1) >= 0) throw new Error(`vCPU ${vcpu} already runs on this host`)
    const t = this.taskRef.length
    this.taskRef = grown(this.taskRef, t + 1)
    this.taskRemaining = grown(this.taskRemaining, t + 1)
    this.taskReadySince = grown(this.taskReadySince, t + 1)
    this.parkedOn = grown(this.parkedOn, t + 1)
    if (vcpu >= this.localId.length) {
      const ids = new Int32Array(Math.max(vcpu + 1, this.localId.length * 2)).fill(-1)
      ids.set(this.localId)
      this.localId = ids
    }
    this.taskRef[t] = vcpu
    this.parkedOn[t] = -1
    this.localId[vcpu] = t
  }

  /** True when the vCPU has no work here: on no core, not ready, not holding a core while its owner settles. */
  isIdle(vcpu: number): boolean {
    const t = this.taskOf(vcpu)
    if (this.parkedOn[t]! >= 0) return false
    for (let c = 0; c < this.cores; c++) if (this.coreTask[c] === t) return false
    return !this.ready.includes(t)
  }

  /** A vCPU leaves this host (a VM given one fewer, or moved away); only an idle one can. */
  removeTask(vcpu: number): void {
    if (!this.isIdle(vcpu)) throw new Error(`vCPU ${vcpu} is busy: it can leave the host only when idle`)
    const t = this.taskOf(vcpu)
    this.localId[vcpu] = -1
    this.taskRef[t] = -1
    // A core that last ran it pays a world switch for whoever comes next, as for any other vCPU.
  }

  /** Local task id of a global vCPU id. */
  private taskOf(vcpu: number): number {
    const t = this.localId[vcpu] ?? -1
    if (t < 0) throw new Error(`vCPU ${vcpu} does not run on this host`)
    return t
  }

  /** A blocked vCPU has `workNs` of CPU work. */
  wake(vcpu: number, workNs: number): void {
    const t = this.taskOf(vcpu)
    const held = this.parkedOn[t]!
    if (held >= 0) {
      // New work in the instant its last work ended: it never slept, so it carries on in its slice (no boost).
      this.parkedOn[t] = -1
      this.taskRemaining[t] = workNs
      return this.carryOn(held, t)
    }
    this.taskRemaining[t] = workNs
    this.taskReadySince[t] = this.sim.now
    const core = this.idleCore()
    if (core >= 0) return this.dispatch(core, t)
    this.ready.pushFront(t)
  }

  /** Charges work done so far on every core (for sample windows), without moving any event. */
  flush(): void {
    const now = this.sim.now
    for (let c = 0; c < this.cores; c++) {
      const t = this.coreTask[c]!
      if (t < 0) continue
      let elapsed = now - this.coreStart[c]!
      const over = Math.min(elapsed, this.coreOverhead[c]!)
      this.switchNs += over
      this.coreOverhead[c] = this.coreOverhead[c]! - over
      elapsed -= over
      this.coreStart[c] = now
      if (elapsed > 0) this.charge(t, elapsed)
    }
  }

  resetStats(): void {
    this.vcpuNs = 0
    this.switchNs = 0
  }

  private idleCore(): number {
    for (let c = 0; c < this.cores; c++) if (this.coreTask[c]! < 0) return c
    return -1
  }

  private dispatch(core: number, t: number): void {
    const now = this.sim.now
    const waited = now - this.taskReadySince[t]!
    if (waited > 0) this.client.vcpuWaited(this.taskRef[t]!, waited)
    this.taskReadySince[t] = now
    const last = this.coreLast[core]!
    const overhead = last >= 0 && last !== t ? this.worldSwitchNs : 0
    if (overhead > 0) this.client.vcpuSwitched(this.taskRef[t]!, overhead)
    this.coreLast[core] = t
    this.coreSliceEnd[core] = now + overhead + this.sliceNs
    this.coreTask[core] = t
    this.coreStart[core] = now
    this.coreOverhead[core] = overhead
    const run = Math.min(this.taskRemaining[t]!, this.sliceNs)
    // A vCPU descheduled exactly at its burst's end may come back with a float-noise deficit (remaining < 0).
    this.coreSeq[core] = this.sim.schedule(Math.max(0, overhead + run), this.handler, core)
  }

  /** Charges the work a core did on task `t` since its burst began. */
  private settle(core: number, t: number): void {
    let elapsed = this.sim.now - this.coreStart[core]!
    const over = Math.min(elapsed, this.coreOverhead[core]!)
    this.switchNs += over
    elapsed -= over
    this.coreOverhead[core] = 0
    this.coreStart[core] = this.sim.now
    if (elapsed > 0) this.charge(t, elapsed)
  }

  private charge(t: number, ns: number): void {
    this.taskRemaining[t] = this.taskRemaining[t]! - ns
    this.vcpuNs += ns
    this.client.vcpuRan(this.taskRef[t]!, ns)
  }

  /** Returns the vCPU left holding the core while its owner settles, or -1. */
  private onBurstEnd(core: number): number {
    if (this.sim.currentSequence !== this.coreSeq[core]) return -1 // superseded
    const t = this.coreTask[core]!
    this.settle(core, t)
    if (negligible(this.taskRemaining[t]!, this.sim.now)) {
      const more = this.client.vcpuDone(this.taskRef[t]!)
      if (more <= 0) {
        // It holds the core until its owner has settled: new work then continues it here.
        this.parkedOn[t] = core
        this.coreSeq[core] = -1
        return t
      }
      this.taskRemaining[t] = more
    }
    this.carryOn(core, t)
    return -1
  }

  /** A vCPU with no new work after its owner settled blocks: its core goes to the next ready vCPU. */
  private release(core: number, t: number): void {
    if (this.parkedOn[t] !== core) return
    this.parkedOn[t] = -1
    this.coreTask[core] = -1
    this.next(core)
  }

  /** The vCPU on `core` has work left: the rest of its slice, then round robin. */
  private carryOn(core: number, t: number): void {
    const now = this.sim.now
    const sliceLeft = this.coreSliceEnd[core]! - now
    if (negligible(sliceLeft, now)) {
      if (this.ready.length > 0) {
        this.coreTask[core] = -1
        this.taskReadySince[t] = now
        this.ready.pushBack(t)
        return this.next(core)
      }
      this.coreSliceEnd[core] = now + this.sliceNs
    }
    const run = Math.min(this.taskRemaining[t]!, this.coreSliceEnd[core]! - now)
    this.coreSeq[core] = this.sim.schedule(run, this.handler, core)
  }

  /** A core became free: the next ready vCPU. */
  private next(core: number): void {
    if (this.ready.length > 0) return this.dispatch(core, this.ready.popFront())
  }
}
