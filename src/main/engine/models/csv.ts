/**
 * Cluster Shared Volumes (docs/model.md §5): every node reads and writes the
 * LUN directly; only a metadata change — a growing VHD allocating a block —
 * goes to the volume's coordinator node, over the cluster network unless the
 * node is the coordinator itself, and waits for the coordinator's metadata
 * queue (one update at a time per volume). As a stage, the trip comes first on
 * the route of a disk on a CSV; a request that allocates nothing passes it.
 */
import type { Simulator } from '../kernel/kernel'
import { Stage, type Arrivals, type Attributor, type Routes } from './route'

/** A disk write that first needs its cluster volume's coordinator to allocate (requests.meta). */
export const META_COORDINATOR = 1

export class CoordinatorTrip extends Stage {
  private readonly hArrive: number

  constructor(
    routes: Routes,
    sim: Simulator,
    /** The coordinator's metadata queue; its service is the request's `wireNs`. */
    private readonly coordinator: Arrivals,
    /** The coordinator's work per update, and the round trip to it over the cluster network (0 on the coordinator), ns. */
    private readonly workNs: number,
    private readonly rttNs: number,
    private readonly rttRes: number,
    private readonly attribution: Attributor
  ) {
    super(routes)
    this.hArrive = sim.register((req) => this.coordinator.arrive(req))
  }

  enter(req: number): void {
    const r = this.routes.requests
    if (r.meta[req] !== META_COORDINATOR) return this.routes.next(req)
    r.meta[req] = 0
    // The coordinator's station takes its service time from wireNs, as links do.
    r.wireNs[req] = this.workNs
    if (this.rttNs > 0) {
      this.attribution.charge(req, this.rttRes, 0, this.rttNs)
      this.routes.sim.schedule(this.rttNs, this.hArrive, req)
      return
    }
    this.coordinator.arrive(req)
  }
}
