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
import type { Simulator } from '../kernel/kernel'
import { deviceOf, regionKey, type Region } from './regions'
import type { RequestPool } from '../models/requests'
import { Rng } from '../kernel/rng'
import { SanArray } from '../models/san'
import { Station } from '../models/station'
import { StationStage, type Attributor, type Routes, type Stage } from '../models/route'
import { CoordinatorTrip } from '../models/csv'
import type { ResourceRegistry } from '../models/resources'
import { resolveTechniques, type Techniques } from '../../../shared/experiment/techniques'
import { VmRuntime, type DiskPort, type NicPort } from './vm'

/** A network path with no NIC (loopback): the guest stack's cost only. */
const LOOPBACK: DeviceSpec = {
  id: 'nic:loopback', model: 'loopback', name: 'No NIC (loopback)', kind: 'nic', path: 'passthrough',
  exitsPerRequest: 0, batchBase: 1, batchMax: 1, emulationCycles: 0, interruptExits: 0, guestDriverCycles: 4000, tso: false, sources: {}
}

/** A host NIC: one FIFO per direction at its speed, each also a stage of the routes that cross it. */
export interface HostLink {
  tx: Station
  rx: Station
  gbps: number
  txStage: Stage
  rxStage: Stage
}

export interface HostRuntime {
  spec: Host
  cpuSpec: CpuSpec
  hv: HypervisorSpec
  cpu: HostCpu
  links: Map<string, HostLink>
  vms: VmRuntime[]
  /** Resource index of the host's cores (vCPU ready time, hypervisor I/O waiting for a core). */
  coresRes: number
}

export interface LocalDisk {
  /** The host that holds the disk. */
  host: string
  key: string
  station: Station
  stage: Stage
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
  /** Metadata queues of Cluster Shared Volumes, by volume id, and the trips to them, by volume>host (built on first use). */
  readonly coordinators: Map<string, Station>
  readonly coordinatorTrips: Map<string, CoordinatorTrip>
  /** Paths to arrays already built, keyed array>host>adapter. */
  readonly sanPaths: Map<string, number>
  /** Paths lost by a fail-path event (array id>host>adapter), and how a host with none left reaches an array (array id>host): the stages to a LUN. */
  readonly failedPaths: Set<string>
  readonly detours: Map<string, (lun: number, csv: boolean) => Stage[]>
  readonly cpuClient: CpuClient
  /** The routes of every port (models/route.ts), and the stage that ends each: the request back to its operation. */
  readonly routes: Routes
  readonly done: Stage
  readonly resources: ResourceRegistry
  /** Hears `waitNs` at resource `res` and `serviceNs` by it for the request's VM and operation. */
  readonly attribution: Attributor
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
  const links = new Map<string, HostLink>()
  const { routes, attribution } = ctx
  const next = (r: number): void => routes.next(r)
  for (const n of h.nics) {
    const wire = (r: number): number => ctx.requests.wireNs[r]!
    const txRes = ctx.resources.index('link', `${h.id}/${n.id} transmit`)
    const rxRes = ctx.resources.index('link', `${h.id}/${n.id} receive`)
    const tx = new Station(ctx.sim, `${h.id}/${n.id}:tx`, 1, wire, next, (r, w, sv) => attribution.charge(r, txRes, w, sv))
    const rx = new Station(ctx.sim, `${h.id}/${n.id}:rx`, 1, wire, next, (r, w, sv) => attribution.charge(r, rxRes, w, sv))
    links.set(n.id, { tx, rx, gbps: n.gbps, txStage: new StationStage(routes, tx), rxStage: new StationStage(routes, rx) })
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
    const station = new Station(ctx.sim, key, d.servers ?? model.servers, (r) => model.service(r), next, (r, w, sv) => attribution.charge(r, res, w, sv), true)
    ctx.localDisks.push({ host: h.id, key, station, stage: new StationStage(routes, station) })
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
  return new SanArray(ctx.sim, a, ctx.requests, rng, model, ctx.routes, ctx.resources, ctx.attribution)
}

/** Index of the path from `host` to array `ai` (its first working one), created on first use. */
export function pathTo(ctx: BuildContext, ai: number, host: HostRuntime, evenFailed = false): number {
  const array = ctx.arrays[ai]!
  const p = array.spec.paths.find((x) => x.host === host.spec.id && (evenFailed || !ctx.failedPaths.has(`${array.spec.id}>${x.host}>${x.via}`)))
  if (!p) throw new Error(`host "${host.spec.id}" has no working path to array "${array.spec.id}"`)
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
    const wire = (hba.gbps * fabric.usableGbps) / fabric.nominalGbps
    index = array.addPath({ label: `${host.spec.id}/${p.via}`, queueDepth: hba.queue_depth, hopNs: fabric.hopNs, commandKb: fabric.commandKb, gbps: wire, linkOut: null, linkBack: null })
  } else if (link) {
    // A software initiator over a host NIC: the fabric entry gives its outstanding commands.
    const fabric = fabricFor('iscsi', link.gbps)
    index = array.addPath({ label: `${host.spec.id}/${p.via}`, queueDepth: fabric.queueDepth!, hopNs: fabric.hopNs, commandKb: fabric.commandKb, gbps: link.gbps, linkOut: link.tx, linkBack: link.rx })
  } else throw new Error(`host "${host.spec.id}" has no adapter "${p.via}"`)
  known.set(key, index)
  return index
}

/** A disk's way to its Cluster Shared Volume's coordinator: only allocations need it; data goes straight to the LUN. */
function coordinatorTrip(ctx: BuildContext, volume: Experiment['volumes'][number], host: HostRuntime): CoordinatorTrip {
  const key = `${volume.id}>${host.spec.id}`
  const known = ctx.coordinatorTrips.get(key)
  if (known) return known
  const spec = defaultClusterVolume
  const { routes, attribution } = ctx
  let coordinator = ctx.coordinators.get(volume.id)
  if (!coordinator) {
    const res = ctx.resources.index('coordinator', `${volume.id} coordinator (${volume.coordinator ?? volume.hosts?.[0] ?? '?'})`)
    const r = ctx.requests
    coordinator = new Station(ctx.sim, `${volume.id}:coordinator`, 1, (req) => r.wireNs[req]!, (req) => routes.next(req), (req, w, sv) => attribution.charge(req, res, w, sv))
    ctx.coordinators.set(volume.id, coordinator)
  }
  const local = (volume.coordinator ?? volume.hosts?.[0]) === host.spec.id
  const rttRes = ctx.resources.index('cluster-network', `${volume.id} cluster network`)
  const trip = new CoordinatorTrip(routes, ctx.sim, coordinator, spec.metadataUs * 1000, local ? 0 : spec.metadataRttUs * 1000, rttRes, attribution)
  ctx.coordinatorTrips.set(key, trip)
  return trip
}

/** What a VM's own work is on a host: its techniques there, and the cost model of that CPU and hypervisor with them. */
export interface Placement {
  tech: Techniques
  cost: CostModel
}

function placementOn(host: HostRuntime, v: Vm): Placement {
  const tech = resolveTechniques(host.spec, host.hv, host.cpuSpec, v)
  return { tech, cost: new CostModel(host.cpuSpec, host.hv, techniques[tech.costs], host.spec.large_pages, v.guest.os) }
}

export function buildVm(ctx: BuildContext, v: Vm, index: number, host: HostRuntime, vcpuBase: number): VmRuntime {
  const placement = placementOn(host, v)
  const { tech, cost } = placement
  const workload = resolveWorkload(v.workload)
  const seed = ctx.seed
  const vcpus = Array.from({ length: v.vcpus }, (_, k) => vcpuBase + k)
  const vm = new VmRuntime(index, v, ctx.hosts.indexOf(host), host.cpu, cost, workload, tech, vcpus,
    new Rng(seed, `vm:${v.id}:arrivals`), new Rng(seed, `vm:${v.id}:ops`))
  bindVm(ctx, vm, host, placement)
  return vm
}

/**
 * Binds a VM to a host: its techniques and cost model (the host's CPU and hypervisor), the CPU of its own
 * work, its virtual disks and NICs (through the host's adapters and links) and the demands of one operation.
 * Called when the VM is built and again when it moves to another host; what a disk has lived through (its
 * sequential cursor, what is allocated, requests in flight) stays with it. A disk on a local disk of another
 * host cannot follow (the caller checks before moving).
 */
export function bindVm(ctx: BuildContext, vm: VmRuntime, host: HostRuntime, placement: Placement = placementOn(host, vm.spec)): void {
  const v = vm.spec
  const baseline = ctx.native
  const previous = vm.diskPorts
  const { tech, cost } = placement
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
    // An open snapshot's delta disk is the layer the disk's requests meet first.
    if (vm.layers[i]) format = vm.layers[i]!
    const region = ctx.regions.get(regionKey(v.id, i)) ?? { start: 0, size: 1 }
    const port: DiskPort = {
      device, format, station: null, array: null, arrayIndex: -1, pathIndex: -1, lun: -1,
      regionStart: region.start, regionSize: region.size, sizeKb: d.gb * 1024 * 1024, cursorKb: previous[i]?.cursorKb ?? 0,
      allocated: previous[i]?.allocated ?? (format && format.allocationKb > 0 ? (d.allocated_pct ?? 0) / 100 : 1),
      iscsi: null, outstanding: previous[i]?.outstanding ?? 0, csv: false, route: -1, writtenKb: previous[i]?.writtenKb ?? 0
    }
    const trip = volume?.kind === 'csv' && format && format.allocationKb > 0 ? coordinatorTrip(ctx, volume, host) : null
    port.csv = trip !== null
    const local = ctx.localDisks.find((x) => x.key === target)
    if (local && !target.startsWith(`${host.spec.id}/`)) throw new Error(`VM "${v.id}": disk ${i} is on ${target}, a local disk host "${host.spec.id}" cannot reach`)
    if (local) {
      port.station = local.station
      port.route = ctx.routes.add([local.stage, ctx.done])
    } else {
      const [arrayId, lunId] = target.split('/') as [string, string]
      const ai = ctx.arrays.findIndex((a) => a.spec.id === arrayId)
      if (ai < 0) throw new Error(`VM "${v.id}": "${target}" is neither a disk of a host nor a LUN of an array`)
      const array = ctx.arrays[ai]!
      port.array = array
      port.arrayIndex = ai
      port.lun = array.spec.luns.findIndex((l) => l.id === lunId)
      if (port.lun < 0) throw new Error(`VM "${v.id}": array "${arrayId}" has no LUN "${lunId}"`)
      // A host whose every path to the array failed reaches it another way (models the scenario's path events set up).
      const detour = ctx.detours.get(`${arrayId}>${host.spec.id}`)
      if (detour) {
        port.route = ctx.routes.add([...(trip ? [trip] : []), ...detour(port.lun, volume?.kind === 'csv'), ctx.done])
        return port
      }
      port.pathIndex = pathTo(ctx, ai, host)
      const path = array.paths[port.pathIndex]!
      if (path.linkOut) {
        // Software iSCSI: the initiator's host CPU, from the catalog's fabric for the NIC's speed.
        const initiator = fabricFor('iscsi', path.gbps)
        port.iscsi = { cycles: initiator.initiatorCycles, cyclesPerKb: initiator.initiatorCyclesPerKb }
      }
      port.route = ctx.routes.add([...(trip ? [trip] : []), ...array.stagesFor(port.pathIndex, port.lun), ctx.done])
    }
    return port
  })

  vm.nicPorts = v.nics.map((n): NicPort => {
    const device = nicDevice(n.model)
    if (!device) throw new Error(`VM "${v.id}": unknown NIC "${n.model}"`)
    const link = host.links.get(n.uplink)
    const txRoute = ctx.routes.add(link ? [link.txStage, ctx.done] : [ctx.done])
    const rxRoute = ctx.routes.add(link ? [link.rxStage, ctx.done] : [ctx.done])
    return { device, tx: link?.tx ?? null, rx: link?.rx ?? null, gbps: link?.gbps ?? 1, txRoute, rxRoute }
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
      bytes: 0, tx: false, mechanisms, cost: ioSums(mechanisms), netWireNs: 0, route: target.route
    })
  }
  const loopback = (): NicPort => {
    const route = ctx.routes.add([ctx.done])
    return { device: LOOPBACK, tx: null, rx: null, gbps: 1, txRoute: route, rxRoute: route }
  }
  for (const n of p.net) {
    const nic: NicPort = vm.nicPorts[0] ?? loopback()
    const portIndex = vm.nicPorts.length > 0 ? 0 : -1
    const mechanisms = cost.netMechanisms(nic.device, n.count, n.bytes)
    vm.demands.push({
      disk: false, port: portIndex, kb: 0, write: n.direction === 'tx', sequential: false, count: n.count,
      bytes: n.bytes, tx: n.direction === 'tx', mechanisms, cost: ioSums(mechanisms), netWireNs: (n.count * n.bytes * 8) / nic.gbps,
      route: n.direction === 'tx' ? nic.txRoute : nic.rxRoute
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
