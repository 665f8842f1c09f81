/**
 * Building a scenario's world from the experiment and the catalog: a host's
 * scheduler, links and local disks; an array's spindles and the paths hosts
 * reach it by; a VM's techniques, cost model, virtual disks and NICs bound to
 * their physical targets, and the demands of one operation bound to those.
 * In a native baseline the host runs no hypervisor and the VM's disks skip
 * the virtual-disk layer (docs/model.md §9).
 */
import { catalog, defaultClusterVolume, defaultFormatFor, diskDevice, fabricFor, nicDevice, resolveWorkload, techniques, type CpuSpec, type DeviceSpec, type DiskFormatSpec, type HypervisorSpec } from '../../../shared/catalog'
import type { Experiment, Host, Vm } from '../../../shared/experiment/schema'
import { CostModel, ioSums } from '../models/costmodel'
import { HostCpu, type CpuClient } from '../models/cpu'
import { CatalogDisk, CustomDisk, type DiskModel } from '../models/disk'
import { Sampler } from '../kernel/distributions'
import type { Simulator } from '../kernel/kernel'
import { deviceOf, regionKey, type Region } from './regions'
import type { RequestPool } from '../models/requests'
import { Rng } from '../kernel/rng'
import { Gate, SanArray } from '../models/san'
import { Station } from '../models/station'
import type { ResourceRegistry } from '../models/resources'
import { resolveTechniques } from '../../../shared/experiment/techniques'
import { VmRuntime, type DiskPort, type NicPort } from './vm'

const NS_PER_MS = 1e6

/** A network path with no NIC (loopback): the guest stack's cost only. */
const LOOPBACK: DeviceSpec = {
  id: 'nic:loopback', model: 'loopback', name: 'No NIC (loopback)', kind: 'nic', path: 'passthrough',
  exitsPerRequest: 0, batchBase: 1, batchMax: 1, emulationCycles: 0, interruptExits: 0, guestDriverCycles: 4000, tso: false, sources: {}
}

export interface HostRuntime {
  spec: Host
  cpuSpec: CpuSpec
  hv: HypervisorSpec
  cpu: HostCpu
  links: Map<string, { tx: Station; rx: Station; gbps: number }>
  vms: VmRuntime[]
  /** Resource index of the host's cores (vCPU ready time, hypervisor I/O waiting for a core). */
  coresRes: number
}

export interface LocalDisk {
  /** The host that holds the disk. */
  host: string
  key: string
  station: Station
}

/** What the builders need from the scenario they build into. */
export interface BuildContext {
  readonly exp: Experiment
  readonly sim: Simulator
  readonly requests: RequestPool
  readonly seed: number
  readonly regions: Map<string, Region>
  /** Building a native baseline: no hypervisor, no virtual-disk layer. */
  readonly native: boolean
  readonly hosts: HostRuntime[]
  readonly localDisks: LocalDisk[]
  readonly arrays: SanArray[]
  /** Metadata queues of Cluster Shared Volumes, by volume id (built on first use). */
  readonly coordinators: Map<string, Station>
  /** Paths to arrays already built, keyed array>host>adapter. */
  readonly sanPaths: Map<string, number>
  readonly cpuClient: CpuClient
  /** Moves a request past a station it finished. */
  step(req: number): void
  /** A host link finished a transfer. */
  linkDone(req: number): void
  readonly resources: ResourceRegistry
  /** Attributes `waitNs` at resource `res` and `serviceNs` by it to the request's VM and operation. */
  charge(req: number, res: number, waitNs: number, serviceNs: number): void
}

export function buildHost(ctx: BuildContext, h: Host, vmSpecs: readonly Vm[], vcpuBaseOf: Map<string, number>): HostRuntime {
  const cpuSpec = catalog.cpus[h.cpu]
  if (!cpuSpec) throw new Error(`host "${h.id}": unknown CPU "${h.cpu}"`)
  const hv = ctx.native ? catalog.hypervisors.native! : catalog.hypervisors[h.hypervisor]
  if (!hv) throw new Error(`host "${h.id}": unknown hypervisor "${h.hypervisor}"`)
  const mine = vmSpecs.filter((v) => v.host === h.id)
  const vcpuIds: number[] = []
  for (const v of mine) for (let k = 0; k < v.vcpus; k++) vcpuIds.push(vcpuBaseOf.get(v.id)! + k)
  let cores = cpuSpec.cores * h.sockets
  // The baseline runs the workload on as many cores as the VM had vCPUs: the same parallelism, no hypervisor.
  if (ctx.native) cores = Math.min(cores, mine[0]!.vcpus)
  // World switches are the hypervisor's, whatever technique each VM uses (bare metal has none: one OS).
  const hostCosts = new CostModel(cpuSpec, hv, techniques[hv.family === 'native' ? 'native' : 'hw-shadow'], h.large_pages, 'linux')
  const cpu = new HostCpu(ctx.sim, cores, vcpuIds, hv.sliceMs, hostCosts.worldSwitchNs(), ctx.cpuClient)
  const links = new Map<string, { tx: Station; rx: Station; gbps: number }>()
  for (const n of h.nics) {
    const wire = (r: number): number => ctx.requests.wireNs[r]!
    const done = (r: number): void => ctx.linkDone(r)
    const txRes = ctx.resources.index('link', `${h.id}/${n.id} transmit`)
    const rxRes = ctx.resources.index('link', `${h.id}/${n.id} receive`)
    links.set(n.id, {
      tx: new Station(ctx.sim, `${h.id}/${n.id}:tx`, 1, wire, done, (r, w, sv) => ctx.charge(r, txRes, w, sv)),
      rx: new Station(ctx.sim, `${h.id}/${n.id}:rx`, 1, wire, done, (r, w, sv) => ctx.charge(r, rxRes, w, sv)),
      gbps: n.gbps
    })
  }
  for (const d of h.disks) {
    const key = `${h.id}/${d.id}`
    const rng = new Rng(ctx.seed, `disk:${key}`)
    let model: DiskModel
    if (d.model === 'custom') {
      if (!d.service_ms) throw new Error(`disk "${key}": a custom device needs service_ms`)
      model = new CustomDisk(d.servers ?? 1, d.service_ms, ctx.requests, rng)
    } else {
      const spec = catalog.disks[d.model]
      if (!spec) throw new Error(`disk "${key}": unknown model "${d.model}"`)
      model = new CatalogDisk(spec, ctx.requests, rng)
    }
    const res = ctx.resources.index('disk', key)
    const station = new Station(ctx.sim, key, d.servers ?? model.servers, (r) => model.service(r), (r) => ctx.step(r), (r, w, sv) => ctx.charge(r, res, w, sv), true)
    ctx.localDisks.push({ host: h.id, key, station })
  }
  return { spec: h, cpuSpec, hv, cpu, links, vms: [], coresRes: ctx.resources.index('cores', `${h.id} cores`) }
}

export function buildArray(ctx: BuildContext, a: Experiment['arrays'][number]): SanArray {
  const rng = new Rng(ctx.seed, `array:${a.id}`)
  const model = (i: number): DiskModel => {
    const r = new Rng(ctx.seed, `array:${a.id}:spindle${i}`)
    if (a.disks.model === 'custom') {
      if (!a.disks.service_ms) throw new Error(`array "${a.id}": custom disks need service_ms`)
      return new CustomDisk(1, a.disks.service_ms, ctx.requests, r)
    }
    const spec = catalog.disks[a.disks.model]
    if (!spec) throw new Error(`array "${a.id}": unknown disk model "${a.disks.model}"`)
    return new CatalogDisk(spec, ctx.requests, r)
  }
  return new SanArray(ctx.sim, a, ctx.requests, rng, model, (r) => ctx.step(r), ctx.resources, (r, res, w, sv) => ctx.charge(r, res, w, sv))
}

/** Index of the path from `host` to array `ai`, created on first use. */
function pathTo(ctx: BuildContext, ai: number, host: HostRuntime): number {
  const array = ctx.arrays[ai]!
  const p = array.spec.paths.find((x) => x.host === host.spec.id)
  if (!p) throw new Error(`host "${host.spec.id}" has no path to array "${array.spec.id}"`)
  const key = `${ai}>${host.spec.id}>${p.via}`
  const known = ctx.sanPaths
  const existing = known.get(key)
  if (existing !== undefined) return existing
  const hba = host.spec.hbas.find((x) => x.id === p.via)
  const link = host.links.get(p.via)
  let index: number
  if (hba) {
    // The catalog's fabric of that protocol and speed gives the switch hop and what its line coding leaves of
    // the HBA's nominal speed for data (8b/10b: 4 Gb FC carries 3.2 Gb/s).
    const fabric = fabricFor(hba.kind, hba.gbps)
    const gate = new Gate(hba.queue_depth, (r) => array.advance(r))
    const wire = (hba.gbps * fabric.usableGbps) / fabric.nominalGbps
    index = array.addPath({ hbaGate: gate, hopNs: fabric.hopNs, commandKb: fabric.commandKb, gbps: wire, linkOut: null, linkBack: null, label: `${host.spec.id}/${p.via}` })
  } else if (link) {
    // A software initiator over a host NIC: the fabric entry gives its outstanding commands.
    const fabric = fabricFor('iscsi', link.gbps)
    const gate = new Gate(fabric.queueDepth!, (r) => array.advance(r))
    index = array.addPath({ hbaGate: gate, hopNs: fabric.hopNs, commandKb: fabric.commandKb, gbps: link.gbps, linkOut: link.tx, linkBack: link.rx, label: `${host.spec.id}/${p.via}` })
  } else throw new Error(`host "${host.spec.id}" has no adapter "${p.via}"`)
  known.set(key, index)
  return index
}

/** A disk's way to its Cluster Shared Volume's coordinator: only allocations need it; data goes straight to the LUN. */
function csvPort(ctx: BuildContext, volume: Experiment['volumes'][number], host: HostRuntime): DiskPort['csv'] {
  const spec = defaultClusterVolume
  let coordinator = ctx.coordinators.get(volume.id)
  if (!coordinator) {
    const res = ctx.resources.index('coordinator', `${volume.id} coordinator (${volume.coordinator ?? volume.hosts?.[0] ?? '?'})`)
    const r = ctx.requests
    coordinator = new Station(ctx.sim, `${volume.id}:coordinator`, 1, (req) => r.wireNs[req]!, (req) => ctx.step(req), (req, w, sv) => ctx.charge(req, res, w, sv))
    ctx.coordinators.set(volume.id, coordinator)
  }
  const local = (volume.coordinator ?? volume.hosts?.[0]) === host.spec.id
  return {
    coordinator,
    workNs: spec.metadataUs * 1000,
    rttNs: local ? 0 : spec.metadataRttUs * 1000,
    rttRes: ctx.resources.index('cluster-network', `${volume.id} cluster network`)
  }
}

export function buildVm(ctx: BuildContext, v: Vm, index: number, host: HostRuntime, vcpuBase: number): VmRuntime {
  const tech = resolveTechniques(host.spec, host.hv, host.cpuSpec, v)
  const cost = new CostModel(host.cpuSpec, host.hv, techniques[tech.costs], host.spec.large_pages, v.guest.os)
  const workload = resolveWorkload(v.workload)
  const seed = ctx.seed
  const vcpus = Array.from({ length: v.vcpus }, (_, k) => vcpuBase + k)
  const vm = new VmRuntime(index, v, ctx.hosts.indexOf(host), host.cpu, cost, workload, tech, vcpus,
    new Rng(seed, `vm:${v.id}:arrivals`), new Rng(seed, `vm:${v.id}:ops`))
  if (workload.per_op.work_cv > 0) vm.workSampler = Sampler.lognormal(1, workload.per_op.work_cv)
  if (workload.arrival.process === 'closed' && workload.arrival.think_ms > 0) {
    vm.thinkSampler = Sampler.exponential(workload.arrival.think_ms * NS_PER_MS)
  }
  bindVm(ctx, vm, host)
  return vm
}

/**
 * Binds a VM to a host: its techniques and cost model (the host's CPU and hypervisor), the CPU of its own
 * work, its virtual disks and NICs (through the host's adapters and links) and the demands of one operation.
 * Called when the VM is built and again when it moves to another host; what a disk has lived through (its
 * sequential cursor, what is allocated, requests in flight) stays with it. A disk on a local disk of another
 * host cannot follow (the caller checks before moving).
 */
export function bindVm(ctx: BuildContext, vm: VmRuntime, host: HostRuntime): void {
  const v = vm.spec
  const baseline = ctx.native
  const previous = vm.diskPorts
  const tech = resolveTechniques(host.spec, host.hv, host.cpuSpec, v)
  const cost = new CostModel(host.cpuSpec, host.hv, techniques[tech.costs], host.spec.large_pages, v.guest.os)
  const workload = vm.workload
  vm.host = ctx.hosts.indexOf(host)
  vm.cpu = host.cpu
  vm.cost = cost
  vm.techniques = tech
  vm.base = cost.opCpu(workload)
  vm.demands = []
  vm.peerNs = 0

  // Disks: where their blocks live, through which device and layer.
  vm.diskPorts = v.disks.map((d, i): DiskPort => {
    const device = diskDevice(d.model)
    if (!device) throw new Error(`VM "${v.id}": unknown disk controller "${d.model}"`)
    const target = deviceOf(ctx.exp, d.on, d.model)
    const volume = ctx.exp.volumes.find((x) => x.id === d.on)
    let format: DiskFormatSpec | null = null
    if (!baseline && d.model !== 'passthrough' && volume) {
      const id = d.format ?? defaultFormatFor(volume.kind)
      format = catalog.formats[id] ?? null
      if (!format) throw new Error(`VM "${v.id}": unknown disk format "${id}"`)
    }
    const region = ctx.regions.get(regionKey(v.id, i)) ?? { start: 0, size: 1 }
    const port: DiskPort = {
      device, format, station: null, array: null, arrayIndex: -1, pathIndex: -1, lun: -1,
      regionStart: region.start, regionSize: region.size, sizeKb: d.gb * 1024 * 1024, cursorKb: previous[i]?.cursorKb ?? 0,
      allocated: previous[i]?.allocated ?? (format && format.allocationKb > 0 ? (d.allocated_pct ?? 0) / 100 : 1),
      iscsi: null, outstanding: previous[i]?.outstanding ?? 0, csv: null
    }
    if (volume?.kind === 'csv' && format && format.allocationKb > 0) port.csv = csvPort(ctx, volume, host)
    const local = ctx.localDisks.find((x) => x.key === target)
    if (local && !target.startsWith(`${host.spec.id}/`)) throw new Error(`VM "${v.id}": disk ${i} is on ${target}, a local disk host "${host.spec.id}" cannot reach`)
    if (local) port.station = local.station
    else {
      const [arrayId, lunId] = target.split('/') as [string, string]
      const ai = ctx.arrays.findIndex((a) => a.spec.id === arrayId)
      if (ai < 0) throw new Error(`VM "${v.id}": "${target}" is neither a disk of a host nor a LUN of an array`)
      const array = ctx.arrays[ai]!
      port.array = array
      port.arrayIndex = ai
      port.lun = array.spec.luns.findIndex((l) => l.id === lunId)
      if (port.lun < 0) throw new Error(`VM "${v.id}": array "${arrayId}" has no LUN "${lunId}"`)
      port.pathIndex = pathTo(ctx, ai, host)
      const path = array.paths[port.pathIndex]!
      if (path.linkOut) {
        // Software iSCSI: the initiator's host CPU, from the catalog's fabric for the NIC's speed.
        const initiator = fabricFor('iscsi', path.gbps)
        port.iscsi = { cycles: initiator.initiatorCycles, cyclesPerKb: initiator.initiatorCyclesPerKb }
      }
    }
    return port
  })

  vm.nicPorts = v.nics.map((n): NicPort => {
    const device = nicDevice(n.model)
    if (!device) throw new Error(`VM "${v.id}": unknown NIC "${n.model}"`)
    const link = host.links.get(n.uplink)
    return { device, tx: link?.tx ?? null, rx: link?.rx ?? null, gbps: link?.gbps ?? 1 }
  })

  // Demands bound to ports: sequential writes (logs) go to the last disk when there are several, the rest spread over the others.
  const p = workload.per_op
  if (p.disk.length > 0 && vm.diskPorts.length === 0) {
    throw new Error(`VM "${v.id}": its workload issues disk I/O but the VM has no disks`)
  }
  const nDisks = vm.diskPorts.length
  let spread = 0
  for (const d of p.disk) {
    const sequentialWrite = d.kind === 'write' && d.pattern === 'sequential'
    const port = nDisks > 1 && sequentialWrite ? nDisks - 1 : nDisks > 1 ? spread++ % (nDisks - 1) : 0
    const target = vm.diskPorts[port]!
    const mechanisms = cost.diskMechanisms(target.device, d.kb, target.format, target.iscsi)
    vm.demands.push({
      disk: true, port, kb: d.kb, write: d.kind === 'write', sequential: d.pattern === 'sequential', count: d.count,
      bytes: 0, tx: false, mechanisms, cost: ioSums(mechanisms), netWireNs: 0
    })
  }
  for (const n of p.net) {
    const nic: NicPort = vm.nicPorts[0] ?? { device: LOOPBACK, tx: null, rx: null, gbps: 1 }
    const portIndex = vm.nicPorts.length > 0 ? 0 : -1
    const mechanisms = cost.netMechanisms(nic.device, n.count, n.bytes)
    vm.demands.push({
      disk: false, port: portIndex, kb: 0, write: n.direction === 'tx', sequential: false, count: n.count,
      bytes: n.bytes, tx: n.direction === 'tx', mechanisms, cost: ioSums(mechanisms), netWireNs: (n.count * n.bytes * 8) / nic.gbps
    })
  }
  if (workload.peer_us > 0 && vm.demands.some((x) => !x.disk)) vm.peerNs = workload.peer_us * 1000
  const a = workload.arrival
  const baseNs = vm.base.guest + vm.base.exits + vm.base.walks
  if (a.process === 'closed' && a.think_ms === 0 && baseNs === 0 && vm.demands.every((d) => d.count === 0) && workload.peer_us === 0) {
    throw new Error(
      `VM "${v.id}": its operations take no time (no instructions, no I/O) and its clients do not think, so it would complete operations endlessly at one instant`
    )
  }
}
