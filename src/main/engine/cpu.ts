/**
 * A host's physical cores and the scheduler that runs vCPUs and the
 * hypervisor's own I/O work on them (docs/model.md §8). Each vCPU is a task
 * with CPU work left; a core runs it for at most one time slice, then lets the
 * next ready task in (round robin). A vCPU that wakes from idle goes to the
 * front of the ready queue (the wake-up boost of Xen's credit scheduler and of
 * ESX's preference for vCPUs that were idle), but does not preempt. Hypervisor
 * I/O work (vmkernel, dom0, QEMU, parent partition) runs to completion ahead of
 * vCPUs and preempts one if no core is free, since the back end serves every
 * VM. Switching a core between different vCPUs costs a world switch.
 *
 * Time waiting in the ready queue is *ready time*. CPU work advances in
 * bursts (one event per slice or per operation), never per instruction.
 */
import type { Simulator } from './kernel'
import { Deque } from './deque'

/** What the scheduler tells its owner. */
export interface CpuClient {
  /** A vCPU finished its current CPU work; return the next work in ns, or 0 to block it. Must not call back into the scheduler. */
  vcpuDone(vcpu: number): number
  /** Hypervisor work for request `ref` is done. */
  hypDone(ref: number): void
  /** `ns` of a vCPU's work ran (accounting). */
  vcpuRan(vcpu: number, ns: number): void
  /** A vCPU waited `ns` in the ready queue. */
  vcpuWaited(vcpu: number, ns: number): void
}

const KIND_VCPU = 0
const KIND_HYP = 1
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
  private coreTask: Int32Array
  private coreLast: Int32Array
  private coreStart: Float64Array
  private coreOverhead: Float64Array
  private coreSliceEnd: Float64Array
  private coreSeq: Float64Array
  // Tasks: vCPUs first (ids 0..nVcpu-1, persistent), hypervisor work after (pooled).
  private taskKind: Int32Array
  private taskRef: Int32Array
  private taskRemaining: Float64Array
  private taskReadySince: Float64Array
  private freeHyp: number[] = []
  // Queues of task ids.
  private ready: Deque
  private hypQueue: Deque
  private readonly handler: number
  private readonly sliceNs: number
  private readonly localId = new Map<number, number>()
  /** Accumulated ns since the last reset: vCPU work, hypervisor work, world switches. */
  vcpuNs = 0
  hypNs = 0
  switchNs = 0

  constructor(
    private readonly sim: Simulator,
    cores: number,
    private readonly vcpuIds: readonly number[],
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
    const cap = n + 64
    this.taskKind = new Int32Array(cap)
    this.taskRef = new Int32Array(cap)
    this.taskRemaining = new Float64Array(cap)
    this.taskReadySince = new Float64Array(cap)
    for (let i = 0; i < n; i++) {
      this.taskKind[i] = KIND_VCPU
      this.taskRef[i] = vcpuIds[i]!
      this.localId.set(vcpuIds[i]!, i)
    }
    for (let i = cap - 1; i >= n; i--) this.freeHyp.push(i)
    this.ready = new Deque()
    this.hypQueue = new Deque()
    this.sliceNs = sliceMs * 1e6
    this.handler = sim.register((core) => this.onBurstEnd(core))
  }

  /** Local task id of a global vCPU id. */
  private taskOf(vcpu: number): number {
    const t = this.localId.get(vcpu)
    if (t === undefined) throw new Error(`vCPU ${vcpu} does not run on this host`)
    return t
  }

  /** A blocked vCPU has `workNs` of CPU work. */
  wake(vcpu: number, workNs: number): void {
    const t = this.taskOf(vcpu)
    this.taskRemaining[t] = workNs
    this.taskReadySince[t] = this.sim.now
    const core = this.idleCore()
    if (core >= 0) return this.dispatch(core, t)
    this.ready.pushFront(t)
  }

  /** Hypervisor work of `ns` for request `ref`; `hypDone(ref)` follows. */
  submitHyp(ref: number, ns: number): void {
    const t = this.allocHyp()
    this.taskRef[t] = ref
    this.taskRemaining[t] = ns
    let core = this.idleCore()
    if (core < 0) {
      core = this.coreRunningVcpu()
      if (core >= 0) this.preempt(core)
    }
    if (core >= 0) return this.dispatch(core, t)
    this.hypQueue.pushBack(t)
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
    this.hypNs = 0
    this.switchNs = 0
  }

  private idleCore(): number {
    for (let c = 0; c < this.cores; c++) if (this.coreTask[c]! < 0) return c
    return -1
  }

  private coreRunningVcpu(): number {
    for (let c = 0; c < this.cores; c++) {
      const t = this.coreTask[c]!
      if (t >= 0 && this.taskKind[t] === KIND_VCPU) return c
    }
    return -1
  }

  private allocHyp(): number {
    const free = this.freeHyp.pop()
    if (free !== undefined) return free
    // Grow the task arrays; new ids are handed out from the top.
    const old = this.taskKind.length
    const cap = old * 2
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap)
      b.set(a)
      return b
    }
    this.taskKind = grow(this.taskKind, (n) => new Int32Array(n))
    this.taskRef = grow(this.taskRef, (n) => new Int32Array(n))
    this.taskRemaining = grow(this.taskRemaining, (n) => new Float64Array(n))
    this.taskReadySince = grow(this.taskReadySince, (n) => new Float64Array(n))
    for (let i = cap - 1; i > old; i--) this.freeHyp.push(i)
    this.taskKind[old] = KIND_HYP
    return old
  }

  private dispatch(core: number, t: number): void {
    const now = this.sim.now
    const kind = t < this.vcpuIds.length ? KIND_VCPU : KIND_HYP
    this.taskKind[t] = kind
    let overhead = 0
    if (kind === KIND_VCPU) {
      const waited = now - this.taskReadySince[t]!
      if (waited > 0) this.client.vcpuWaited(this.taskRef[t]!, waited)
      this.taskReadySince[t] = now
      const last = this.coreLast[core]!
      if (last >= 0 && last !== t) overhead = this.worldSwitchNs
      this.coreLast[core] = t
      this.coreSliceEnd[core] = now + overhead + this.sliceNs
    }
    this.coreTask[core] = t
    this.coreStart[core] = now
    this.coreOverhead[core] = overhead
    const run = kind === KIND_VCPU ? Math.min(this.taskRemaining[t]!, this.sliceNs) : this.taskRemaining[t]!
    // A task preempted exactly at its burst's end may come back with a float-noise deficit (remaining < 0).
    this.coreSeq[core] = this.sim.schedule(Math.max(0, overhead + run), this.handler, core)
  }

  /** Stops the vCPU on `core` now; it goes to the front of the ready queue. */
  private preempt(core: number): void {
    const t = this.coreTask[core]!
    this.settle(core, t)
    this.coreTask[core] = -1
    this.coreSeq[core] = -1
    this.taskReadySince[t] = this.sim.now
    this.ready.pushFront(t)
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
    if (this.taskKind[t] === KIND_VCPU) {
      this.vcpuNs += ns
      this.client.vcpuRan(this.taskRef[t]!, ns)
    } else {
      this.hypNs += ns
    }
  }

  private onBurstEnd(core: number): void {
    if (this.sim.currentSequence !== this.coreSeq[core]) return // superseded by a preemption
    const t = this.coreTask[core]!
    this.settle(core, t)
    const now = this.sim.now
    if (this.taskKind[t] === KIND_HYP) {
      this.coreTask[core] = -1
      this.freeHyp.push(t)
      // Give the core its next task before the client reacts (it may wake a vCPU onto a free core).
      this.next(core)
      return this.client.hypDone(this.taskRef[t]!)
    }
    if (negligible(this.taskRemaining[t]!, now)) {
      const more = this.client.vcpuDone(this.taskRef[t]!)
      if (more <= 0) {
        this.coreTask[core] = -1
        return this.next(core)
      }
      this.taskRemaining[t] = more
    }
    // The vCPU still has work: hypervisor work first, then the rest of its slice, then round robin.
    if (this.hypQueue.length > 0) {
      this.coreTask[core] = -1
      this.taskReadySince[t] = now
      this.ready.pushFront(t)
      return this.next(core)
    }
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

  /** A core became free: hypervisor work first, then the ready queue. */
  private next(core: number): void {
    if (this.hypQueue.length > 0) return this.dispatch(core, this.hypQueue.popFront())
    if (this.ready.length > 0) return this.dispatch(core, this.ready.popFront())
  }
}
