/**
 * Operations in flight — one unit of a VM's workload from arrival to
 * completion — as a pool of numbered records in typed arrays. An operation
 * first needs CPU (its burst, split by category, with the hypervisor's work
 * for its I/O), then issues its disk and network demands one after the
 * other, then may wait for a remote peer.
 */
import { growColumns } from '../kernel/grow'

export class OpPool {
  private cap = 0
  private free: number[] = []
  vm = new Int32Array(0)
  start = new Float64Array(0)
  /** Demand being worked through, and requests of it still to issue (-1: not drawn yet). */
  demand = new Int32Array(0)
  left = new Int32Array(0)
  /** CPU burst by category: guest, exits, walks, emulation (ns). */
  guest = new Float64Array(0)
  exits = new Float64Array(0)
  walks = new Float64Array(0)
  emulation = new Float64Array(0)
  /** Hypervisor I/O time spent for this operation (host CPU and the virtual-disk layer), ns. */
  hyp = new Float64Array(0)
  /** The host CPU part of `hyp`: the hypervisor's I/O work, run on the vCPU's core within the operation's burst, ns. */
  hypCpu = new Float64Array(0)
  /** Time devices, links and peers spent serving this operation, ns. */
  svc = new Float64Array(0)
  /** This operation's own CPU work relative to the workload's mean (1 when operations do not spread). */
  work = new Float64Array(0)

  /** Records in use: operations in flight. */
  get inUse(): number {
    return this.cap - this.free.length
  }

  alloc(): number {
    if (this.free.length === 0) this.grow()
    const id = this.free.pop()!
    this.demand[id] = 0
    this.left[id] = -1
    this.hyp[id] = 0
    this.hypCpu[id] = 0
    this.svc[id] = 0
    return id
  }

  release(id: number): void {
    this.free.push(id)
  }

  /** The operation's own CPU work by the guest and the virtualization layer (without the hypervisor's I/O work), ns. */
  cpuTotal(id: number): number {
    return this.guest[id]! + this.exits[id]! + this.walks[id]! + this.emulation[id]!
  }

  /** The whole CPU burst the operation needs from a core: its own work and the hypervisor's I/O work for it, ns. */
  burst(id: number): number {
    return this.guest[id]! + this.exits[id]! + this.walks[id]! + this.emulation[id]! + this.hypCpu[id]!
  }

  private grow(): void {
    const old = this.cap
    this.cap = Math.max(256, old * 2)
    growColumns(this, this.cap)
    for (let i = this.cap - 1; i >= old; i--) this.free.push(i)
  }
}
