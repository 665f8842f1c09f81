/**
 * One VM as the simulation runs it: its resolved workload and techniques, its
 * cost model, its virtual disks and NICs bound to physical targets (ports), the
 * demands of one operation bound to those ports, its vCPUs and run queue of
 * operations waiting for one, and its power state.
 */
import type { DeviceSpec, DiskFormatSpec, ResolvedWorkload } from '../../../shared/catalog'
import type { Vm } from '../../../shared/experiment/schema'
import type { CostModel, CpuSplit, IoMechanism, IoSums } from '../models/costmodel'
import type { HostCpu } from '../models/cpu'
import { Deque } from '../kernel/deque'
import type { Rng } from '../kernel/rng'
import type { SanArray } from '../models/san'
import type { Station } from '../models/station'
import { VmStats } from './stats'
import type { Techniques } from '../../../shared/experiment/techniques'
import { Sampler } from '../kernel/distributions'

const NS_PER_MS = 1e6

/** A virtual disk bound to where its blocks live. */
export interface DiskPort {
  device: DeviceSpec
  /** Virtual-disk layer (null: pass-through or native). */
  format: DiskFormatSpec | null
  /** A local physical disk's station, or an array path. */
  station: Station | null
  array: SanArray | null
  arrayIndex: number
  pathIndex: number
  lun: number
  /** Where the disk's blocks are on the physical device, as fractions of its capacity. */
  regionStart: number
  regionSize: number
  /** Size of the virtual disk, KB, and the next sequential offset in it. */
  sizeKb: number
  cursorKb: number
  /** Share of the virtual disk already allocated (growable formats). */
  allocated: number
  /** A software iSCSI initiator's cost in P4-672 cycles (per request, per KB); null when not iSCSI over a NIC. */
  iscsi: { cycles: number; cyclesPerKb: number } | null
  /** Requests of this disk in flight (paravirtual batching grows with it). */
  outstanding: number
  /** On a Cluster Shared Volume with a growable format: an allocation first goes to the volume's coordinator. */
  csv: boolean
  /** The route its requests travel (models/route.ts): the physical path to its device, then back to the operation. */
  route: number
  /** KB the guest has written to it since the run began (a snapshot's consolidation copies what was written into the delta). */
  writtenKb: number
}

/** A virtual NIC bound to its host uplink (or none: loopback). */
export interface NicPort {
  device: DeviceSpec
  tx: Station | null
  rx: Station | null
  gbps: number
  /** Routes of a transfer sent and received: the uplink's transmit or receive link, then back to the operation. */
  txRoute: number
  rxRoute: number
}

/** One demand of an operation, bound to a port. */
export interface Demand {
  disk: boolean
  port: number
  kb: number
  write: boolean
  sequential: boolean
  /** Expected requests per operation (disk), or packets of the one transfer (net). */
  count: number
  bytes: number
  tx: boolean
  /**
   * The I/O mechanisms of one request (disk) or of the transfer (net), from the cost model, and what they
   * cost summed by where they run: the engine charges the sums, `explain` lists the mechanisms.
   */
  mechanisms: IoMechanism[]
  cost: IoSums
  /** Link time of a network transfer, ns. */
  netWireNs: number
  /** The route its requests travel (its disk's, or its NIC's in its direction). */
  route: number
}

export class VmRuntime {
  readonly stats = new VmStats()
  readonly queue = new Deque()
  readonly idleVcpus: number[] = []
  powered = false
  /** Sequence number of the live arrival event (open arrivals), to ignore superseded ones. */
  arrivalSeq = -1
  activeClients = 0
  /** Operations arrived and not yet completed. */
  inFlight = 0
  diskPorts: DiskPort[] = []
  nicPorts: NicPort[] = []
  demands: Demand[] = []
  /** CPU of an operation's own work (no I/O), ns by category. */
  base: CpuSplit = { guest: 0, exits: 0, walks: 0, emulation: 0 }
  thinkSampler: Sampler | null = null
  /** Spread of an operation's own CPU work around its mean (null: every operation alike). */
  workSampler: Sampler | null = null
  /** A remote peer's turnaround after the operation's I/O, ns (0: it has no network demand or no peer). */
  peerNs = 0
  /** Resource indexes: the VM's own vCPUs (run queue), its host's cores and world switches, its remote peer. */
  runQueueRes = -1
  coresRes = -1
  switchRes = -1
  peerRes = -1

  /** While frozen (a move in preparation), operations wait in the VM's run queue and no vCPU takes a new one. */
  frozen = false
  /** vCPUs asked to go away while busy: each leaves when its current operation's burst ends. */
  retiring = 0

  /** Operations completed since the start (a live migration measures the dirty rate from them). */
  completedOps = 0
  /** Hypervisor CPU added to every operation while its memory is traced for a live migration, ns. */
  traceNs = 0
  /** Per disk: the virtual-disk layer an open snapshot puts on top (null: none); bindVm uses it over the disk's own format. */
  layers: (DiskFormatSpec | null)[] = []
  /** A migration or a snapshot's consolidation in progress (one operation on a VM at a time). */
  busyWith: string | null = null

  constructor(
    readonly index: number,
    readonly spec: Vm,
    /** Placement, which a move changes: the host (index), its scheduler and the cost model of its CPU and hypervisor. */
    public host: number,
    public cpu: HostCpu,
    public cost: CostModel,
    /** What it runs; a set-workload event changes it. */
    public workload: ResolvedWorkload,
    public techniques: Techniques,
    /** The scenario-wide ids of this VM's vCPUs (adding or removing one changes the list). */
    readonly vcpus: number[],
    readonly arrivalRng: Rng,
    readonly opRng: Rng
  ) {
    for (let k = vcpus.length - 1; k >= 0; k--) this.idleVcpus.push(vcpus[k]!)
    this.samplersFromWorkload()
  }

  /** Its samplers drawn from what it runs: the spread of an operation's own work and the clients' think time. */
  samplersFromWorkload(): void {
    const w = this.workload
    this.workSampler = w.per_op.work_cv > 0 ? Sampler.lognormal(1, w.per_op.work_cv) : null
    this.thinkSampler = w.arrival.process === 'closed' && w.arrival.think_ms > 0 ? Sampler.exponential(w.arrival.think_ms * NS_PER_MS) : null
  }
}
