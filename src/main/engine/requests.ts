/**
 * I/O requests in flight — disk commands and network transfers — as a pool
 * of numbered records in parallel typed arrays, so that moving a request
 * through its path's stages allocates nothing. A request is born when an
 * operation (or an array's back end) issues it and freed when it completes.
 */

export const KIND_DISK = 0
export const KIND_NET = 1
export const KIND_BACKEND = 2

export class RequestPool {
  private cap = 0
  private free: number[] = []
  kind = new Int32Array(0)
  /** Owning operation (-1 for array back-end work). */
  op = new Int32Array(0)
  vm = new Int32Array(0)
  /** Index of the VM disk (stream) or VM NIC the request uses. */
  port = new Int32Array(0)
  /** Path stage reached. */
  stage = new Int32Array(0)
  /** Stage inside a storage target (SAN path). */
  subStage = new Int32Array(0)
  kb = new Float64Array(0)
  write = new Uint8Array(0)
  sequential = new Uint8Array(0)
  /** Target position on the device, fraction of its capacity. */
  pos = new Float64Array(0)
  /** Extra device time (first write to an unallocated block), ns. */
  extraNs = new Float64Array(0)
  /** Host CPU of the hypervisor for this request, ns. */
  hypNs = new Float64Array(0)
  /** Link service for a network transfer, ns. */
  wireNs = new Float64Array(0)
  /** When the request reached the device layer (for disk latency). */
  issued = new Float64Array(0)
  /** When the request entered its current station. */
  arrived = new Float64Array(0)
  /** Parent request of a back-end I/O (-1: none) and children a parent waits for. */
  parent = new Int32Array(0)
  waiting = new Int32Array(0)
  /** Spindle/disk index chosen for a back-end I/O. */
  unit = new Int32Array(0)

  alloc(): number {
    if (this.free.length === 0) this.grow()
    const id = this.free.pop()!
    this.stage[id] = 0
    this.subStage[id] = 0
    this.extraNs[id] = 0
    this.hypNs[id] = 0
    this.wireNs[id] = 0
    this.parent[id] = -1
    this.waiting[id] = 0
    this.op[id] = -1
    return id
  }

  release(id: number): void {
    this.free.push(id)
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
    const u8 = (a: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> => {
      const b = new Uint8Array(cap)
      b.set(a)
      return b
    }
    this.kind = i32(this.kind)
    this.op = i32(this.op)
    this.vm = i32(this.vm)
    this.port = i32(this.port)
    this.stage = i32(this.stage)
    this.subStage = i32(this.subStage)
    this.kb = f64(this.kb)
    this.write = u8(this.write)
    this.sequential = u8(this.sequential)
    this.pos = f64(this.pos)
    this.extraNs = f64(this.extraNs)
    this.hypNs = f64(this.hypNs)
    this.wireNs = f64(this.wireNs)
    this.issued = f64(this.issued)
    this.arrived = f64(this.arrived)
    this.parent = i32(this.parent)
    this.waiting = i32(this.waiting)
    this.unit = i32(this.unit)
    for (let i = cap - 1; i >= old; i--) this.free.push(i)
    this.cap = cap
  }
}
