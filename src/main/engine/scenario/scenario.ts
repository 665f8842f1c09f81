/**
 * One simulated world built from an experiment: hosts with their cores and
 * links, local disks, SAN arrays, and VMs whose operations flow through CPU,
 * hypervisor I/O work, the virtual-disk layer and the storage or network
 * path. The main scenario holds every VM; a native-baseline scenario holds one
 * VM alone on its host's hardware with no hypervisor (docs/model.md §9).
 *
 * The scenario builds the world and plays its timeline; three parts do the
 * rest: the operation driver (driver.ts) turns workloads into work, the
 * attribution (attribution.ts) hears where each operation's time went, and the
 * sample windows (windows.ts) measure. Requests travel their ports' routes of
 * stage objects (models/route.ts). All mechanics live in handlers registered
 * once; an event's payload is the number of the VM, operation or request it
 * concerns.
 */
import type { Experiment } from '../../../shared/experiment/schema'
import { experimentEvents } from '../../../shared/experiment/events'
import type { ArraySample, Sample } from '../../../shared/result'
import { bindVm, buildArray, buildHost, buildVm, type BuildContext, type HostRuntime, type LocalDisk } from './build'
import { Simulator } from '../kernel/kernel'
import type { NotableEvent } from '../../../shared/replay'
import { QueueWatch, queueProbes } from './notable'
import { OpPool } from './ops'
import type { Region } from './regions'
import { ResourceRegistry } from '../models/resources'
import { RequestPool } from '../models/requests'
import { Routes } from '../models/route'
import type { SanArray } from '../models/san'
import { Attribution } from './attribution'
import { OperationDriver } from './driver'
import { SampleWindows } from './windows'
import type { VmRuntime } from './vm'
import { Timeline } from './timeline'

const NS_PER_MS = 1e6
const NS_PER_S = 1e9
/** Timeline events run before anything else at their time. */
const PRIO_EVENT = -1

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
  /** Hears each SAN array's sample of a window (windows.ts). */
  onArraySample?: (s: ArraySample) => void
  /** Hears the run's notable moments (power events, queues saturating); notable.ts. */
  onNotable?: (e: NotableEvent) => void
  /** Operations the scenario may hold in flight (its memory budget); an open stream past it stops the run. */
  maxOpsInFlight?: number
} & ({ kind: 'main' } | { kind: 'native' | 'alone'; vm: string })

export class Scenario {
  readonly sim = new Simulator()
  readonly requests = new RequestPool()
  readonly ops = new OpPool()
  readonly routes: Routes
  readonly vms: VmRuntime[] = []
  readonly hosts: HostRuntime[] = []
  readonly localDisks: LocalDisk[] = []
  readonly arrays: SanArray[] = []
  readonly resources = new ResourceRegistry()
  readonly attribution: Attribution
  readonly driver: OperationDriver
  readonly windows: SampleWindows
  readonly durationNs: number
  /** When the scenario ended: its duration, or earlier for a baseline whose throughput is known precisely enough. */
  endNs: number
  readonly kind: ScenarioKind
  readonly warmupNs: number
  readonly sampleNs: number
  ended = false
  /** Events that only close sample windows or end the warm-up: every part of a run has its own, one scenario of the whole one. */
  get clockEvents(): number {
    return this.windows.clockEvents
  }
  /** What the builders bound the VMs with: kept so a VM can be bound again where it moves. */
  readonly ctx: BuildContext
  /** The experiment's events as this scenario plays them, and their outcomes. */
  readonly timeline: Timeline
  private readonly hEvent: number
  private readonly onNotable: ((e: NotableEvent) => void) | undefined

  constructor(
    readonly exp: Experiment,
    opts: ScenarioOptions
  ) {
    const sim = this.sim
    this.durationNs = exp.duration_s * NS_PER_S
    this.endNs = this.durationNs
    this.warmupNs = Math.min(exp.warmup_s * NS_PER_S, this.durationNs)
    this.sampleNs = exp.sample_ms * NS_PER_MS
    this.routes = new Routes(sim, this.requests)
    this.hEvent = sim.register((e) => this.onEvent(e))

    this.kind = opts.kind
    const baseline = opts.kind === 'main' ? undefined : opts.vm
    // A baseline measures only throughput; one of a VM that runs throughout may stop early, one with power events must see them all.
    const earlyStop = baseline !== undefined && !exp.events.some((e) => 'vm' in e && e.vm === baseline && experimentEvents[e.do].replayedInBaseline)
    const vmSpecs = baseline ? exp.vms.filter((v) => v.id === baseline) : exp.vms
    if (baseline && vmSpecs.length !== 1) throw new Error(`no VM "${baseline}" to take a baseline of`)
    const hostSpecs = baseline ? exp.hosts.filter((h) => h.id === vmSpecs[0]!.host) : exp.hosts
    const totalVcpus = vmSpecs.reduce((s, v) => s + v.vcpus, 0)

    // vCPUs are numbered across all VMs in order.
    const vcpuVm = new Int32Array(totalVcpus)
    let vcpuBase = 0
    const vcpuBaseOf = new Map<string, number>()
    vmSpecs.forEach((v, i) => {
      vcpuBaseOf.set(v.id, vcpuBase)
      for (let k = 0; k < v.vcpus; k++) vcpuVm[vcpuBase + k] = i
      vcpuBase += v.vcpus
    })
    this.attribution = new Attribution(this.vms, this.ops, this.requests, baseline !== undefined)
    this.driver = new OperationDriver(sim, this.ops, this.requests, this.routes, this.vms, this.attribution, opts.maxOpsInFlight ?? Infinity, vcpuVm)
    this.windows = new SampleWindows(sim, this, this.sampleNs, this.warmupNs, this.durationNs, earlyStop, opts.onSample, opts.onArraySample)
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
      coordinatorTrips: new Map(),
      failedPaths: new Set(),
      detours: new Map(),
      cpuClient: this.driver,
      routes: this.routes,
      done: this.driver.ioDone,
      resources: this.resources,
      attribution: this.attribution
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
    // The main scenario plays every event; a baseline only those that change what its VM sees on its own.
    this.timeline = new Timeline(this)
    exp.events.forEach((e, i) => {
      const spec = experimentEvents[e.do]
      if (baseline !== undefined && (!spec.replayedInBaseline || !('vm' in e) || e.vm !== baseline)) return
      if ('vm' in e && spec.startsPoweredOff && this.vms.some((v) => v.spec.id === e.vm)) startsLater.add(e.vm)
      sim.scheduleAt(e.at_s * NS_PER_S, this.hEvent, i, PRIO_EVENT)
    })
    for (const vm of this.vms) if (!startsLater.has(vm.spec.id)) this.driver.powerOn(vm)
    this.onNotable = opts.onNotable
    this.windows.watch = opts.onNotable ? new QueueWatch(queueProbes(this.hosts, this.localDisks, this.arrays), opts.onNotable) : null
    this.windows.start()
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
      this.windows.close()
      this.timeline.finish()
      this.ended = true
    }
    return n
  }

  /** An event of the timeline: the timeline plays it and keeps its outcome. */
  private onEvent(e: number): void {
    // A VM the event powers on or off is a notable moment of the run (notable.ts).
    const ev = this.exp.events[e]!
    const vm = 'vm' in ev ? this.vms.find((v) => v.spec.id === ev.vm) : undefined
    const was = vm?.powered
    this.timeline.play(e)
    if (vm && vm.powered !== was) this.onNotable?.({ t_ms: this.sim.now / NS_PER_MS, kind: vm.powered ? 'vm-started' : 'vm-stopped', subject: vm.spec.id, value: null })
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
    const id = this.driver.newVcpu(vm)
    vm.cpu.addTask(id)
    vm.vcpus.push(id)
    vm.idleVcpus.push(id)
    this.driver.dispatchWaiting(vm)
    return id
  }

  /** Takes one vCPU from a VM: an idle one at once, else the next one whose operation's burst ends. */
  removeVcpu(vmId: string): void {
    const vm = this.vmNamed(vmId)
    if (vm.vcpus.length - vm.retiring <= 1) throw new Error(`VM "${vmId}" cannot go below one vCPU`)
    const idle = vm.idleVcpus.pop()
    if (idle === undefined) vm.retiring++
    else this.driver.retire(idle)
  }

  /** Holds a VM's new operations in its run queue (its vCPUs finish what they run, then go idle): before a move. */
  freeze(vmId: string): void {
    this.vmNamed(vmId).frozen = true
  }

  /** Lets a frozen VM's operations run again. */
  thaw(vmId: string): void {
    const vm = this.vmNamed(vmId)
    vm.frozen = false
    this.driver.dispatchWaiting(vm)
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
}
