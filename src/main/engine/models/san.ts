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
 *
 * Each of those steps is a stage of the route a virtual disk on the LUN is
 * bound to (route.ts): the adapter's queue slot, the LUN's queue slot, the
 * fabric out, the controller, the fabric back and the exit that frees both
 * slots. The array hands out the stages for a path and a LUN; a request
 * carries no code of where it is.
 */
import type { StorageArray } from '../../../shared/experiment/schema'
import type { Simulator } from '../kernel/kernel'
import { Deque } from '../kernel/deque'
import { grown } from '../kernel/grow'
import type { RequestPool } from './requests'
import { KIND_BACKEND } from './requests'
import { Stage, type Arrivals, type Attributor, type Routes } from './route'
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

/** A slot in a bounded queue (an adapter's queue depth, a LUN's active commands): the request waits for one, holds it and gives it back at the array's exit. */
export class QueueSlot extends Stage {
  readonly gate: Gate

  constructor(
    routes: Routes,
    capacity: number,
    /** Resource index of the queue (attribution). */
    private readonly res: number,
    private readonly attribution: Attributor,
    /** Called as a request takes its slot, before it goes on. */
    private readonly onGrant: (() => void) | null = null
  ) {
    super(routes)
    this.gate = new Gate(capacity, (req) => this.granted(req))
  }

  enter(req: number): void {
    this.routes.requests.mark[req] = this.routes.sim.now
    this.gate.acquire(req)
  }

  private granted(req: number): void {
    this.attribution.charge(req, this.res, this.routes.sim.now - this.routes.requests.mark[req]!, 0)
    if (this.onGrant) this.onGrant()
    this.routes.next(req)
  }
}

/** How a host reaches an array: its adapter's queue and the fabric. */
export interface SanPath {
  hba: QueueSlot
  /** One-way fabric latency (switch hop), ns. */
  hopNs: number
  /** A command or status on this fabric's wire, KB (catalog fabric). */
  commandKb: number
  /** Wire rate, Gb/s. */
  gbps: number
  /** iSCSI over a host NIC: its transmit and receive links (shared with VM traffic); null for FC and iSCSI HBAs. */
  linkOut: Arrivals | null
  linkBack: Arrivals | null
  /** The host's adapter, e.g. `h1/fc0` (names its queue and fabric in the accounting). */
  label: string
  /** Resource index of the fabric (attribution). */
  fabricRes: number
}

/** The array controller (catalog `storage`): cache-hit service and write-back acknowledge, ns, and the dirty share. */
const CACHE_HIT_NS = defaultArrayController.cacheHitMs * 1e6
const WRITE_ACK_NS = defaultArrayController.writeAckMs * 1e6
const DIRTY_SHARE = defaultArrayController.dirtyShare

/** KB a request carries out to the array (a write's data, a read's command) and back (a write's status, a read's data). */
function outKb(r: RequestPool, req: number, path: SanPath): number {
  return r.write[req] === 1 ? r.kb[req]! : path.commandKb
}
function backKb(r: RequestPool, req: number, path: SanPath): number {
  return r.write[req] === 1 ? path.commandKb : r.kb[req]!
}

/**
 * FC (or an iSCSI HBA): both fabric trips (a few µs) are folded into one delay after the controller, so a
 * request reaches the controller as it leaves the LUN queue: its response time is the same, with one event
 * instead of three. This stage computes and charges the trips; `FoldedFabricBack` takes them.
 */
class FoldedFabricOut extends Stage {
  constructor(
    routes: Routes,
    private readonly path: SanPath,
    private readonly attribution: Attributor
  ) {
    super(routes)
  }

  enter(req: number): void {
    const r = this.routes.requests
    const path = this.path
    const ns = 2 * path.hopNs + ((outKb(r, req, path) + backKb(r, req, path)) * 8192) / path.gbps
    r.carryNs[req] = ns
    this.attribution.charge(req, path.fabricRes, 0, ns)
    this.routes.next(req)
  }
}

/** The fabric trips `FoldedFabricOut` computed, taken in the same event as the controller's answer. */
class FoldedFabricBack extends Stage {
  enter(req: number): void {
    this.enterAfter(req, 0)
  }

  override enterAfter(req: number, delayNs: number): void {
    this.routes.nextLater(req, delayNs + this.routes.requests.carryNs[req]!)
  }
}

/** iSCSI over a host NIC: the request crosses one of the NIC's links, a queue shared with the VMs' traffic. */
class IscsiWire extends Stage {
  constructor(
    routes: Routes,
    private readonly path: SanPath,
    private readonly link: Arrivals,
    private readonly out: boolean
  ) {
    super(routes)
  }

  enter(req: number): void {
    const r = this.routes.requests
    const kb = this.out ? outKb(r, req, this.path) : backKb(r, req, this.path)
    r.wireNs[req] = (kb * 8192) / this.path.gbps
    this.link.arrive(req)
  }
}

/** iSCSI over a host NIC: the Ethernet switch hops out and back, taken with the controller's answer; the reply then crosses the NIC's receive link. */
class IscsiHops extends Stage {
  constructor(
    routes: Routes,
    private readonly path: SanPath,
    private readonly attribution: Attributor
  ) {
    super(routes)
  }

  enter(req: number): void {
    this.enterAfter(req, 0)
  }

  override enterAfter(req: number, delayNs: number): void {
    this.attribution.charge(req, this.path.fabricRes, 0, 2 * this.path.hopNs)
    this.routes.nextLater(req, delayNs + 2 * this.path.hopNs)
  }
}

/** The controller: cache, or the spindles behind it (see `SanArray.controller`). */
class Controller extends Stage {
  constructor(
    routes: Routes,
    private readonly array: SanArray
  ) {
    super(routes)
  }

  enter(req: number): void {
    this.array.controller(req)
  }
}

/** Leaving the array: both queue slots are given back (a request waiting for either takes it now), then the request goes on. */
class ArrayExit extends Stage {
  constructor(
    routes: Routes,
    private readonly array: SanArray,
    private readonly lun: QueueSlot,
    private readonly hba: QueueSlot
  ) {
    super(routes)
  }

  enter(req: number): void {
    this.array.left()
    this.lun.gate.release()
    this.hba.gate.release()
    this.routes.next(req)
  }
}

export class SanArray {
  readonly spindles: Station[] = []
  readonly luns: QueueSlot[]
  private readonly penalty: number
  private readonly dirtyLimitKb: number
  private dirtyKb = 0
  /** Per back-end request: its spindle wait and service. */
  private childWait = new Float64Array(0)
  private childService = new Float64Array(0)
  readonly paths: SanPath[] = []
  /** Resource indexes: per LUN its queue, and the back end. */
  private readonly lunRes: number[]
  private readonly backRes: number
  private readonly controllerStage: Controller
  /** The stages from a path to a LUN, built on first use: `path:lun`. */
  private readonly stageLists = new Map<string, Stage[]>()
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
    private readonly routes: Routes,
    private readonly resources: ResourceRegistry,
    /** Hears wait and service at a resource for a front-end request's operation. */
    private readonly attribution: Attributor
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
    this.luns = spec.luns.map((_, i) => new QueueSlot(routes, spec.lun_queue_depth, this.lunRes[i]!, attribution, () => this.integrate(1)))
    this.controllerStage = new Controller(routes, this)
  }

  /** A host's way to the array through one of its adapters: `queueDepth` commands in flight, the fabric's hop and rate, and the NIC's links for iSCSI over a NIC. */
  addPath(p: { label: string; queueDepth: number; hopNs: number; commandKb: number; gbps: number; linkOut: Arrivals | null; linkBack: Arrivals | null }): number {
    const hbaRes = this.resources.index('hba', `${p.label} → ${this.spec.id}`)
    const fabricRes = this.resources.index('fabric', `${p.label} fabric`)
    const hba = new QueueSlot(this.routes, p.queueDepth, hbaRes, this.attribution)
    this.paths.push({ hba, hopNs: p.hopNs, commandKb: p.commandKb, gbps: p.gbps, linkOut: p.linkOut, linkBack: p.linkBack, label: p.label, fabricRes })
    return this.paths.length - 1
  }

  /** The stages a request to LUN `lun` from the host behind path `path` passes, from the adapter's queue to the array's exit. */
  stagesFor(path: number, lun: number): Stage[] {
    const key = `${path}:${lun}`
    const known = this.stageLists.get(key)
    if (known) return known
    const p = this.paths[path]!
    const routes = this.routes
    const exit = new ArrayExit(routes, this, this.luns[lun]!, p.hba)
    const stages: Stage[] =
      p.linkOut && p.linkBack
        ? [p.hba, this.luns[lun]!, new IscsiWire(routes, p, p.linkOut, true), this.controllerStage, new IscsiHops(routes, p, this.attribution), new IscsiWire(routes, p, p.linkBack, false), exit]
        : [p.hba, this.luns[lun]!, new FoldedFabricOut(routes, p, this.attribution), this.controllerStage, new FoldedFabricBack(routes), exit]
    this.stageLists.set(key, stages)
    return stages
  }

  /** Grows the per-back-end-request arrays to hold request id `req`. */
  private ensure(req: number): void {
    if (req < this.childWait.length) return
    const n = Math.max(256, (req + 1) * 2)
    this.childWait = grown(this.childWait, n)
    this.childService = grown(this.childService, n)
  }

  /** A front-end request reached the controller. */
  controller(req: number): void {
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

  /** A read hit or a write acknowledged from the controller's cache: the answer leaves after `ns`. */
  private cacheServe(req: number, ns: number): void {
    this.attribution.charge(req, this.backRes, 0, ns)
    this.routes.nextAfter(req, ns)
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
      this.attribution.charge(parent, this.backRes, this.childWait[c]!, this.childService[c]!)
      this.routes.nextAfter(parent, 0)
    }
  }

  /** A front-end request left the array (its exit stage). */
  left(): void {
    this.integrate(-1)
    this.completions++
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

  /**
   * Request-ns spent inside the array since the last reset, up to now, read without closing the open
   * interval: `integrate` is left to the events, so reading for a sample window changes no sum the summary makes.
   */
  presentNs(): number {
    return this.area + this.present * (this.sim.now - this.lastChange)
  }

  /** Busy time of the back end since the last reset, in spindle-ns: each spindle's busy server-ns over its servers. */
  busySpindleNs(): number {
    let ns = 0
    for (const s of this.spindles) ns += s.busyNs / s.servers
    return ns
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
