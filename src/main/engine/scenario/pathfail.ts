/**
 * A host losing its path to an array, and getting it back (docs/model.md §5).
 * A host with another working path to the array fails over to it: its I/O to
 * the array pauses for the multipath driver's failover time, then continues on
 * the other path. A Hyper-V node that loses its only path to a Cluster Shared
 * Volume goes to redirected I/O: its requests cross the cluster network to
 * the volume's coordinator, whose SMB server (one request at a time) issues
 * them over its own path, so their bandwidth is bounded by the cluster link.
 * Any other disk on the lost path stalls: its requests wait until the path is
 * restored, and the event's outcome names the VMs that stall. A stage object
 * for each of these is put in front of the disks' routes (models/route.ts).
 */
import { pathFailure } from '../../../shared/catalog/operations'
import type { EventResult } from '../../../shared/result'
import { Station } from '../models/station'
import { Stage, StationStage, type Routes } from '../models/route'
import { bindVm, pathTo, type HostLink, type HostRuntime } from './build'
import type { Scenario } from './scenario'
import type { VmRuntime } from './vm'

const NS_PER_S = 1e9
const NS_PER_MS = 1e6

/** Holds requests until released; then they go on along their routes. */
class Stall extends Stage {
  private held: number[] = []
  open = false

  enter(req: number): void {
    if (this.open) this.routes.next(req)
    else this.held.push(req)
  }

  release(): void {
    this.open = true
    const held = this.held
    this.held = []
    for (const req of held) this.routes.next(req)
  }
}

/** Redirected I/O's crossing of the cluster network: a write's data goes out on the node's link, a read's comes back in on it. */
class ClusterCrossing extends Stage {
  constructor(
    routes: Routes,
    private readonly link: HostLink
  ) {
    super(routes)
  }

  enter(req: number): void {
    const r = this.routes.requests
    r.wireNs[req] = (r.kb[req]! * 1024 * 8) / this.link.gbps
    if (r.write[req]) this.link.txStage.enter(req)
    else this.link.rxStage.enter(req)
  }
}

/** The cluster network link of a host: a NIC that no VM and no iSCSI path uses, else its first NIC. */
function clusterLink(host: HostRuntime, s: Scenario): { id: string; link: HostLink } | null {
  const used = new Set<string>()
  for (const v of s.exp.vms) if (v.host === host.spec.id) for (const n of v.nics) used.add(n.uplink)
  for (const a of s.exp.arrays) for (const p of a.paths) if (p.host === host.spec.id) used.add(p.via)
  let first: { id: string; link: HostLink } | null = null
  for (const [id, link] of host.links) {
    first ??= { id, link }
    if (!used.has(id)) return { id, link }
  }
  return first
}

export class PathFailures {
  private readonly stalls = new Map<string, Stall>()
  private readonly smb = new Map<string, Station>()
  private readonly hRelease: number
  private pendingRelease: Stall[] = []

  constructor(private readonly s: Scenario) {
    this.hRelease = s.sim.register((i) => this.releaseLater(i))
  }

  private releaseLater(i: number): void {
    this.pendingRelease[i]!.release()
  }

  /** VMs of a host with a disk on the array. */
  private affected(host: HostRuntime, arrayId: string): VmRuntime[] {
    const exp = this.s.exp
    return host.vms.filter((vm) =>
      vm.spec.disks.some((d) => {
        const volume = exp.volumes.find((v) => v.id === d.on)
        return (volume?.on ?? d.on).split('/')[0] === arrayId
      })
    )
  }

  private isCsv(vm: VmRuntime, arrayId: string): boolean {
    return vm.spec.disks.some((d) => {
      const volume = this.s.exp.volumes.find((v) => v.id === d.on)
      return volume?.kind === 'csv' && volume.on.split('/')[0] === arrayId
    })
  }

  fail(arrayId: string, hostId: string, out: EventResult): void {
    const s = this.s
    const ctx = s.ctx
    const host = s.hosts.find((h) => h.spec.id === hostId)!
    const ai = s.arrays.findIndex((a) => a.spec.id === arrayId)
    const array = s.arrays[ai]!
    const paths = array.spec.paths.filter((p) => p.host === hostId)
    const working = paths.filter((p) => !ctx.failedPaths.has(`${arrayId}>${hostId}>${p.via}`))
    if (working.length === 0) {
      out.ok = false
      out.reason = `host "${hostId}" has no working path to array "${arrayId}" left to lose`
      return
    }
    // The first working path is the one in use (pathTo takes it): that one fails.
    ctx.failedPaths.add(`${arrayId}>${hostId}>${working[0]!.via}`)
    const vms = this.affected(host, arrayId)
    const names = vms.map((v) => v.spec.id)
    const key = `${arrayId}>${hostId}`
    const stall = new Stall(s.routes)
    this.stalls.set(key, stall)
    if (working.length > 1) {
      // Multipath: I/O pauses while the driver declares the path dead, then goes on over the next one.
      const alt = pathTo(ctx, ai, host)
      ctx.detours.set(key, (lun) => [stall, ...array.stagesFor(alt, lun)])
      this.rebind(vms, host)
      this.pendingRelease.push(stall)
      s.sim.schedule(pathFailure.failoverMs * NS_PER_MS, this.hRelease, this.pendingRelease.length - 1)
      out.path = { mode: 'failover', vms: names }
      out.summary = `host "${hostId}" lost its path over "${working[0]!.via}" to array "${arrayId}" and failed over to "${working[1]!.via}" after ${pathFailure.failoverMs} ms${names.length ? ` (${names.join(', ')} paused meanwhile)` : ''}`
      out.done_s = (s.sim.now + pathFailure.failoverMs * NS_PER_MS) / NS_PER_S
      return
    }
    // No path left: CSV disks are redirected through the coordinator, if one with a path and a cluster link exists.
    const redirect = this.redirectPlan(arrayId, host)
    ctx.detours.set(key, (lun, csv) => (csv && redirect ? redirect(lun) : [stall, ...array.stagesFor(pathTo(ctx, ai, host, true), lun)]))
    this.rebind(vms, host)
    const redirected = redirect ? vms.filter((v) => this.isCsv(v, arrayId)).map((v) => v.spec.id) : []
    const stalled = names.filter((n) => !redirected.includes(n))
    const link = clusterLink(host, s)
    if (redirected.length > 0) {
      out.path = { mode: 'redirected', vms: redirected, via: `${hostId}/${link!.id}`, gbps: link!.link.gbps }
      out.summary = `host "${hostId}" lost its only path to array "${arrayId}": ${redirected.join(', ')} go to redirected I/O over the cluster network (${link!.link.gbps} Gb/s)`
      if (stalled.length > 0) out.summary += `; ${stalled.join(', ')} stall until the path is restored`
    } else {
      out.path = { mode: 'stalled', vms: stalled }
      out.summary = `host "${hostId}" lost its only path to array "${arrayId}"${stalled.length ? `: ${stalled.join(', ')} stall until the path is restored` : ''}`
    }
    out.done_s = s.sim.now / NS_PER_S
  }

  /** Stages of redirected I/O to a LUN through the CSV coordinator, or null when there is none to go through. */
  private redirectPlan(arrayId: string, host: HostRuntime): ((lun: number) => Stage[]) | null {
    const s = this.s
    const ctx = s.ctx
    if (host.hv.family !== 'hyperv') return null
    const volume = s.exp.volumes.find((v) => v.kind === 'csv' && v.on.split('/')[0] === arrayId && (v.hosts ?? []).includes(host.spec.id))
    if (!volume) return null
    const link = clusterLink(host, s)
    if (!link) return null
    const ai = s.arrays.findIndex((a) => a.spec.id === arrayId)
    const array = s.arrays[ai]!
    // The coordinator, or else another node of the volume, with a working path.
    const candidates = [volume.coordinator, ...(volume.hosts ?? [])].filter((h): h is string => !!h && h !== host.spec.id)
    const coordId = candidates.find((h) => array.spec.paths.some((p) => p.host === h && !ctx.failedPaths.has(`${arrayId}>${h}>${p.via}`)))
    const coord = s.hosts.find((h) => h.spec.id === coordId)
    if (!coord) return null
    let smb = this.smb.get(volume.id)
    if (!smb) {
      const res = ctx.resources.index('coordinator', `${volume.id} redirected I/O (${coord.spec.id})`)
      smb = new Station(s.sim, `${volume.id}:smb`, 1, () => pathFailure.redirectUs * 1000, (req) => s.routes.next(req), (req, w, sv) => s.attribution.charge(req, res, w, sv))
      this.smb.set(volume.id, smb)
    }
    const crossing = new ClusterCrossing(s.routes, link.link)
    const server = new StationStage(s.routes, smb)
    const path = pathTo(ctx, ai, coord)
    return (lun) => [crossing, server, ...array.stagesFor(path, lun)]
  }

  restore(arrayId: string, hostId: string, out: EventResult): void {
    const s = this.s
    const ctx = s.ctx
    const failed = [...ctx.failedPaths].filter((k) => k.startsWith(`${arrayId}>${hostId}>`))
    if (failed.length === 0) {
      out.ok = false
      out.reason = `no path from host "${hostId}" to array "${arrayId}" has failed`
      return
    }
    for (const k of failed) ctx.failedPaths.delete(k)
    const key = `${arrayId}>${hostId}`
    ctx.detours.delete(key)
    const host = s.hosts.find((h) => h.spec.id === hostId)!
    const vms = this.affected(host, arrayId)
    this.rebind(vms, host)
    // Requests held by a stall go on over the path they were headed for, which works again.
    this.stalls.get(key)?.release()
    this.stalls.delete(key)
    out.path = { mode: 'restored', vms: vms.map((v) => v.spec.id) }
    out.summary = `host "${hostId}" has its path to array "${arrayId}" back${vms.length ? `: ${vms.map((v) => v.spec.id).join(', ')} do direct I/O again` : ''}`
    out.done_s = s.sim.now / NS_PER_S
  }

  private rebind(vms: VmRuntime[], host: HostRuntime): void {
    for (const vm of vms) bindVm(this.s.ctx, vm, host)
  }
}
