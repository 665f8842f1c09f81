/**
 * I/O requests in flight — disk commands and network transfers — as a pool
 * of numbered records in parallel typed arrays, so that moving a request
 * through its path's stages allocates nothing. A request is born when an
 * operation (or an array's back end) issues it and freed when it completes.
 */
import { LIMITS } from '../../../shared/limits'
import { growColumns } from '../kernel/grow'

export const KIND_DISK = 0
export const KIND_NET = 1
export const KIND_BACKEND = 2

/**
 * One number per virtual disk of the scenario, for a device that tells streams apart (a disk continues a
 * sequential stream only for requests of the same virtual disk). A VM has at most LIMITS.devicesPerVm disks,
 * so VM v's disk p is v × devicesPerVm + p, never another VM's.
 */
export function streamOf(requests: RequestPool, req: number): number {
  return requests.vm[req]! * LIMITS.devicesPerVm + requests.port[req]!
}

export class RequestPool {
  private cap = 0
  private free: number[] = []
  kind = new Int32Array(0)
  /** Owning operation (-1 for array back-end work). */
  op = new Int32Array(0)
  vm = new Int32Array(0)
  /** Index of the VM disk or VM NIC the request uses, within its VM (see `streamOf`). */
  port = new Int32Array(0)
  /** The route the request travels (see route.ts) and the index of the stage it is at. */
  route = new Int32Array(0)
  hop = new Int32Array(0)
  kb = new Float64Array(0)
  write = new Uint8Array(0)
  sequential = new Uint8Array(0)
  /** Target position on the device, fraction of its capacity. */
  pos = new Float64Array(0)
  /** A first write to an unallocated block: what the virtual-disk layer writes with it (zeros and metadata), KB, and how many separate metadata writes. */
  extraKb = new Float64Array(0)
  extraWrites = new Int32Array(0)
  /** Link service for a network transfer, ns. */
  wireNs = new Float64Array(0)
  /** When the request reached the device layer (for disk latency). */
  issued = new Float64Array(0)
  /** Parent request of a back-end I/O (-1: none) and children a parent waits for. */
  parent = new Int32Array(0)
  waiting = new Int32Array(0)
  /** When the request began waiting for the queue slot it waits for (adapter, then LUN). */
  mark = new Float64Array(0)
  /** A delay a stage computed for a later one (an FC request's fabric trips, taken after the controller), ns. */
  carryNs = new Float64Array(0)
  /** 1: a disk write that first needs its cluster volume's coordinator to allocate. */
  meta = new Uint8Array(0)

  alloc(): number {
    if (this.free.length === 0) this.grow()
    const id = this.free.pop()!
    this.extraKb[id] = 0
    this.extraWrites[id] = 0
    this.wireNs[id] = 0
    this.parent[id] = -1
    this.waiting[id] = 0
    this.op[id] = -1
    this.meta[id] = 0
    return id
  }

  release(id: number): void {
    this.free.push(id)
  }

  private grow(): void {
    const old = this.cap
    this.cap = Math.max(256, old * 2)
    growColumns(this, this.cap)
    for (let i = this.cap - 1; i >= old; i--) this.free.push(i)
  }
}
