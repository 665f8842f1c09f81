/**
 * The I/O path as stage objects (docs/model.md §4–5). Every virtual disk and
 * virtual NIC is bound to a *route*: the list of stages its requests pass,
 * from the first queue they meet to the stage that hands them back to their
 * operation. A stage is an object — an adapter's queue slot, a LUN's queue
 * slot, a fabric, an array's controller, a link, a disk, a cluster volume's
 * coordinator — and a stage shared by several routes (one HBA queue for every
 * disk behind it) is one object in each of their lists.
 *
 * A request carries its route and how far along it it is (`hop`); a stage
 * that is done with a request passes it on with `next`. A route never changes
 * once requests use it: a port bound to another path (a VM that moved, a path
 * that failed over) gets a new route, and requests in flight finish on theirs.
 */
import type { Simulator } from '../kernel/kernel'
import type { RequestPool } from './requests'

/** Who hears where a request's time went: waiting at, and being served by, a resource (see resources.ts). */
export interface Attributor {
  charge(req: number, res: number, waitNs: number, serviceNs: number): void
}

/** One step of a route. */
export abstract class Stage {
  constructor(protected readonly routes: Routes) {}

  /** The request arrives at this stage now. */
  abstract enter(req: number): void

  /**
   * The request reaches this stage after `delayNs` of service upstream (an array's controller answering).
   * By default one event then; a stage that is itself a delay folds the two into one event.
   */
  enterAfter(req: number, delayNs: number): void {
    if (delayNs === 0) this.enter(req)
    else this.routes.enterLater(req, delayNs)
  }
}

/** A stage that is a queueing station: the request queues for a server; when served it goes on (see `Station`). */
export interface Arrivals {
  arrive(req: number): void
}

export class StationStage extends Stage {
  constructor(
    routes: Routes,
    private readonly station: Arrivals
  ) {
    super(routes)
  }

  enter(req: number): void {
    this.station.arrive(req)
  }
}

export class Routes {
  private readonly list: Stage[][] = []
  /** Event handlers: enter the stage a request's hop points at; move it on to the next one. */
  private readonly hEnter: number
  private readonly hNext: number

  constructor(
    readonly sim: Simulator,
    readonly requests: RequestPool
  ) {
    this.hEnter = sim.register((req) => this.enterCurrent(req))
    this.hNext = sim.register((req) => this.next(req))
  }

  /** Registers a route; its id goes in `start`. */
  add(stages: Stage[]): number {
    if (stages.length === 0) throw new Error('a route needs at least one stage')
    this.list.push(stages)
    return this.list.length - 1
  }

  stagesOf(route: number): readonly Stage[] {
    return this.list[route]!
  }

  /** A new request enters its route's first stage. */
  start(req: number, route: number): void {
    const r = this.requests
    r.route[req] = route
    r.hop[req] = 0
    this.list[route]![0]!.enter(req)
  }

  /** The request's current stage is done with it: on to the next. */
  next(req: number): void {
    const r = this.requests
    const hop = ++r.hop[req]!
    this.list[r.route[req]!]![hop]!.enter(req)
  }

  /** The request's current stage is done with it after `delayNs` more of its service: the next stage takes it then. */
  nextAfter(req: number, delayNs: number): void {
    const r = this.requests
    const hop = ++r.hop[req]!
    this.list[r.route[req]!]![hop]!.enterAfter(req, delayNs)
  }

  /** One event after `delayNs`, then on to the next stage (a stage that is a pure delay). */
  nextLater(req: number, delayNs: number): void {
    this.sim.schedule(delayNs, this.hNext, req)
  }

  /** One event after `delayNs`, then into the stage the request's hop already points at. */
  enterLater(req: number, delayNs: number): void {
    this.sim.schedule(delayNs, this.hEnter, req)
  }

  private enterCurrent(req: number): void {
    const r = this.requests
    this.list[r.route[req]!]![r.hop[req]!]!.enter(req)
  }
}
