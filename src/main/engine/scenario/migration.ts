/**
 * Live migration by iterative pre-copy (docs/model.md §7; Clark et al., NSDI
 * 2005). The first round sends all the VM's memory over the migration
 * network while the VM runs; each further round sends what the guest dirtied
 * during the previous one. The stream is a background stream on the source
 * host's migration NIC (models/stream.ts), paced to the hypervisor's stream
 * cap, so it shares the link with the VMs' traffic and its rate is measured,
 * not assumed. The dirty rate is measured too: the operations the VM
 * completes during a round times the bytes one operation writes to memory.
 * While its memory is traced the VM pays the hypervisor's work per dirtied
 * page. Pre-copy stops when what is left fits the stop-and-copy target
 * (converged), or when a round no longer shrinks what is left, or at the
 * round or data limit (then only the stop-and-copy ends it, and the result
 * says so); the VM is then paused, the rest is sent, and the VM resumes on
 * the destination after the switch-over.
 */
import { guestDirty, migrations, type MigrationSpec } from '../../../shared/catalog/operations'
import type { EventResult } from '../../../shared/result'
import { Stream } from '../models/stream'
import type { HostLink, HostRuntime } from './build'
import type { Scenario } from './scenario'
import type { VmRuntime } from './vm'

const NS_PER_S = 1e9
const NS_PER_MS = 1e6
const KB_PER_MB = 1024
const PAGE_BYTES = 4096

/**
 * Bytes one operation of the VM's workload writes into guest memory, from its demands: pages it dirties anew
 * (a page fault maps a page the guest then fills; disk data is read into, or written from, buffers of the
 * guest's caches) and network data, which passes through buffers the guest reuses.
 */
export function dirtyBytesPerOp(vm: VmRuntime): { pages: number; net: number } {
  const p = vm.workload.per_op
  let pages = p.page_faults * vm.workload.page_kb * 1024
  for (const d of p.disk) pages += d.count * d.kb * 1024
  let net = 0
  for (const n of p.net) net += n.count * n.bytes
  return { pages, net }
}

/** The NIC of a host that carries migrations: the fastest, the last listed among equals (a dedicated vMotion NIC). */
export function migrationNic(host: HostRuntime): { id: string; link: HostLink } | null {
  let best: { id: string; link: HostLink } | null = null
  for (const [id, link] of host.links) if (!best || link.gbps >= best.link.gbps) best = { id, link }
  return best
}

/** Why this VM cannot live-migrate to `to`, or null when it can. */
export function migrationRefusal(s: Scenario, vm: VmRuntime, to: HostRuntime): string | null {
  const from = s.hosts[vm.host]!
  const id = vm.spec.id
  if (to === from) return `VM "${id}" already runs on host "${to.spec.id}"`
  if (vm.busyWith) return `VM "${id}" is busy with ${vm.busyWith}`
  if (from.hv.family !== to.hv.family) return `hosts "${from.spec.id}" (${from.hv.name}) and "${to.spec.id}" (${to.hv.name}) run different hypervisors: live migration stays within one`
  if (!migrations[from.hv.id]) return `${from.hv.name} does not live-migrate`
  if (from.cpuSpec.vendor !== to.cpuSpec.vendor) return `host "${from.spec.id}" has an ${from.cpuSpec.vendor} CPU and "${to.spec.id}" an ${to.cpuSpec.vendor} one: a running guest cannot change CPU vendor`
  for (const [i, n] of vm.spec.nics.entries()) {
    if (n.model === 'passthrough') {
      const nic = from.spec.nics.find((x) => x.id === n.uplink)
      return nic?.sriov
        ? `NIC ${i} is an SR-IOV virtual function of "${n.uplink}": the guest drives the host's device directly, so the VM cannot leave it`
        : `NIC ${i} is a pass-through device (VMDirectPath I/O) of "${n.uplink}": the guest owns the host's adapter, so the VM cannot leave it`
    }
  }
  for (const [i, n] of vm.spec.nics.entries()) {
    if (!to.links.has(n.uplink)) return `NIC ${i} is on uplink "${n.uplink}", which host "${to.spec.id}" does not have: the VM would lose its network there`
  }
  for (const [i, d] of vm.spec.disks.entries()) {
    const volume = s.exp.volumes.find((v) => v.id === d.on)
    const target = volume?.on ?? d.on
    const [dev] = target.split('/')
    if (s.exp.hosts.some((h) => h.id === dev)) return `disk ${i} is on ${target}, a local disk of host "${dev}" that host "${to.spec.id}" cannot reach`
    const array = s.exp.arrays.find((a) => a.id === dev)
    if (!array) continue
    const reach = array.paths.some((p) => p.host === to.spec.id)
    if (d.model === 'passthrough') {
      // A pass-through LUN moves only as a cluster disk (Hyper-V failover cluster): both hosts see the LUN.
      if (to.hv.family !== 'hyperv' || !reach) return `disk ${i} is a pass-through disk (${target}) outside a cluster: it is bound to host "${from.spec.id}"`
      continue
    }
    if (!reach) return `disk ${i} is on array "${array.id}", which host "${to.spec.id}" has no path to`
    if (volume?.hosts && !volume.hosts.includes(to.spec.id)) return `disk ${i} is on volume "${volume.id}", which host "${to.spec.id}" does not mount`
  }
  const used = to.vms.reduce((sum, v) => sum + v.spec.memory_gb, 0)
  if (used + vm.spec.memory_gb > to.spec.memory_gb) {
    return `host "${to.spec.id}" has ${to.spec.memory_gb} GB and its VMs use ${used} GB: no room for ${vm.spec.memory_gb} GB more`
  }
  if (!migrationNic(from) || !migrationNic(to)) return `host "${!migrationNic(from) ? from.spec.id : to.spec.id}" has no NIC for the migration network`
  return null
}

/** One live migration in progress. */
export class Migration {
  private readonly spec: MigrationSpec
  private readonly stream: Stream
  private readonly memKb: number
  private readonly startNs: number
  private readonly perOp: { pages: number; net: number }
  private readonly targetKb: number
  private readonly log: { mb: number; s: number }[] = []
  private sentKb = 0
  private roundStartNs = 0
  private roundOps = 0
  private roundKb = 0
  private dirtyKbTotal = 0
  private preCopyNs = 0
  private pauseNs = 0
  private readonly hWait: number
  private readonly hResume: number
  private lastKb = 0
  private stopReason = ''
  private converged = false

  constructor(
    private readonly s: Scenario,
    private readonly vm: VmRuntime,
    private readonly from: HostRuntime,
    private readonly to: HostRuntime,
    private readonly out: EventResult
  ) {
    this.spec = migrations[from.hv.id]!
    const nicFrom = migrationNic(from)!
    const nicTo = migrationNic(to)!
    const linkGbps = Math.min(nicFrom.link.gbps, nicTo.link.gbps)
    // The stream crosses the source NIC's transmit link and the destination NIC's receive link (each shared with
    // the VMs' traffic there), paced to the hypervisor's cap; a chunk takes the wire time of the slower one.
    this.stream = new Stream(s.sim, s.requests, s.routes, {
      read: null,
      write: { stages: [nicFrom.link.txStage, nicTo.link.rxStage], kind: 'net', vm: vm.index, port: 0, gbps: linkGbps },
      chunkKb: this.spec.chunkKb,
      outstanding: 2,
      capGbps: Math.min(this.spec.streamGbps, linkGbps)
    })
    this.memKb = vm.spec.memory_gb * 1024 * 1024
    this.startNs = s.sim.now
    this.perOp = dirtyBytesPerOp(vm)
    // What may be left for the stop-and-copy: the target downtime at the stream's nominal rate.
    this.targetKb = (Math.min(this.spec.streamGbps, linkGbps) * 1e9 * (this.spec.downtimeTargetMs / 1000)) / 8 / 1024
    this.hWait = s.sim.register(() => this.waitQuiescent())
    this.hResume = s.sim.register(() => this.resume())
    vm.busyWith = `a migration to "${to.spec.id}"`
    // Tracing: each page the guest dirties costs the hypervisor a write-protect fault while the pre-copy runs.
    const pages = (this.perOp.pages + this.perOp.net) / PAGE_BYTES
    vm.traceNs = vm.cost.cyclesNs(pages * this.spec.traceCyclesPerPage)
    this.round(this.memKb)
  }

  private round(kb: number): void {
    const sim = this.s.sim
    this.roundStartNs = sim.now
    this.roundOps = this.vm.completedOps
    this.roundKb = kb
    this.stream.send(kb, () => this.roundDone())
  }

  private roundDone(): void {
    const now = this.s.sim.now
    const spanNs = now - this.roundStartNs
    this.sentKb += this.roundKb
    this.log.push({ mb: round3(this.roundKb / KB_PER_MB), s: round3(spanNs / NS_PER_S) })
    // Pages dirtied during the round: what its operations wrote, at most all of memory (a page dirtied twice is sent once).
    // Network buffers are reused: they add at most their pool's pages, however much data passed through them.
    const ops = this.vm.completedOps - this.roundOps
    const writtenKb = (ops * this.perOp.pages) / 1024 + Math.min((ops * this.perOp.net) / 1024, guestDirty.netBufferMb * KB_PER_MB)
    const dirtyKb = Math.min(this.memKb, writtenKb)
    this.dirtyKbTotal += writtenKb
    const rounds = this.log.length
    if (dirtyKb <= this.targetKb) {
      this.converged = true
      this.stopReason = `what was left (${round3(dirtyKb / KB_PER_MB)} MB) fits the ${this.spec.downtimeTargetMs} ms stop-and-copy target`
    } else if (dirtyKb >= this.roundKb) {
      this.stopReason = `the guest dirtied ${round3(dirtyKb / KB_PER_MB)} MB while ${round3(this.roundKb / KB_PER_MB)} MB were sent: its dirty rate is at or above the stream's bandwidth, so pre-copy cannot converge and only the stop-and-copy ends it`
    } else if (rounds >= this.spec.maxRounds) {
      this.stopReason = `the ${this.spec.maxRounds}-round limit was reached with ${round3(dirtyKb / KB_PER_MB)} MB still dirty: only the stop-and-copy ends it`
    } else if (this.sentKb + dirtyKb > this.spec.maxSentFactor * this.memKb) {
      this.stopReason = `${this.spec.maxSentFactor}× the VM's memory was sent with ${round3(dirtyKb / KB_PER_MB)} MB still dirty: only the stop-and-copy ends it`
    } else {
      this.round(dirtyKb)
      return
    }
    this.preCopyNs = now - this.startNs
    this.lastKb = dirtyKb
    // Stop-and-copy: the VM is paused (its operations wait); once its vCPUs are idle the rest is sent.
    this.pauseNs = now
    this.s.freeze(this.vm.spec.id)
    this.waitQuiescent()
  }

  private waitQuiescent(): void {
    if (!this.s.quiescent(this.vm.spec.id)) {
      this.s.sim.schedule(10_000, this.hWait, 0)
      return
    }
    this.vm.traceNs = 0
    this.roundStartNs = this.s.sim.now
    this.stream.send(this.lastKb, () => {
      this.sentKb += this.lastKb
      this.log.push({ mb: round3(this.lastKb / KB_PER_MB), s: round3((this.s.sim.now - this.roundStartNs) / NS_PER_S) })
      this.s.sim.schedule(this.spec.switchoverMs * NS_PER_MS, this.hResume, 0)
    })
  }

  private resume(): void {
    const s = this.s
    s.moveVm(this.vm.spec.id, this.to.spec.id)
    s.thaw(this.vm.spec.id)
    this.vm.busyWith = null
    const now = s.sim.now
    const downtimeMs = (now - this.pauseNs) / NS_PER_MS
    const totalS = (now - this.startNs) / NS_PER_S
    const preS = this.preCopyNs / NS_PER_S
    const preKb = this.sentKb - this.lastKb
    const rounds = this.log.length - 1
    this.out.done_s = round3(now / NS_PER_S)
    this.out.migration = {
      from: this.from.spec.id,
      to: this.to.spec.id,
      rounds,
      mb_sent: round3(this.sentKb / KB_PER_MB),
      total_s: round3(totalS),
      downtime_ms: round3(downtimeMs),
      converged: this.converged,
      stop_reason: this.stopReason,
      bandwidth_gbps: round3(preS > 0 ? (preKb * 1024 * 8) / preS / 1e9 : 0),
      dirty_mb_s: round3(preS > 0 ? this.dirtyKbTotal / KB_PER_MB / preS : 0),
      round_log: this.log
    }
    this.out.summary =
      `moved from "${this.from.spec.id}" to "${this.to.spec.id}" in ${totalS.toFixed(2)} s: ${rounds} pre-copy round${rounds === 1 ? '' : 's'}, ` +
      `${Math.round(this.sentKb / KB_PER_MB)} MB sent, ${downtimeMs.toFixed(1)} ms paused` +
      (this.converged ? '' : ` (pre-copy did not converge: ${this.stopReason})`)
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}
