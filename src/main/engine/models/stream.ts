/**
 * Background streams: I/O the hypervisor itself runs beside the VMs' work — a
 * live migration's pages over a host NIC, a clone's or a snapshot
 * consolidation's copy on a volume. A stream sends fixed-size chunks along
 * routes of the same stage objects the VMs' requests use (models/route.ts),
 * so it queues at the same links, adapters, LUN queues and spindles and loads
 * them as a VM's I/O would; its requests belong to no operation (op −1), so
 * no VM's time is charged for them. A chunk is one request, or a read then a
 * write (a copy). A cap on the stream's rate paces its chunks.
 */
import type { Simulator } from '../kernel/kernel'
import { KIND_DISK, KIND_NET, type RequestPool } from './requests'
import { Stage, type Routes } from './route'

/** Where a stream's chunks go: a link (network) or a virtual disk's route (disk). */
export interface StreamLeg {
  /** The stages up to, not including, the stream's own end. */
  stages: readonly Stage[]
  kind: 'net' | 'disk'
  /** The VM and disk a disk leg belongs to (for devices that tell streams apart); the VM for a net leg. */
  vm: number
  port: number
  /** Disk: where its blocks are on the device (fractions), and array unit; net: link speed, Gb/s. */
  regionStart?: number
  regionSize?: number
  sizeKb?: number
  gbps?: number
}

export interface StreamSpec {
  /** Read legs then write legs: a copy chunk is read on `read` and written on `write`; a send has only `write`. */
  read: StreamLeg | null
  write: StreamLeg
  chunkKb: number
  outstanding: number
  /** Cap on the stream's rate, Gb/s (Infinity: none). */
  capGbps: number
}

/** The stage ending every chunk's route: the stream hears it back. */
class StreamEnd extends Stage {
  constructor(
    routes: Routes,
    private readonly stream: Stream
  ) {
    super(routes)
  }

  enter(req: number): void {
    this.stream.chunkDone(req)
  }
}

export class Stream {
  /** KB asked for in the current batch, sent so far (all batches), and in flight. */
  private leftKb = 0
  sentKb = 0
  private inFlight = 0
  private lastIssueNs = -Infinity
  private readonly readRoute: number
  private readonly writeRoute: number
  private readonly hIssue: number
  private onIdle: (() => void) | null = null
  private pendingIssues = 0
  /** Sequential offset through the disk, KB (copies read and write in order). */
  private cursorKb = 0
  stopped = false

  constructor(
    private readonly sim: Simulator,
    private readonly requests: RequestPool,
    private readonly routes: Routes,
    private readonly spec: StreamSpec
  ) {
    const end = new StreamEnd(routes, this)
    this.readRoute = spec.read ? routes.add([...spec.read.stages, end]) : -1
    this.writeRoute = routes.add([...spec.write.stages, end])
    this.hIssue = sim.register((kb) => {
      this.pendingIssues--
      this.issue(kb)
      this.checkIdle()
    })
  }

  /** Sends `kb` more (whole KB); `done` is called once all of it has arrived. */
  send(kb: number, done: () => void): void {
    kb = Math.ceil(kb)
    this.leftKb += kb
    this.onIdle = done
    if (kb <= 0 && this.inFlight === 0) {
      this.onIdle = null
      done()
      return
    }
    this.fill()
  }

  /** Stops issuing new chunks; those in flight finish. */
  stop(): void {
    this.stopped = true
    this.onIdle = null
  }

  private fill(): void {
    while (!this.stopped && this.leftKb > 0 && this.inFlight + this.pendingIssues < this.spec.outstanding) {
      const kb = Math.min(this.spec.chunkKb, this.leftKb)
      this.leftKb -= kb
      const gapNs = Number.isFinite(this.spec.capGbps) ? (kb * 1024 * 8) / this.spec.capGbps : 0
      const at = Math.max(this.sim.now, this.lastIssueNs + gapNs)
      this.lastIssueNs = at
      if (at > this.sim.now) {
        this.pendingIssues++
        this.sim.scheduleAt(at, this.hIssue, kb)
      } else this.issue(kb)
    }
  }

  private issue(kb: number): void {
    if (this.stopped) return
    this.inFlight++
    const leg = this.spec.read ?? this.spec.write
    this.start(leg, kb, this.spec.read === null, this.spec.read ? this.readRoute : this.writeRoute)
  }

  private start(leg: StreamLeg, kb: number, write: boolean, route: number): void {
    const r = this.requests
    const req = r.alloc()
    r.kind[req] = leg.kind === 'net' ? KIND_NET : KIND_DISK
    r.vm[req] = leg.vm
    r.port[req] = leg.port
    r.kb[req] = kb
    r.write[req] = write ? 1 : 0
    r.sequential[req] = 1
    if (leg.kind === 'net') r.wireNs[req] = (kb * 1024 * 8) / (leg.gbps ?? 1)
    else {
      const size = leg.sizeKb ?? 1
      r.pos[req] = (leg.regionStart ?? 0) + ((leg.regionSize ?? 1) * (this.cursorKb % size)) / size
    }
    r.issued[req] = this.sim.now
    this.routes.start(req, route)
  }

  /** A chunk's request came back: a copy's read goes on to its write; a write ends the chunk. */
  chunkDone(req: number): void {
    const r = this.requests
    const kb = r.kb[req]!
    const wasRead = this.spec.read !== null && r.route[req] === this.readRoute
    r.release(req)
    if (wasRead) {
      this.start(this.spec.write, kb, true, this.writeRoute)
      return
    }
    this.inFlight--
    this.sentKb += kb
    this.cursorKb += kb
    if (this.leftKb > 0) this.fill()
    else this.checkIdle()
  }

  private checkIdle(): void {
    if (this.leftKb > 0 || this.inFlight > 0 || this.pendingIssues > 0 || !this.onIdle) return
    const done = this.onIdle
    this.onIdle = null
    done()
  }
}
