/**
 * One simulated world built from an experiment: hosts with their cores and
 * links, local disks, SAN arrays, and VMs whose operations flow through CPU,
 * hypervisor I/O work, the virtual-disk layer and the storage or network
 * path. The main scenario holds every VM; a native-baseline scenario holds one
 * VM alone on its host's hardware with no hypervisor (docs/model.md §9).
 *
 * All mechanics live in handlers registered once; an event's payload is the
 * number of the VM, operation or request it concerns.
 */
import type { Experiment } from '../../../shared/experiment/schema'
import { experimentEvents, type EventKind } from '../../../shared/experiment/events'
import type { Sample } from '../../../shared/result'
import { bindVm, buildArray, buildHost, buildVm, type BuildContext, type HostRuntime, type LocalDisk } from './build'
import type { CpuClient } from '../models/cpu'
import { Simulator } from '../kernel/kernel'
import type { NotableEvent } from '../../../shared/replay'
import { QueueWatch, queueProbes } from './notable'
import { SimulationLimit } from './memory'
import { OpPool } from './ops'
import { studentQuantile } from '../kernel/student'
import type { Region } from './regions'
import { ResourceRegistry } from '../models/resources'
import { KIND_DISK, KIND_NET, RequestPool } from '../models/requests'
import type { SanArray } from '../models/san'
import { B_EMU, B_EXITS, B_GUEST, B_HYP, B_QUEUE, B_SERVICE, B_WALKS, type VmStats } from './stats'
import type { Demand, VmRuntime } from './vm'

const NS_PER_MS = 1e6
const NS_PER_S = 1e9
/** Timeline events run before anything else at their time; windows close after everything else. */
const PRIO_EVENT = -1
const PRIO_WARMUP = 1_000_000_000 - 1
const PRIO_SAMPLE = 1_000_000_000
/** Baselines stop once their throughput's 95 % half-width is within this share of it, after at least BATCHES_MIN windows. */
const BASELINE_PRECISION = 0.01
const BATCHES_MIN = 10
/** A disk write that first needs its cluster volume's coordinator to allocate (requests.meta). */
const META_COORDINATOR = 1
/** Student's t, 95 % two-sided, by degrees of freedom (computed once per count of windows). */
const T95 = new Map<number, number>()
function t95(df: number): number {
  let t = T95.get(df)
  if (t === undefined) T95.set(df, (t = studentQuantile(0.95, df)))
  return t
}

/**
 * What each modelled event of the registry (shared/experiment/events.ts) does to the VM it names. An event
 * marked modelled without a handler here is a bug the first run that holds it reports.
 */
const VM_EVENTS: Partial<Record<EventKind, (s: Scenario, vm: VmRuntime) => void>> = {
  start: (s, vm) => s.powerOn(vm),
  stop: (s, vm) => s.powerOff(vm)
}

/**
 * What a scenario simulates: `main`, every VM as the experiment places them; `native`, one VM alone on its
 * host's hardware with no hypervisor (the native baseline); `alone`, one VM alone on its host under its
 * hypervisor (the virtualization tax without contention). The two baselines measure only throughput, and may
 * stop early once it is known precisely enough.
 */
export type ScenarioKind = 'main' | 'native' | 'alone'

export type ScenarioOptions = {
  seed: number
  regions: Map<string, Region>
  onSample?: (s: Sample) => void
  /** Hears the run's notable moments (power events, queues saturating); notable.ts. */
  onNotable?: (e: NotableEvent) => void
  /** Operations the scenario may hold in flight (its memory budget); an open stream past it stops the run. */
  maxOpsInFlight?: number
} & ({ kind: 'main' } | { kind: 'native' | 'alone'; vm: string })

export class Scenario implements CpuClient {
  readonly sim = new Simulator()
  readonly requests = new RequestPool()
  readonly ops = new OpPool()
  readonly vms: VmRuntime[] = []
  readonly hosts: HostRuntime[] = []
  readonly localDisks: LocalDisk[] = []
  readonly arrays: SanArray[] = []
  readonly resources = new ResourceRegistry()
  readonly durationNs: number
  /** When the scenario ended: its duration, or earlier for a baseline whose throughput is known precisely enough. */
  endNs: number
  /** A baseline's throughput per sample window after the warm-up (batch means for its stopping rule). */
  private readonly batches: number[] = []
  readonly kind: ScenarioKind
  /** A baseline: only throughput is measured (no latencies, breakdown or attribution). */
  private readonly lean: boolean
  private readonly maxOpsInFlight: number
  /** A baseline of a VM that runs throughout may stop early; one with power events must see them all. */
  private readonly earlyStop: boolean
  readonly warmupNs: number
  readonly sampleNs: number
  ended = false
  /** Events that only close sample windows or end the warm-up: every part of a run has its own, one scenario of the whole one. */
  clockEvents = 0
  private vcpuVm: Int32Array<ArrayBuffer>
  private vcpuOp: Int32Array<ArrayBuffer>
  /** What the builders bound the VMs with: kept so a VM can be bound again where it moves. */
  private readonly ctx: BuildContext
  private readonly hRetire: number
  private windowStart = 0
  /** The operation whose CPU burst just ended (one per burst end), waiting for the scheduler to settle before its I/O starts; -1: none. */
  private released = -1
  private readonly hArrival: number
  private readonly hThink: number
  private readonly hPeer: number
  private readonly hEvent: number
  private readonly hSample: number
  private readonly hWarmup: number
  private readonly hCoordinator: number
  private readonly queueWatch: QueueWatch | null

  constructor(
    readonly exp: Experiment,
    private readonly opts: ScenarioOptions
  ) {
    const sim = this.sim
    this.durationNs = exp.duration_s * NS_PER_S
    this.endNs = this.durationNs
    this.warmupNs = Math.min(exp.warmup_s * NS_PER_S, this.durationNs)
    this.sampleNs = exp.sample_ms * NS_PER_MS
    this.hArrival = sim.register((vm) => this.onArrival(vm))
    this.hThink = sim.register((vm) => this.onThink(vm))
    this.hPeer = sim.register((op) => this.completeOp(op))
    this.hEvent = sim.register((e) => this.onEvent(e))
    this.hRetire = sim.register((vcpu) => this.retire(vcpu))
    this.hSample = sim.register(() => this.onSample())
    this.hWarmup = sim.register(() => this.onWarmup())
    this.hCoordinator = sim.register((req) => this.atCoordinator(req))

    this.kind = opts.kind
    const baseline = opts.kind === 'main' ? undefined : opts.vm
    this.lean = baseline !== undefined
    this.maxOpsInFlight = opts.maxOpsInFlight ?? Infinity
    this.earlyStop = baseline !== undefined && !exp.events.some((e) => 'vm' in e && e.vm === baseline && experimentEvents[e.do].replayedInBaseline)
    const vmSpecs = baseline ? exp.vms.filter((v) => v.id === baseline) : exp.vms
    if (baseline && vmSpecs.length !== 1) throw new Error(`no VM "${baseline}" to take a baseline of`)
    const hostSpecs = baseline ? exp.hosts.filter((h) => h.id === vmSpecs[0]!.host) : exp.hosts
    const totalVcpus = vmSpecs.reduce((s, v) => s + v.vcpus, 0)
    this.vcpuVm = new Int32Array(totalVcpus)
    this.vcpuOp = new Int32Array(totalVcpus).fill(-1)

    // vCPUs are numbered across all VMs in order.
    let vcpuBase = 0
    const vcpuBaseOf = new Map<string, number>()
    vmSpecs.forEach((v, i) => {
      vcpuBaseOf.set(v.id, vcpuBase)
      for (let k = 0; k < v.vcpus; k++) this.vcpuVm[vcpuBase + k] = i
      vcpuBase += v.vcpus
    })
    // Hosts (scheduler, links, local disks), arrays, then VMs bound to them.
    const ctx: BuildContext = (this.ctx = {
      exp,
      sim,
      requests: this.requests,
      seed: opts.seed,
      regions: opts.regions,
      native: opts.kind === 'native',
      hosts: this.hosts,
      localDisks: this.localDisks,
      arrays: this.arrays,
      sanPaths: new Map(),
      coordinators: new Map(),
      cpuClient: this,
      step: (req) => this.step(req),
      linkDone: (req) => this.linkDone(req),
      resources: this.resources,
      charge: (req, res, w, sv) => this.charge(req, res, w, sv)
    })
    for (const h of hostSpecs) this.hosts.push(buildHost(ctx, h, vmSpecs, vcpuBaseOf))
    for (const a of exp.arrays) this.arrays.push(buildArray(ctx, a))

    // VMs.
    vmSpecs.forEach((v, i) => {
      const host = this.hosts.find((h) => h.spec.id === v.host)
      if (!host) throw new Error(`VM "${v.id}": host "${v.host}" does not exist`)
      const vm = buildVm(ctx, v, i, host, vcpuBaseOf.get(v.id)!)
      vm.runQueueRes = this.resources.index('run-queue', `${v.id} vCPUs`)
      vm.coresRes = host.coresRes
      vm.switchRes = this.resources.index('switch', `${host.spec.id} world switches`)
      vm.peerRes = this.resources.index('peer', 'remote peer')
      this.vms.push(vm)
      host.vms.push(vm)
    })
    for (const vm of this.vms) {
      vm.stats.sizeResources(this.resources.list.length)
      vm.stats.sizePorts(vm.diskPorts.length)
    }

    // The timeline: the modelled events that concern this scenario's VMs, warm-up, sample windows.
    const startsLater = new Set<string>()
    exp.events.forEach((e, i) => {
      const spec = experimentEvents[e.do]
      if (!spec.modelled || !('vm' in e) || !this.vms.some((v) => v.spec.id === e.vm)) return
      if (spec.startsPoweredOff) startsLater.add(e.vm)
      sim.scheduleAt(e.at_s * NS_PER_S, this.hEvent, i, PRIO_EVENT)
    })
    for (const vm of this.vms) if (!startsLater.has(vm.spec.id)) this.powerOn(vm)
    this.queueWatch = opts.onNotable ? new QueueWatch(queueProbes(this.hosts, this.localDisks, this.arrays), opts.onNotable) : null
    if (this.warmupNs > 0 && this.warmupNs < this.durationNs) sim.scheduleAt(this.warmupNs, this.hWarmup, 0, PRIO_WARMUP)
    if (this.sampleNs < this.durationNs) sim.scheduleAt(this.sampleNs, this.hSample, 0, PRIO_SAMPLE)
  }

  /** Runs at most `maxEvents` events; returns how many ran. */
  advance(maxEvents: number): number {
    if (this.ended) return 0
    const n = this.sim.run(this.durationNs, maxEvents)
    if (this.sim.isStopped) {
      this.endNs = this.sim.now
      this.ended = true
      return n
    }
    if (n < maxEvents) {
      // Nothing is left before the end: close the last window.
      this.closeWindow()
      this.ended = true
    }
    return n
  }

  // ---- Power and arrivals ---------------------------------------------------

  powerOn(vm: VmRuntime): void {
    if (vm.powered) return
    vm.powered = true
    const a = vm.workload.arrival
    if (a.process === 'poisson') {
      vm.arrivalSeq = this.sim.schedule(vm.arrivalRng.exponential(NS_PER_S / a.rate_per_s), this.hArrival, vm.index)
      return
    }
    while (vm.activeClients < a.clients) {
      vm.activeClients++
      if (vm.thinkSampler) this.sim.schedule(vm.thinkSampler.sample(vm.arrivalRng), this.hThink, vm.index)
      else this.newOp(vm)
    }
  }

  /** A modelled event of the timeline: its handler (VM_EVENTS) acts on the VM it names. */
  private onEvent(e: number): void {
    const ev = this.exp.events[e]!
    const handler = VM_EVENTS[ev.do]
    if (!handler || !('vm' in ev)) throw new Error(`event ${e} (${ev.do}) is marked modelled but the engine has no handler for it`)
    const vm = this.vms.find((v) => v.spec.id === ev.vm)
    if (!vm) return
    const was = vm.powered
    handler(this, vm)
    if (vm.powered !== was) this.opts.onNotable?.({ t_ms: this.sim.now / NS_PER_MS, kind: vm.powered ? 'vm-started' : 'vm-stopped', subject: vm.spec.id, value: null })
  }

  /** Powers a VM off: operations in flight finish; no client starts a new one. */
  powerOff(vm: VmRuntime): void {
    vm.powered = false
  }

  private onArrival(v: number): void {
    const vm = this.vms[v]!
    if (this.sim.currentSequence !== vm.arrivalSeq || !vm.powered) return
    const a = vm.workload.arrival
    if (a.process !== 'poisson') return
    vm.arrivalSeq = this.sim.schedule(vm.arrivalRng.exponential(NS_PER_S / a.rate_per_s), this.hArrival, v)
    if (this.ops.inUse >= this.maxOpsInFlight) this.saturated(a.rate_per_s)
    this.newOp(vm)
  }

  /** Stops a run whose open streams outpace service until its operations in flight fill its memory budget. */
  private saturated(ratePerS: number): never {
    const worst = this.vms.reduce((a, b) => (b.inFlight > a.inFlight ? b : a))
    const rate = worst.workload.arrival.process === 'poisson' ? worst.workload.arrival.rate_per_s : ratePerS
    throw new SimulationLimit(
      `VM "${worst.spec.id}" is saturated: ${worst.inFlight.toLocaleString('en-US')} operations in flight after ` +
        `${(this.sim.now / NS_PER_S).toPrecision(3)} simulated s (arrivals at ${rate.toLocaleString('en-US')}/s outpace what it completes), ` +
        `and the run's ${this.maxOpsInFlight.toLocaleString('en-US')} operations in flight fill its memory budget; lower rate_per_s or shorten duration_s`
    )
  }

  private onThink(v: number): void {
    const vm = this.vms[v]!
    if (!vm.powered) {
      vm.activeClients--
      return
    }
    this.newOp(vm)
  }

  // ---- Operations -----------------------------------------------------------

  private newOp(vm: VmRuntime): void {
    const ops = this.ops
    const op = ops.alloc()
    vm.inFlight++
    ops.vm[op] = vm.index
    ops.start[op] = this.sim.now
    // An operation's own CPU work spreads around its mean as the workload's operations differ.
    const f = vm.workSampler ? vm.workSampler.sample(vm.opRng) : 1
    ops.work[op] = f
    let guest = vm.base.guest * f
    let exits = vm.base.exits * f
    const walks = vm.base.walks * f
    let emu = 0
    let hyp = 0
    for (const d of vm.demands) {
      const c = d.cost
      if (d.disk) {
        // Each expected request pays its mechanisms; a paravirtual batch grows with the disk's requests in flight.
        const port = vm.diskPorts[d.port]!
        const dev = port.device
        const batch = Math.min(dev.batchMax, dev.batchBase + port.outstanding)
        guest += d.count * c.guest
        emu += d.count * (c.emulation + c.emulationPerBatch / batch)
        hyp += d.count * c.hypervisor
        if (dev.path !== 'emulated') {
          vm.stats.portBatches[d.port] = vm.stats.portBatches[d.port]! + d.count / batch
          vm.stats.portRequests[d.port] = vm.stats.portRequests[d.port]! + d.count
        }
      } else {
        // A network demand is one transfer: its mechanisms are per transfer.
        guest += c.guest
        emu += c.emulation + c.emulationPerBatch
        hyp += c.hypervisor
      }
    }
    exits += vm.cost.timerNs(guest + exits + walks + emu)
    ops.guest[op] = guest
    ops.exits[op] = exits
    ops.walks[op] = walks
    ops.emulation[op] = emu
    // The hypervisor's work for the operation's I/O (issue and completion) runs on the core of the vCPU that
    // issued it, within its burst: one scheduling event per operation instead of one per request.
    ops.hypCpu[op] = hyp
    ops.hyp[op] = hyp
    const vcpu = vm.frozen ? undefined : vm.idleVcpus.pop()
    if (vcpu === undefined) {
      vm.queue.pushBack(op)
      return
    }
    this.vcpuOp[vcpu] = op
    vm.cpu.wake(vcpu, ops.burst(op))
  }

  /** Issues the operation's next request, or finishes it. */
  private continueOp(op: number): void {
    const ops = this.ops
    const vm = this.vms[ops.vm[op]!]!
    for (;;) {
      const d = ops.demand[op]!
      if (d >= vm.demands.length) break
      const dm = vm.demands[d]!
      let left = ops.left[op]!
      if (left < 0) {
        if (dm.disk) {
          const whole = Math.floor(dm.count)
          left = whole + (vm.opRng.next() < dm.count - whole ? 1 : 0)
        } else left = dm.count > 0 ? 1 : 0
      }
      if (left === 0) {
        ops.demand[op] = d + 1
        ops.left[op] = -1
        continue
      }
      ops.left[op] = left - 1
      if (dm.disk) this.issueDisk(vm, op, dm)
      else this.issueNet(vm, op, dm)
      return
    }
    if (vm.peerNs > 0) {
      if (!this.lean) this.attribute(op, vm.stats, vm.peerRes, 0, vm.peerNs)
      this.sim.schedule(vm.peerNs, this.hPeer, op)
      return
    }
    this.completeOp(op)
  }

  private issueDisk(vm: VmRuntime, op: number, dm: Demand): void {
    const r = this.requests
    const port = vm.diskPorts[dm.port]!
    const req = r.alloc()
    r.kind[req] = KIND_DISK
    r.op[req] = op
    r.vm[req] = vm.index
    r.port[req] = dm.port
    r.kb[req] = dm.kb
    r.write[req] = dm.write ? 1 : 0
    r.sequential[req] = dm.sequential ? 1 : 0
    let offsetKb: number
    if (dm.sequential) {
      offsetKb = port.cursorKb
      port.cursorKb = port.cursorKb + dm.kb >= port.sizeKb ? 0 : port.cursorKb + dm.kb
    } else {
      offsetKb = Math.floor(vm.opRng.next() * Math.max(1, port.sizeKb / dm.kb)) * dm.kb
    }
    r.pos[req] = port.regionStart + (offsetKb / port.sizeKb) * port.regionSize
    const f = port.format
    // A write lands on unallocated space with the probability that space is still unallocated. (Reads of
    // never-written space still go to the device, as they do on the bare-metal baseline's disk.)
    if (dm.write && f && f.allocationKb > 0 && port.allocated < 1 && vm.opRng.next() >= port.allocated) {
      r.extraKb[req] = f.zeroFillKb + f.metadataWrites * f.metadataKb
      r.extraWrites[req] = f.metadataWrites
      // On a Cluster Shared Volume only the coordinator may change the file's allocation.
      if (port.csv) r.meta[req] = META_COORDINATOR
      port.allocated = Math.min(1, port.allocated + f.allocationKb / port.sizeKb)
    }
    r.issued[req] = this.sim.now
    if (port.array) r.unit[req] = port.arrayIndex
    port.outstanding++
    this.step(req)
  }

  private issueNet(vm: VmRuntime, op: number, dm: Demand): void {
    const r = this.requests
    const req = r.alloc()
    r.kind[req] = KIND_NET
    r.op[req] = op
    r.vm[req] = vm.index
    r.port[req] = dm.port
    r.write[req] = dm.tx ? 1 : 0
    r.wireNs[req] = dm.netWireNs
    r.issued[req] = this.sim.now
    vm.stats.netBytes += dm.count * dm.bytes
    vm.stats.netPackets += dm.count
    this.step(req)
  }

  /**
   * Moves a request to its next stage. Stages: 0 → hypervisor I/O work on the
   * host's cores; 1 → the virtual-disk layer's latency (disk) or the link (net);
   * 2 → the device (local disk station or SAN array); 3 → done.
   */
  private step(req: number): void {
    const r = this.requests
    const vm = this.vms[r.vm[req]!]!
    const net = r.kind[req] === KIND_NET
    let stage = r.stage[req]!
    if (stage === 0) stage = r.stage[req] = 1
    if (stage === 1 && r.meta[req] === META_COORDINATOR) {
      r.meta[req] = 0
      const csv = vm.diskPorts[r.port[req]!]!.csv!
      // The coordinator's station takes its service time from wireNs, as links do.
      r.wireNs[req] = csv.workNs
      if (csv.rttNs > 0) {
        this.charge(req, csv.rttRes, 0, csv.rttNs)
        this.sim.schedule(csv.rttNs, this.hCoordinator, req)
        return
      }
      return csv.coordinator.arrive(req)
    }
    if (stage === 1) {
      stage = r.stage[req] = 2
      if (net) {
        const port = vm.nicPorts[r.port[req]!]
        const link = port ? (r.write[req] === 1 ? port.tx : port.rx) : null
        if (link) return link.arrive(req)
      }
    }
    if (stage === 2) {
      r.stage[req] = 3
      if (net) return this.requestDone(vm, req)
      const port = vm.diskPorts[r.port[req]!]!
      if (port.station) return port.station.arrive(req)
      return port.array!.submit(req, port.pathIndex, port.lun)
    }
    this.requestDone(vm, req)
  }

  /** A metadata request reached a Cluster Shared Volume's coordinator over the cluster network. */
  private atCoordinator(req: number): void {
    const vm = this.vms[this.requests.vm[req]!]!
    vm.diskPorts[this.requests.port[req]!]!.csv!.coordinator.arrive(req)
  }

  private requestDone(vm: VmRuntime, req: number): void {
    const r = this.requests
    const op = r.op[req]!
    if (r.kind[req] === KIND_DISK) {
      const s = vm.stats
      s.wDiskIos++
      s.diskIos++
      s.diskKb += r.kb[req]!
      s.diskLatency.record(this.sim.now - r.issued[req]!)
      vm.diskPorts[r.port[req]!]!.outstanding--
    }
    r.release(req)
    this.continueOp(op)
  }

  private linkDone(req: number): void {
    const r = this.requests
    if (r.kind[req] === KIND_NET) return this.step(req)
    this.arrays[r.unit[req]!]!.advance(req)
  }

  private completeOp(op: number): void {
    const ops = this.ops
    const vm = this.vms[ops.vm[op]!]!
    const s = vm.stats
    const latency = this.sim.now - ops.start[op]!
    s.wOps++
    s.ops++
    // A baseline only needs its throughput: latencies and the breakdown are the main scenario's.
    if (!this.lean) this.account(op, s, latency)
    ops.release(op)
    vm.inFlight--
    const a = vm.workload.arrival
    if (a.process !== 'closed') return
    if (!vm.powered) {
      vm.activeClients--
      return
    }
    if (vm.thinkSampler) this.sim.schedule(vm.thinkSampler.sample(vm.arrivalRng), this.hThink, vm.index)
    else this.newOp(vm)
  }

  /** Records a completed operation's latency and where its time went. */
  private account(op: number, s: VmStats, latency: number): void {
    const ops = this.ops
    s.wLatency.record(latency)
    s.latency.record(latency)
    s.workSum += ops.work[op]!
    const b = s.breakdownNs
    b[B_GUEST] = b[B_GUEST]! + ops.guest[op]!
    b[B_EXITS] = b[B_EXITS]! + ops.exits[op]!
    b[B_WALKS] = b[B_WALKS]! + ops.walks[op]!
    b[B_EMU] = b[B_EMU]! + ops.emulation[op]!
    b[B_HYP] = b[B_HYP]! + ops.hyp[op]!
    b[B_SERVICE] = b[B_SERVICE]! + ops.svc[op]!
    // What is left of the response time was spent waiting: for a vCPU or core, a queue slot, a disk or a link.
    b[B_QUEUE] = b[B_QUEUE]! + Math.max(0, latency - ops.cpuTotal(op) - ops.hyp[op]! - ops.svc[op]!)
  }

  // ---- Placement --------------------------------------------------------------
  // What live migration and vCPU hot-plug build on: a VM's vCPUs join and leave hosts, and a VM is bound
  // again to another host's CPU, hypervisor, adapters and links. Each call acts at the current instant.

  private vmNamed(id: string): VmRuntime {
    const vm = this.vms.find((v) => v.spec.id === id)
    if (!vm) throw new Error(`no VM "${id}" in this scenario`)
    return vm
  }

  /** Gives a VM one more vCPU on its host; an operation waiting for one takes it at once. */
  addVcpu(vmId: string): number {
    const vm = this.vmNamed(vmId)
    const id = this.vcpuVm.length
    const grow = (a: Int32Array<ArrayBuffer>, fill: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(id + 1).fill(fill)
      b.set(a)
      return b
    }
    this.vcpuVm = grow(this.vcpuVm, 0)
    this.vcpuOp = grow(this.vcpuOp, -1)
    this.vcpuVm[id] = vm.index
    vm.cpu.addTask(id)
    vm.vcpus.push(id)
    vm.idleVcpus.push(id)
    this.dispatchWaiting(vm)
    return id
  }

  /** Takes one vCPU from a VM: an idle one at once, else the next one whose operation's burst ends. */
  removeVcpu(vmId: string): void {
    const vm = this.vmNamed(vmId)
    if (vm.vcpus.length - vm.retiring <= 1) throw new Error(`VM "${vmId}" cannot go below one vCPU`)
    const idle = vm.idleVcpus.pop()
    if (idle === undefined) vm.retiring++
    else this.retire(idle)
  }

  private retire(vcpu: number): void {
    const vm = this.vms[this.vcpuVm[vcpu]!]!
    vm.cpu.removeTask(vcpu)
    vm.vcpus.splice(vm.vcpus.indexOf(vcpu), 1)
  }

  /** Holds a VM's new operations in its run queue (its vCPUs finish what they run, then go idle): before a move. */
  freeze(vmId: string): void {
    this.vmNamed(vmId).frozen = true
  }

  /** Lets a frozen VM's operations run again. */
  thaw(vmId: string): void {
    const vm = this.vmNamed(vmId)
    vm.frozen = false
    this.dispatchWaiting(vm)
  }

  /** True when none of the VM's vCPUs has work on its host (it can move). */
  quiescent(vmId: string): boolean {
    const vm = this.vmNamed(vmId)
    return vm.retiring === 0 && vm.vcpus.every((id) => vm.cpu.isIdle(id))
  }

  /**
   * Moves a quiescent VM to another host of the scenario: its vCPUs leave the old host's scheduler and join the
   * new one's, and it is bound again (techniques and costs of the new CPU and hypervisor, its SAN paths through
   * the new host's adapters, its NICs on the new host's links). Requests it has in flight finish where they are.
   */
  moveVm(vmId: string, hostId: string): void {
    const vm = this.vmNamed(vmId)
    const to = this.hosts.find((h) => h.spec.id === hostId)
    if (!to) throw new Error(`no host "${hostId}" in this scenario`)
    const from = this.hosts[vm.host]!
    if (to === from) return
    if (!this.quiescent(vmId)) throw new Error(`VM "${vmId}" is running on host "${from.spec.id}": freeze it and wait until it is quiescent`)
    for (const id of vm.vcpus) from.cpu.removeTask(id)
    bindVm(this.ctx, vm, to)
    for (const id of vm.vcpus) to.cpu.addTask(id)
    from.vms.splice(from.vms.indexOf(vm), 1)
    to.vms.push(vm)
    vm.coresRes = to.coresRes
    vm.switchRes = this.resources.index('switch', `${to.spec.id} world switches`)
    for (const v of this.vms) v.stats.growResources(this.resources.list.length)
  }

  /** Starts operations waiting in a VM's run queue on its idle vCPUs. */
  private dispatchWaiting(vm: VmRuntime): void {
    while (!vm.frozen && vm.queue.length > 0 && vm.idleVcpus.length > 0) {
      const op = vm.queue.popFront()
      const vcpu = vm.idleVcpus.pop()!
      vm.stats.resWait[vm.runQueueRes] = vm.stats.resWait[vm.runQueueRes]! + (this.sim.now - this.ops.start[op]!)
      this.vcpuOp[vcpu] = op
      vm.cpu.wake(vcpu, Math.max(this.ops.burst(op), 1e-2))
    }
  }

  // ---- CpuClient ------------------------------------------------------------

  vcpuDone(vcpu: number): number {
    const op = this.vcpuOp[vcpu]!
    // Its I/O starts once the scheduler has settled (it must not be re-entered), in the same event.
    this.released = op
    const vm = this.vms[this.vcpuVm[vcpu]!]!
    if (vm.retiring > 0) {
      // Asked to go while it was busy: it leaves once the scheduler has let go of it (same instant, next event).
      vm.retiring--
      this.vcpuOp[vcpu] = -1
      this.sim.schedule(0, this.hRetire, vcpu)
      return 0
    }
    if (vm.queue.length > 0 && !vm.frozen) {
      const next = vm.queue.popFront()
      vm.stats.resWait[vm.runQueueRes] = vm.stats.resWait[vm.runQueueRes]! + (this.sim.now - this.ops.start[next]!)
      this.vcpuOp[vcpu] = next
      // Even an operation with no CPU work holds the vCPU for an instant: 0 would tell the scheduler to block it.
      return Math.max(this.ops.burst(next), 1e-2)
    }
    this.vcpuOp[vcpu] = -1
    vm.idleVcpus.push(vcpu)
    return 0
  }

  settled(): void {
    const op = this.released
    if (op < 0) return
    this.released = -1
    this.continueOp(op)
  }

  /** Attributes `waitNs` at resource `res` and `serviceNs` by it to a request's VM and operation. */
  charge(req: number, res: number, waitNs: number, serviceNs: number): void {
    if (this.lean) return
    const r = this.requests
    this.attribute(r.op[req]!, this.vms[r.vm[req]!]!.stats, res, waitNs, serviceNs)
  }

  /** Adds a visit to resource `res` to a VM's statistics and its service to operation `op` (-1: back-end work, no operation). */
  private attribute(op: number, s: VmStats, res: number, waitNs: number, serviceNs: number): void {
    if (op >= 0) this.ops.svc[op] = this.ops.svc[op]! + serviceNs
    s.resWait[res] = s.resWait[res]! + waitNs
    s.resService[res] = s.resService[res]! + serviceNs
    s.resVisits[res] = s.resVisits[res]! + 1
  }

  vcpuRan(vcpu: number, ns: number): void {
    const vm = this.vms[this.vcpuVm[vcpu]!]!
    const op = this.vcpuOp[vcpu]!
    const s = vm.stats
    s.wCpuNs += ns
    if (op < 0) return
    const total = this.ops.burst(op)
    if (total <= 0) return
    const k = ns / total
    const c = s.cpuNs
    c[0] = c[0]! + this.ops.guest[op]! * k
    c[1] = c[1]! + this.ops.exits[op]! * k
    c[2] = c[2]! + this.ops.walks[op]! * k
    c[3] = c[3]! + this.ops.emulation[op]! * k
    s.hypNs += this.ops.hypCpu[op]! * k
  }

  vcpuSwitched(vcpu: number, ns: number): void {
    const vm = this.vms[this.vcpuVm[vcpu]!]!
    vm.stats.resWait[vm.switchRes] = vm.stats.resWait[vm.switchRes]! + ns
  }

  vcpuWaited(vcpu: number, ns: number): void {
    const vm = this.vms[this.vcpuVm[vcpu]!]!
    vm.stats.readyNs += ns
    vm.stats.resWait[vm.coresRes] = vm.stats.resWait[vm.coresRes]! + ns
  }

  // ---- Windows and warm-up --------------------------------------------------

  private onSample(): void {
    this.clockEvents++
    this.closeWindow()
    if (this.earlyStop && this.precise()) {
      this.sim.stop()
      return
    }
    const next = this.sim.now + this.sampleNs
    if (next < this.durationNs) this.sim.scheduleAt(next, this.hSample, 0, PRIO_SAMPLE)
  }

  private closeWindow(): void {
    for (const h of this.hosts) h.cpu.flush()
    const now = this.sim.now
    const span = now - this.windowStart
    if (span <= 0) return
    this.queueWatch?.window(now, span)
    const emit = this.opts.onSample
    for (const vm of this.vms) {
      const s = vm.stats
      if (emit) {
        const mean = s.wLatency.mean
        const p99 = s.wLatency.quantile(0.99)
        emit({
          t_ms: now / NS_PER_MS,
          vm: vm.spec.id,
          throughput_ops_s: s.wOps / (span / NS_PER_S),
          latency_mean_ms: mean === null ? null : mean / NS_PER_MS,
          latency_p99_ms: p99 === null ? null : p99 / NS_PER_MS,
          disk_iops: s.wDiskIos / (span / NS_PER_S),
          cpu_pct: (100 * s.wCpuNs) / (vm.spec.vcpus * span)
        })
      }
      if (this.earlyStop && this.windowStart >= this.warmupNs) this.batches.push(s.wOps / (span / NS_PER_S))
      s.resetWindow()
    }
    this.windowStart = now
  }

  /**
   * The stopping rule of a baseline: a VM alone reaches its steady state
   * quickly, so its throughput is known once the 95 % confidence interval of
   * the window means (at least ten windows after the warm-up) is within
   * ±1 % of their mean (BASELINE_PRECISION). Until then, or for a run too short to tell, it runs
   * the full duration.
   */
  private precise(): boolean {
    const b = this.batches
    const n = b.length
    if (n < BATCHES_MIN) return false
    let sum = 0
    for (const x of b) sum += x
    const mean = sum / n
    if (!(mean > 0)) return false
    let ss = 0
    for (const x of b) ss += (x - mean) ** 2
    const half = (t95(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n)
    return half <= BASELINE_PRECISION * mean
  }

  private onWarmup(): void {
    this.clockEvents++
    this.queueWatch?.beforeReset(this.sim.now)
    for (const h of this.hosts) {
      h.cpu.flush()
      h.cpu.resetStats()
    }
    for (const vm of this.vms) vm.stats.resetSummary()
    for (const d of this.localDisks) d.station.resetStats()
    for (const a of this.arrays) a.resetStats()
    for (const h of this.hosts) for (const l of h.links.values()) {
      l.tx.resetStats()
      l.rx.resetStats()
    }
  }
}
