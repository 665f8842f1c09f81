/**
 * A queueing station: `servers` identical servers in front of one FIFO queue
 * (a disk arm, a set of flash channels, a spindle in an array, a network
 * link). The service time of each request is asked of a `service` function
 * when it starts (so a disk can look at where its heads are); when it ends,
 * `done` is called. The station keeps the time-integral of the number of
 * requests present (for mean queue depth), busy server-time (utilization),
 * completions and, when asked, a response-time histogram. An optional `served` hook hears
 * each request's wait and service time as it leaves (for attribution).
 */
import type { Simulator } from '../kernel/kernel'
import { Histogram } from '../kernel/histogram'
import { Deque } from '../kernel/deque'
import { grown } from '../kernel/grow'

export class Station {
  private busy = 0
  private queue = new Deque()
  private readonly handler: number
  // Per request id: when it arrived and when its service started.
  private arrived = new Float64Array(0)
  private started = new Float64Array(0)
  // Statistics since the last reset.
  private lastChange = 0
  private areaPresent = 0
  busyNs = 0
  completions = 0
  /** Response times since the last reset; kept only for stations whose latency the result reports. */
  readonly response: Histogram | null
  statsSince = 0

  constructor(
    private readonly sim: Simulator,
    readonly name: string,
    readonly servers: number,
    private readonly service: (req: number) => number,
    private readonly done: (req: number) => void,
    private readonly served: ((req: number, waitNs: number, serviceNs: number) => void) | null = null,
    recordResponse = false
  ) {
    this.response = recordResponse ? new Histogram() : null
    this.handler = sim.register((req) => this.finish(req))
  }

  arrive(req: number): void {
    this.integrate()
    if (req >= this.arrived.length) {
      const n = Math.max(256, (req + 1) * 2)
      this.arrived = grown(this.arrived, n)
      this.started = grown(this.started, n)
    }
    this.arrived[req] = this.sim.now
    if (this.busy < this.servers) this.start(req)
    else this.queue.pushBack(req)
  }

  private start(req: number): void {
    this.busy++
    const s = this.service(req)
    this.started[req] = this.sim.now
    this.sim.schedule(s, this.handler, req)
  }

  private finish(req: number): void {
    this.integrate()
    this.busy--
    const now = this.sim.now
    this.busyNs += now - Math.max(this.started[req]!, this.statsSince)
    this.completions++
    if (this.response) this.response.record(now - this.arrived[req]!)
    if (this.served) this.served(req, this.started[req]! - this.arrived[req]!, now - this.started[req]!)
    if (this.queue.length > 0) this.start(this.queue.popFront())
    this.done(req)
  }

  private integrate(): void {
    const now = this.sim.now
    this.areaPresent += (this.busy + this.queue.length) * (now - this.lastChange)
    this.lastChange = now
  }

  /** Mean number of requests present since the last reset. */
  meanPresent(): number {
    this.integrate()
    const span = this.sim.now - this.statsSince
    return span > 0 ? this.areaPresent / span : 0
  }

  /** Utilization since the last reset, 0..1 (in-progress service is counted up to now). */
  utilization(): number {
    const span = this.sim.now - this.statsSince
    if (span <= 0) return 0
    return Math.min(1, this.busyNs / (this.servers * span))
  }

  resetStats(): void {
    this.integrate()
    this.areaPresent = 0
    this.busyNs = 0
    this.completions = 0
    this.response?.reset()
    this.statsSince = this.sim.now
  }
}
