/**
 * Where a VM's time went: the scenario's one listener for waiting and service
 * at every resource (queues, links, disks, the array, the fabric, a peer), for
 * the vCPU time each operation ran (split by category as the cost model
 * charged it) and ready time, and for each completed operation's response
 * time and breakdown (docs/model.md §10). A baseline scenario measures only
 * throughput, so it counts operations and attributes nothing else.
 */
import type { Attributor } from '../models/route'
import type { RequestPool } from '../models/requests'
import type { OpPool } from './ops'
import { B_EMU, B_EXITS, B_GUEST, B_HYP, B_QUEUE, B_SERVICE, B_WALKS, type VmStats } from './stats'
import type { VmRuntime } from './vm'

export class Attribution implements Attributor {
  constructor(
    private readonly vms: readonly VmRuntime[],
    private readonly ops: OpPool,
    private readonly requests: RequestPool,
    /** A baseline: only throughput is measured (no latencies, breakdown or attribution). */
    readonly lean: boolean
  ) {}

  /** `waitNs` at resource `res` and `serviceNs` by it, for a request's VM and operation (none for work of no operation). */
  charge(req: number, res: number, waitNs: number, serviceNs: number): void {
    if (this.lean) return
    const r = this.requests
    const op = r.op[req]!
    if (op < 0) return
    this.attribute(op, this.vms[r.vm[req]!]!.stats, res, waitNs, serviceNs)
  }

  /** Adds a visit to resource `res` to a VM's statistics and its service to operation `op`. */
  attribute(op: number, s: VmStats, res: number, waitNs: number, serviceNs: number): void {
    if (this.lean) return
    this.ops.svc[op] = this.ops.svc[op]! + serviceNs
    s.resWait[res] = s.resWait[res]! + waitNs
    s.resService[res] = s.resService[res]! + serviceNs
    s.resVisits[res] = s.resVisits[res]! + 1
  }

  /** An operation waited `ns` in its VM's run queue for one of its vCPUs. */
  runQueued(vm: VmRuntime, ns: number): void {
    vm.stats.resWait[vm.runQueueRes] = vm.stats.resWait[vm.runQueueRes]! + ns
  }

  /** `ns` of a vCPU's time ran for operation `op` (-1: none), split as the operation's burst is. */
  ran(vm: VmRuntime, op: number, ns: number): void {
    const s = vm.stats
    s.wCpuNs += ns
    if (op < 0) return
    const ops = this.ops
    const total = ops.burst(op)
    if (total <= 0) return
    const k = ns / total
    const c = s.cpuNs
    c[0] = c[0]! + ops.guest[op]! * k
    c[1] = c[1]! + ops.exits[op]! * k
    c[2] = c[2]! + ops.walks[op]! * k
    c[3] = c[3]! + ops.emulation[op]! * k
    s.hypNs += ops.hypCpu[op]! * k
  }

  /** A core spent `ns` switching to one of the VM's vCPUs. */
  switched(vm: VmRuntime, ns: number): void {
    vm.stats.resWait[vm.switchRes] = vm.stats.resWait[vm.switchRes]! + ns
  }

  /** One of the VM's vCPUs waited `ns` for a core (ready time). */
  waited(vm: VmRuntime, ns: number): void {
    vm.stats.readyNs += ns
    vm.stats.resWait[vm.coresRes] = vm.stats.resWait[vm.coresRes]! + ns
  }

  /** An operation completed after `latency` ns: counted, and in the main scenario, where its time went. */
  completed(op: number, vm: VmRuntime, latency: number): void {
    const s = vm.stats
    s.wOps++
    s.ops++
    // A baseline needs its throughput and response time (the overhead of open arrivals shows there); the breakdown is the main scenario's.
    s.wLatency.record(latency)
    s.latency.record(latency)
    if (this.lean) return
    const ops = this.ops
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
}
