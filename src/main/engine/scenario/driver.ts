/**
 * The operation driver: how a VM's workload becomes work in the simulation
 * (docs/model.md §7). Clients or an open stream start operations; an
 * operation takes one of its VM's vCPUs for its CPU burst (its own work and
 * the hypervisor's work for its I/O), then issues its disk requests and
 * network transfers one after another along their ports' routes, then may
 * wait for a remote peer, and completes. The driver is each host scheduler's
 * client: it hands vCPUs their next operation and hears what they ran, which
 * it passes to the attribution.
 */
import type { CpuClient } from '../models/cpu'
import type { Simulator } from '../kernel/kernel'
import { grown } from '../kernel/grow'
import { Stage, type Routes } from '../models/route'
import { KIND_DISK, KIND_NET, type RequestPool } from '../models/requests'
import { META_COORDINATOR } from '../models/csv'
import type { Attribution } from './attribution'
import { SimulationLimit } from './memory'
import type { OpPool } from './ops'
import type { Demand, VmRuntime } from './vm'

const NS_PER_S = 1e9

/** The last stage of every route: the request is done and its operation goes on. */
class BackToOperation extends Stage {
  constructor(
    routes: Routes,
    private readonly driver: OperationDriver
  ) {
    super(routes)
  }

  enter(req: number): void {
    this.driver.requestDone(req)
  }
}

export class OperationDriver implements CpuClient {
  /** By scenario-wide vCPU id: its VM (index) and the operation it runs (-1: none). */
  private vcpuVm: Int32Array<ArrayBuffer>
  private vcpuOp: Int32Array<ArrayBuffer>
  /** The operation whose CPU burst just ended (one per burst end), waiting for the scheduler to settle before its I/O starts; -1: none. */
  private released = -1
  private readonly hArrival: number
  private readonly hThink: number
  private readonly hPeer: number
  private readonly hRetire: number
  /** The stage that ends every route. */
  readonly ioDone: Stage

  constructor(
    private readonly sim: Simulator,
    private readonly ops: OpPool,
    private readonly requests: RequestPool,
    private readonly routes: Routes,
    /** The scenario's VMs (filled as they are built). */
    private readonly vms: readonly VmRuntime[],
    private readonly attribution: Attribution,
    /** Operations the scenario may hold in flight (its memory budget); an open stream past it stops the run. */
    private readonly maxOpsInFlight: number,
    /** The VM (index) of each vCPU, numbered across all VMs in order. */
    vcpuVm: Int32Array<ArrayBuffer>
  ) {
    this.vcpuVm = vcpuVm
    this.vcpuOp = new Int32Array(vcpuVm.length).fill(-1)
    this.hArrival = sim.register((vm) => this.onArrival(vm))
    this.hThink = sim.register((vm) => this.onThink(vm))
    this.hPeer = sim.register((op) => this.completeOp(op))
    this.hRetire = sim.register((vcpu) => this.retire(vcpu))
    this.ioDone = new BackToOperation(routes, this)
  }

  // ---- Power and arrivals ---------------------------------------------------

  powerOn(vm: VmRuntime): void {
    if (vm.powered) return
    vm.powered = true
    const a = vm.workload.arrival
    if (a.process === 'poisson') {
      this.scheduleArrival(vm, a.rate_per_s)
      return
    }
    while (vm.activeClients < a.clients) {
      vm.activeClients++
      this.clientNext(vm)
    }
  }

  /** A VM's workload changed (set-workload): an open stream restarts at its new rate, closed clients are added now or leave as they finish. */
  workloadChanged(vm: VmRuntime): void {
    if (!vm.powered) return
    const a = vm.workload.arrival
    if (a.process === 'poisson') {
      // Closed clients of the old workload stop as their operations finish.
      vm.activeClients = 0
      this.scheduleArrival(vm, a.rate_per_s)
      return
    }
    vm.arrivalSeq = -1
    vm.powered = false
    this.powerOn(vm)
  }

  /** Powers a VM off: operations in flight finish; no client starts a new one. */
  powerOff(vm: VmRuntime): void {
    vm.powered = false
  }

  /** Schedules the VM's next open arrival; an arrival scheduled before it is superseded (see `onArrival`). */
  private scheduleArrival(vm: VmRuntime, ratePerS: number): void {
    vm.arrivalSeq = this.sim.schedule(vm.arrivalRng.exponential(NS_PER_S / ratePerS), this.hArrival, vm.index)
  }

  /** A closed client of the VM goes on to its next operation: after thinking, or at once. */
  private clientNext(vm: VmRuntime): void {
    if (vm.thinkSampler) this.sim.schedule(vm.thinkSampler.sample(vm.arrivalRng), this.hThink, vm.index)
    else this.newOp(vm)
  }

  private onArrival(v: number): void {
    const vm = this.vms[v]!
    if (this.sim.currentSequence !== vm.arrivalSeq || !vm.powered) return
    const a = vm.workload.arrival
    if (a.process !== 'poisson') return
    this.scheduleArrival(vm, a.rate_per_s)
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
    const a = vm.workload.arrival
    if (!vm.powered || a.process !== 'closed' || vm.activeClients > a.clients) {
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
    // Tracing for a live migration: the hypervisor's work for the pages the operation dirties.
    if (vm.traceNs > 0) hyp += vm.traceNs
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
      this.attribution.attribute(op, vm.stats, vm.peerRes, 0, vm.peerNs)
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
    port.outstanding++
    if (dm.write) port.writtenKb += dm.kb
    this.routes.start(req, port.route)
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
    this.routes.start(req, dm.route)
  }

  /** A request came back along its route: counted, and its operation goes on. */
  requestDone(req: number): void {
    const r = this.requests
    const op = r.op[req]!
    if (r.kind[req] === KIND_DISK) {
      const vm = this.vms[r.vm[req]!]!
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

  private completeOp(op: number): void {
    const ops = this.ops
    const vm = this.vms[ops.vm[op]!]!
    this.attribution.completed(op, vm, this.sim.now - ops.start[op]!)
    ops.release(op)
    vm.inFlight--
    vm.completedOps++
    const a = vm.workload.arrival
    if (a.process !== 'closed') return
    // Powered off, or fewer clients since a set-workload: this client stops.
    if (!vm.powered || vm.activeClients > a.clients) {
      vm.activeClients--
      return
    }
    this.clientNext(vm)
  }

  // ---- vCPUs ------------------------------------------------------------------

  /** Starts operations waiting in a VM's run queue on its idle vCPUs. */
  dispatchWaiting(vm: VmRuntime): void {
    while (!vm.frozen && vm.queue.length > 0 && vm.idleVcpus.length > 0) {
      const op = vm.queue.popFront()
      const vcpu = vm.idleVcpus.pop()!
      this.attribution.runQueued(vm, this.sim.now - this.ops.start[op]!)
      this.vcpuOp[vcpu] = op
      vm.cpu.wake(vcpu, Math.max(this.ops.burst(op), 1e-2))
    }
  }

  /** A new vCPU for a VM, numbered after all others; returns its id. */
  newVcpu(vm: VmRuntime): number {
    const id = this.vcpuVm.length
    this.vcpuVm = grown(this.vcpuVm, id + 1)
    this.vcpuOp = grown(this.vcpuOp, id + 1)
    this.vcpuVm[id] = vm.index
    this.vcpuOp[id] = -1
    return id
  }

  /** A vCPU leaves its VM and host (it is idle). */
  retire(vcpu: number): void {
    const vm = this.vms[this.vcpuVm[vcpu]!]!
    vm.cpu.removeTask(vcpu)
    vm.vcpus.splice(vm.vcpus.indexOf(vcpu), 1)
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
      this.attribution.runQueued(vm, this.sim.now - this.ops.start[next]!)
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

  vcpuRan(vcpu: number, ns: number): void {
    this.attribution.ran(this.vms[this.vcpuVm[vcpu]!]!, this.vcpuOp[vcpu]!, ns)
  }

  vcpuSwitched(vcpu: number, ns: number): void {
    this.attribution.switched(this.vms[this.vcpuVm[vcpu]!]!, ns)
  }

  vcpuWaited(vcpu: number, ns: number): void {
    this.attribution.waited(this.vms[this.vcpuVm[vcpu]!]!, ns)
  }
}
