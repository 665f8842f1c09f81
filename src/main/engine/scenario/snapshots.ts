/**
 * Snapshots and clones of a running VM (docs/model.md §7). A snapshot puts
 * its hypervisor's delta disk (catalog `operations`) on top of every virtual
 * disk: from then on a first write to a grain allocates in the delta (and
 * copies the parent's data where the format copies on write), and every
 * request looks its block up through the chain, one level more per snapshot.
 * Deleting the snapshot consolidates: the delta's data is read and written
 * back into the parent on the same volume (a background copy loading the
 * array), after which the disk is its own layer again. A clone copies the
 * VM's allocated disk data through the storage path the same way. Both are
 * refused for pass-through disks and for VMs with a pass-through device.
 */
import { storageCopy, snapshots } from '../../../shared/catalog/operations'
import type { DiskFormatSpec } from '../../../shared/catalog'
import type { EventResult } from '../../../shared/result'
import { Stream, type StreamLeg } from '../models/stream'
import { bindVm } from './build'
import type { Scenario } from './scenario'
import type { VmRuntime } from './vm'

const NS_PER_S = 1e9
const KB_PER_MB = 1024

/** Why a snapshot or a clone of this VM is refused (they need the hypervisor to own every disk), or null. */
export function snapshotRefusal(s: Scenario, vm: VmRuntime, what: 'snapshot' | 'clone'): string | null {
  const host = s.hosts[vm.host]!
  if (!snapshots[host.hv.family]) return `${host.hv.name} takes no snapshots`
  for (const [i, n] of vm.spec.nics.entries()) {
    if (n.model === 'passthrough') return `NIC ${i} is a pass-through device (VMDirectPath I/O): a VM with a device the hypervisor does not own cannot ${what === 'snapshot' ? 'be snapshotted' : 'be cloned while running'}`
  }
  for (const [i, d] of vm.spec.disks.entries()) {
    if (d.model === 'passthrough') return `disk ${i} is a pass-through disk: the hypervisor has no virtual-disk layer to put a ${what === 'snapshot' ? 'delta disk' : 'copy'} on`
  }
  if (vm.spec.disks.length === 0) return `VM "${vm.spec.id}" has no disks`
  if (vm.busyWith) return `VM "${vm.spec.id}" is busy with ${vm.busyWith}`
  return null
}

/** A VM's open snapshots: how deep the chain is, and what each disk had allocated below it. */
interface Chain {
  depth: number
  baseLayers: (DiskFormatSpec | null)[]
  baseAllocated: number[]
  /** KB held by the deltas below the top one, per disk (what a consolidation copies), and the disks' written KB when the top one opened. */
  deltaKb: number[]
  writtenAtOpen: number[]
  copyOnWrite: boolean
}

export class Snapshots {
  private readonly chains = new Map<number, Chain>()

  constructor(
    private readonly s: Scenario,
    /** Hooks the timeline calls at the end of the run (a copy's progress so far). */
    private readonly progress: (() => void)[]
  ) {}

  depth(vm: VmRuntime): number {
    return this.chains.get(vm.index)?.depth ?? 0
  }

  take(vm: VmRuntime, out: EventResult): void {
    const s = this.s
    const host = s.hosts[vm.host]!
    const spec = snapshots[host.hv.family]!
    let chain = this.chains.get(vm.index)
    if (!chain) {
      chain = {
        depth: 0, baseLayers: vm.diskPorts.map((p) => p.format), baseAllocated: vm.diskPorts.map((p) => p.allocated),
        deltaKb: vm.diskPorts.map(() => 0), writtenAtOpen: [], copyOnWrite: spec.copyOnWrite
      }
      this.chains.set(vm.index, chain)
    } else this.settle(vm, chain)
    chain.depth++
    // The delta's look-up adds to every level below it (a chain is walked until the block is found).
    vm.layers = vm.diskPorts.map((_, i) => {
      const below = chain.baseLayers[i]?.layerCycles ?? 0
      return { ...spec.delta, layerCycles: below + chain.depth * spec.delta.layerCycles }
    })
    bindVm(s.ctx, vm, host)
    for (const p of vm.diskPorts) p.allocated = 0
    chain.writtenAtOpen = vm.diskPorts.map((p) => p.writtenKb)
    out.summary = `snapshot ${chain.depth} of "${vm.spec.id}": ${vm.diskPorts.length} disk${vm.diskPorts.length === 1 ? '' : 's'} now write to a ${spec.delta.name}`
    out.done_s = s.sim.now / NS_PER_S
  }

  /**
   * Counts what the top delta holds before it is covered by a new one or consolidated: the grains first written
   * (whole grains where the format copies on write), else only the data written into them, at most the grains.
   */
  private settle(vm: VmRuntime, chain: Chain): void {
    vm.diskPorts.forEach((p, i) => {
      const grains = p.allocated * p.sizeKb
      const written = p.writtenKb - (chain.writtenAtOpen[i] ?? 0)
      chain.deltaKb[i] = chain.deltaKb[i]! + (chain.copyOnWrite ? grains : Math.min(grains, written))
      chain.writtenAtOpen[i] = p.writtenKb
    })
  }

  /** Why there is nothing to delete, or null. */
  deleteRefusal(vm: VmRuntime): string | null {
    if (!this.chains.has(vm.index)) return `VM "${vm.spec.id}" has no snapshot to delete`
    if (vm.busyWith) return `VM "${vm.spec.id}" is busy with ${vm.busyWith}`
    return null
  }

  /** Deletes every snapshot of the VM: the deltas are copied into the base disks, then the disks are their own layer again. */
  delete(vm: VmRuntime, out: EventResult): void {
    const s = this.s
    const chain = this.chains.get(vm.index)!
    this.settle(vm, chain)
    const kb = chain.deltaKb.reduce((a, b) => a + b, 0)
    vm.busyWith = 'consolidating its snapshot'
    copyDisks(s, this.progress, vm, chain.deltaKb, out, () => {
      this.chains.delete(vm.index)
      vm.layers = []
      bindVm(s.ctx, vm, s.hosts[vm.host]!)
      vm.diskPorts.forEach((p, i) => {
        p.allocated = chain.baseAllocated[i]!
      })
      vm.busyWith = null
      out.summary = `consolidated ${round3(kb / KB_PER_MB)} MB of snapshot data into the base disks of "${vm.spec.id}" in ${out.copy!.s} s`
    })
    out.summary = `consolidating ${round3(kb / KB_PER_MB)} MB of snapshot data (unfinished at the end of the run)`
  }

  /** Clones the VM: copies what each disk holds (all of a preallocated disk, the allocated part of a growable one). */
  clone(vm: VmRuntime, out: EventResult): void {
    const kb = vm.diskPorts.map((p) => p.sizeKb * (p.format && p.format.allocationKb > 0 ? p.allocated : 1))
    const total = kb.reduce((a, b) => a + b, 0)
    vm.busyWith = 'a clone'
    copyDisks(this.s, this.progress, vm, kb, out, () => {
      vm.busyWith = null
      out.summary = `copied ${round3(total / KB_PER_MB)} MB of "${vm.spec.id}"'s disks in ${out.copy!.s} s`
    })
    out.summary = `copying ${round3(total / KB_PER_MB)} MB of "${vm.spec.id}"'s disks (unfinished at the end of the run)`
  }
}

/** Copies `kb[i]` of each disk on its own volume (read, then write), disk after disk; `out.copy` follows its progress. */
function copyDisks(s: Scenario, progress: (() => void)[], vm: VmRuntime, kb: number[], out: EventResult, done: () => void): void {
  const startNs = s.sim.now
  const totalKb = kb.reduce((a, b) => a + b, 0)
  const copy = { mb: round3(totalKb / KB_PER_MB), mb_done: 0, s: null as number | null }
  out.copy = copy
  out.done_s = null
  let doneKb = 0
  const next = (i: number): void => {
    if (i >= kb.length) {
      copy.s = round3((s.sim.now - startNs) / NS_PER_S)
      copy.mb_done = copy.mb
      out.done_s = round3(s.sim.now / NS_PER_S)
      done()
      return
    }
    const port = vm.diskPorts[i]!
    // The copy's I/O goes the disk's own way to its device (without the operation at the end of the route).
    const stages = s.routes.stagesOf(port.route).slice(0, -1)
    const leg: StreamLeg = { stages, kind: 'disk', vm: vm.index, port: i, regionStart: port.regionStart, regionSize: port.regionSize, sizeKb: port.sizeKb }
    const stream = new Stream(s.sim, s.requests, s.routes, { read: leg, write: leg, chunkKb: storageCopy.chunkKb, outstanding: storageCopy.outstanding, capGbps: Infinity })
    progress.push(() => {
      copy.mb_done = round3((doneKb + stream.sentKb) / KB_PER_MB)
    })
    stream.send(kb[i]!, () => {
      doneKb += kb[i]!
      next(i + 1)
    })
  }
  next(0)
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}
