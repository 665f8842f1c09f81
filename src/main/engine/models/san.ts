/**
 * A SAN array reached over FC or iSCSI (docs/model.md §4–5). A request takes
 * a slot of its host's HBA queue (queue depth), then of the LUN's queue, crosses
 * the fabric (an FC switch hop and the wire, or the host NIC for iSCSI), and
 * reaches the controller: a read hits the cache with probability `read_hit`,
 * else goes to one spindle; a write is acknowledged from cache when write-back
 * has room (the RAID penalty's back-end I/Os then destage in the background),
 * else it waits for those back-end I/Os. Spindles are parallel servers, each
 * its own queue. Once saturated, latency follows Little's law: outstanding I/O
 * divided by the back end's IOPS.
 */
import type { StorageArray } from '../../../shared/experiment/schema'
import type { Simulator } from '../kernel/kernel'
import { Deque } from '../kernel/deque'
import { grown } from '../kernel/grow'
import type { RequestPool } from './requests'
import { KIND_BACKEND } from './requests'
import type { Rng } from '../kernel/rng'
import { Station } from './station'
import type { DiskModel } from './disk'
import type { ResourceRegistry } from './resources'
import { defaultArrayController, raidLevels } from '../../../shared/catalog'

/** A counting semaphore with a FIFO of waiting requests. */
export class Gate {
  private inUse = 0
  private waiting = new Deque()
  constructor(
    private readonly capacity: number,
    private readonly granted: (req: number) => void
  ) {}

  acquire(req: number): void {
    if (this.inUse < this.capacity) {
      this.inUse++
      this.granted(req)
    } else this.waiting.pushBack(req)
  }

  release(): void {
    if (this.waiting.length > 0) this.granted(this.waiting.popFront())
    else this.inUse--
  }
}

/** How a host reaches an array: its HBA queue and the fabric. */
export interface SanPath {
  hbaGate: Gate
  /** One-way fabric latency (switch hop), ns. */
  hopNs: number
  /** A command or status on this fabric's wire, KB (catalog fabric). */
  commandKb: number
  /** Wire rate, Gb/s. */
  gbps: number
  /** iSCSI over a host NIC: its transmit and receive links (shared with VM traffic); null for FC. */
  linkOut: Station | null
  linkBack: Station | null
  /** The host's adapter, e.g. `h1/fc0` (names its queue and fabric in the accounting). */
  label: string
}

/** The array controller (catalog `storage`): cache-hit service and write-back acknowledge, ns, and the dirty share. */
const CACHE_HIT_NS = defaultArrayController.cacheHitMs * 1e6
const WRITE_ACK_NS = defaultArrayController.writeAckMs * 1e6
const DIRTY_SHARE = defaultArrayController.dirtyShare

const S_HBA = 1
const S_LUN = 2
const S_FABRIC_OUT = 3
const S_CONTROLLER = 4
const S_FABRIC_BACK = 5
const S_DONE = 6
/** iSCSI over a NIC: the switch hops out and back are behind it; the reply crosses the NIC's receive link next. */
const S_HOPPED = 7

export class SanArray {
  readonly spindles: Station[] = []
  readonly lunGates: Gate[]
  private readonly penalty: number
  private readonly delayHandler: number
  private readonly dirtyLimitKb: number
  private dirtyKb = 0
  /** Per request: its path and LUN (indexes into paths and lunGates). */
  private reqPath = new Int32Array(0)
  private reqLun = new Int32Array(0)
  /** Per request: when it reached its current gate (front end), or its spindle wait and service (back end). */
  private mark = new Float64Array(0)
  private childWait = new Float64Array(0)
  private childService = new Float64Array(0)
  /** Per FC request: both fabric trips, added after the controller. */
  private fold = new Float64Array(0)
  readonly paths: SanPath[] = []
  /** Resource indexes: per path its adapter queue and fabric, per LUN its queue, and the back end. */
  private readonly hbaRes: number[] = []
  private readonly fabricRes: number[] = []
  private readonly lunRes: number[]
  private readonly backRes: number
  // Statistics since the last reset.
  private present = 0
  private lastChange = 0
  private area = 0
  completions = 0
  statsSince = 0

  constructor(
    private readonly sim: Simulator,
    readonly spec: StorageArray,
    private readonly requests: RequestPool,
    private readonly rng: Rng,
    spindleModel: (i: number) => DiskModel,
    /** Called when a front-end request completes. */
    private readonly done: (req: number) => void,
    private readonly resources: ResourceRegistry,
    /** Attributes wait and service at a resource to a front-end request's operation. */
    private readonly charge: (req: number, res: number, waitNs: number, serviceNs: number) => void
  ) {
    this.penalty = raidLevels[spec.disks.raid].writePenalty
    this.dirtyLimitKb = spec.cache.write_back ? spec.cache.gb * 1024 * 1024 * DIRTY_SHARE : 0
    const served = (r: number, w: number, sv: number): void => {
      this.childWait[r] = w
      this.childService[r] = sv
    }
    for (let i = 0; i < spec.disks.count; i++) {
      const model = spindleModel(i)
      this.spindles.push(new Station(sim, `${spec.id}/spindle${i}`, model.servers, (r) => model.service(r), (r) => this.backendDone(r), served))
    }
    this.lunRes = spec.luns.map((l) => resources.index('lun', `${spec.id}/${l.id}`))
    this.backRes = resources.index('array', `${spec.id} back end`)
    this.lunGates = spec.luns.map(() => new Gate(spec.lun_queue_depth, (r) => this.advance(r)))
    this.delayHandler = sim.register((r) => this.advance(r))
  }

  addPath(path: SanPath): number {
    this.paths.push(path)
    this.hbaRes.push(this.resources.index('hba', `${path.label} → ${this.spec.id}`))
    this.fabricRes.push(this.resources.index('fabric', `${path.label} fabric`))
    return this.paths.length - 1
  }

  /** A front-end request for LUN `lun` from the host behind path `path`. */
  submit(req: number, path: number, lun: number): void {
    this.ensure(req)
    this.mark[req] = this.sim.now
    this.reqPath[req] = path
    this.reqLun[req] = lun
    this.requests.subStage[req] = S_HBA
    this.paths[path]!.hbaGate.acquire(req)
  }

  /** Grows the per-request arrays to hold request id `req`. */
  private ensure(req: number): void {
    if (req < this.reqPath.length) return
    const n = Math.max(256, (req + 1) * 2)
    this.reqPath = grown(this.reqPath, n)
    this.reqLun = grown(this.reqLun, n)
    this.mark = grown(this.mark, n)
    this.childWait = grown(this.childWait, n)
    this.childService = grown(this.childService, n)
    this.fold = grown(this.fold, n)
  }

  /** Moves a request past the stage it just finished (gates and delays call this). */
  advance(req: number): void {
    const r = this.requests
    const path = this.paths[this.reqPath[req]!]!
    switch (r.subStage[req]) {
      case S_HBA:
        this.charge(req, this.hbaRes[this.reqPath[req]!]!, this.sim.now - this.mark[req]!, 0)
        this.mark[req] = this.sim.now
        r.subStage[req] = S_LUN
        return this.lunGates[this.reqLun[req]!]!.acquire(req)
      case S_LUN: {
        this.charge(req, this.lunRes[this.reqLun[req]!]!, this.sim.now - this.mark[req]!, 0)
        this.integrate(1)
        // Write data travels to the array; a read's command is small. Back comes the status, or the read's data.
        const outKb = r.write[req] === 1 ? r.kb[req]! : path.commandKb
        if (path.linkOut) {
          r.subStage[req] = S_FABRIC_OUT
          return this.cross(req, path.linkOut, path, outKb)
        }
        // FC: both trips (a few µs) are folded into one delay after the controller, so a request reaches the
        // controller as it leaves the LUN queue: its response time is the same, with one event instead of three.
        const backKb = r.write[req] === 1 ? path.commandKb : r.kb[req]!
        const ns = 2 * path.hopNs + ((outKb + backKb) * 8192) / path.gbps
        this.fold[req] = ns
        this.charge(req, this.fabricRes[this.reqPath[req]!]!, 0, ns)
        r.subStage[req] = S_CONTROLLER
        return this.controller(req)
      }
      case S_FABRIC_OUT:
        r.subStage[req] = S_CONTROLLER
        return this.controller(req)
      case S_CONTROLLER:
        if (!path.linkBack) {
          r.subStage[req] = S_FABRIC_BACK
          return void this.sim.schedule(this.fold[req]!, this.delayHandler, req)
        }
        // iSCSI over a NIC: the Ethernet switch hops out and back, then the reply on the receive link.
        r.subStage[req] = S_HOPPED
        this.charge(req, this.fabricRes[this.reqPath[req]!]!, 0, 2 * path.hopNs)
        return void this.sim.schedule(2 * path.hopNs, this.delayHandler, req)
      case S_HOPPED:
        r.subStage[req] = S_FABRIC_BACK
        return this.cross(req, path.linkBack!, path, r.write[req] === 1 ? path.commandKb : r.kb[req]!)
      case S_FABRIC_BACK:
        r.subStage[req] = S_DONE
        this.integrate(-1)
        this.completions++
        this.lunGates[this.reqLun[req]!]!.release()
        path.hbaGate.release()
        return this.done(req)
    }
  }

  /** iSCSI over a host NIC: `kb` crosses one of the NIC's links (a queue shared with the VMs' traffic). */
  private cross(req: number, link: Station, path: SanPath, kb: number): void {
    this.requests.wireNs[req] = (kb * 8192) / path.gbps
    link.arrive(req)
  }

  private controller(req: number): void {
    const r = this.requests
    const kb = r.kb[req]!
    if (r.write[req] !== 1) {
      if (this.rng.next() < this.spec.cache.read_hit) return this.cacheServe(req, CACHE_HIT_NS)
      r.waiting[req] = 1
      this.spawn(req, this.rng.int(this.spindles.length), true, true)
      return
    }
    const base = this.rng.int(this.spindles.length)
    // A first write's allocation (zeros and metadata) is written like the data: into cache, or through to the spindles.
    const total = kb + r.extraKb[req]!
    if (this.dirtyKb + total * this.penalty <= this.dirtyLimitKb) {
      // Write-back: acknowledged from cache; the back end destages later.
      this.dirtyKb += total * this.penalty
      for (let k = 0; k < this.penalty; k++) this.spawn(req, this.spindleOf(base, k), false, true)
      return this.cacheServe(req, WRITE_ACK_NS)
    }
    r.waiting[req] = this.penalty
    // A first write's allocation work (zeroing, metadata) is the back end's, once per front-end write.
    for (let k = 0; k < this.penalty; k++) this.spawn(req, this.spindleOf(base, k), true, true)
  }

  /**
   * The spindle of a write's k-th back-end I/O: mirror copies (RAID 1, 10) go to different spindles;
   * parity RAID (5, 6) reads and then writes each of its data and parity blocks on the same spindle.
   */
  private spindleOf(base: number, k: number): number {
    const perSpindle = this.penalty >= 4 ? 2 : 1
    return (base + Math.floor(k / perSpindle)) % this.spindles.length
  }

  /** A read hit or a write acknowledged from the controller's cache. */
  private cacheServe(req: number, ns: number): void {
    const r = this.requests
    const service = ns
    this.charge(req, this.backRes, 0, service)
    const path = this.paths[this.reqPath[req]!]!
    if (path.linkBack) {
      // iSCSI over a NIC: the switch hops out and back ride along with the cache's answer.
      this.charge(req, this.fabricRes[this.reqPath[req]!]!, 0, 2 * path.hopNs)
      r.subStage[req] = S_HOPPED
      return void this.sim.schedule(service + 2 * path.hopNs, this.delayHandler, req)
    }
    // Over FC the trip back is folded in: the request is done when this delay ends.
    r.subStage[req] = S_FABRIC_BACK
    this.sim.schedule(service + this.fold[req]!, this.delayHandler, req)
  }

  /**
   * Issues one back-end I/O of front-end request `req` (a read or write like it) to a spindle. With `waits`,
   * `req` waits for it (its `waiting` count is the caller's); without, it is a write-back destage. With
   * `carriesAllocation`, it also writes `req`'s first-write allocation (zeros and metadata); every copy of a
   * mirror and every parity update carries it, as it carries the data.
   */
  private spawn(req: number, spindle: number, waits: boolean, carriesAllocation: boolean): void {
    const r = this.requests
    const c = r.alloc()
    r.kind[c] = KIND_BACKEND
    r.parent[c] = waits ? req : -1
    r.kb[c] = r.kb[req]!
    r.write[c] = r.write[req]!
    r.sequential[c] = r.sequential[req]!
    r.port[c] = r.port[req]!
    r.vm[c] = r.vm[req]!
    r.unit[c] = spindle
    r.extraKb[c] = carriesAllocation ? r.extraKb[req]! : 0
    r.extraWrites[c] = carriesAllocation ? r.extraWrites[req]! : 0
    // Stripes scatter a LUN over the spindles: each back-end I/O lands at a random place.
    r.pos[c] = this.rng.next()
    this.ensure(c)
    this.spindles[spindle]!.arrive(c)
  }

  private backendDone(c: number): void {
    const r = this.requests
    const parent = r.parent[c]!
    if (parent < 0) this.dirtyKb = Math.max(0, this.dirtyKb - r.kb[c]! - r.extraKb[c]!)
    r.release(c)
    if (parent >= 0 && --r.waiting[parent]! === 0) {
      // Siblings start together, so the last one to finish spans the parent's whole wait at the back end.
      this.charge(parent, this.backRes, this.childWait[c]!, this.childService[c]!)
      this.advance(parent)
    }
  }

  private integrate(delta: number): void {
    const now = this.sim.now
    this.area += this.present * (now - this.lastChange)
    this.lastChange = now
    this.present += delta
  }

  /** Mean front-end requests inside the array since the last reset. */
  meanPresent(): number {
    this.integrate(0)
    const span = this.sim.now - this.statsSince
    return span > 0 ? this.area / span : 0
  }

  utilization(): number {
    let u = 0
    for (const s of this.spindles) u += s.utilization()
    return this.spindles.length > 0 ? u / this.spindles.length : 0
  }

  resetStats(): void {
    this.integrate(0)
    this.area = 0
    this.completions = 0
    this.statsSince = this.sim.now
    for (const s of this.spindles) s.resetStats()
  }
}
