/**
 * Operations in flight — one unit of a VM's workload from arrival to
 * completion — as a pool of numbered records in typed arrays. An operation
 * first needs CPU (its burst, split by category), then issues its disk and
 * network demands one after the other, then may wait for a remote peer.
 */
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
  /** Hypervisor I/O time spent for this operation, ns. */
  hyp = new Float64Array(0)

  alloc(): number {
    if (this.free.length === 0) this.grow()
    const id = this.free.pop()!
    this.demand[id] = 0
    this.left[id] = -1
    this.hyp[id] = 0
    return id
  }

  release(id: number): void {
    this.free.push(id)
  }

  cpuTotal(id: number): number {
    return this.guest[id]! + this.exits[id]! + this.walks[id]! + this.emulation[id]!
  }

  private grow(): void {
    const old = this.cap
    const cap = Math.max(256, old * 2)
    const i32 = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap)
      b.set(a)
      return b
    }
    const f64 = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap)
      b.set(a)
      return b
    }
    this.vm = i32(this.vm)
    this.start = f64(this.start)
    this.demand = i32(this.demand)
    this.left = i32(this.left)
    this.guest = f64(this.guest)
    this.exits = f64(this.exits)
    this.walks = f64(this.walks)
    this.emulation = f64(this.emulation)
    this.hyp = f64(this.hyp)
    for (let i = cap - 1; i >= old; i--) this.free.push(i)
    this.cap = cap
  }
}
