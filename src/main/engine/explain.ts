/**
 * Why a VM's operations take the time they take: every mechanism behind its
 * response time with its count per operation, time each and source — the
 * CPU mechanisms from the cost model, the I/O path's stages from the VM's
 * devices and the hypervisor, and the service and waiting the simulation
 * measured at each resource. Shares are scaled within each category to the
 * category's measured time, so they sum to the VM's `breakdown_pct`.
 */
import { BREAKDOWN_KEYS, type BreakdownKey, type ExplainItem } from '../../shared/result'
import type { DeviceSpec } from '../../shared/catalog'
import type { Mechanism } from './costmodel'
import type { Resource } from './resources'
import type { VmRuntime } from './vm'

const NS_PER_US = 1000

/** Sources of several fields as one text, each said once. */
function sources(...texts: Array<string | undefined>): string {
  return [...new Set(texts.filter((t): t is string => !!t && t.trim().length > 0))].join('; ')
}

/** Mechanisms of the VM's I/O demands per operation: guest drivers, device emulation, hypervisor I/O work. */
function ioMechanisms(vm: VmRuntime): Mechanism[] {
  const out: Mechanism[] = []
  const cost = vm.cost
  const st = vm.stats
  // The batch size each virtual disk's device reached on average (it grows with the requests in flight).
  const avgBatch = (port: number): number => (st.portBatches[port]! > 0 ? st.portRequests[port]! / st.portBatches[port]! : 1)
  const T = cost.tech
  // Hardware exits of a device's events under this technique (none under binary translation or natively).
  const accessExits = (dev: DeviceSpec): number =>
    dev.exitsPerRequest > 0 ? (dev.exitsPerRequest * cost.exitsOf(T.ioAccess) + dev.interruptExits * cost.exitsOf(T.interrupt)) / dev.exitsPerRequest : 0
  const batchExits = (dev: DeviceSpec): number =>
    (dev.path === 'paravirtual' ? dev.exitsPerRequest * cost.exitsOf(T.notify) : 0) + dev.interruptExits * cost.exitsOf(T.interrupt)
  for (const d of vm.demands) {
    if (d.count <= 0) continue
    if (d.disk) {
      const port = vm.diskPorts[d.port]!
      const dev = port.device
      const c = port.cost
      const src = dev.sources
      const what = `${dev.name}, ${d.kb} KB ${d.write ? 'writes' : 'reads'}`
      out.push({ mechanism: `${what}: guest driver`, category: 'guest', perOp: d.count, ns: c.guestNs, exits: 0, source: src.guestDriverCycles ?? dev.name })
      if (cost.virtualized) {
        if (dev.path === 'emulated') {
          const perAccess = dev.exitsPerRequest > 0 ? (c.perRequestNs - cost.cyclesNs(dev.emulationCycles)) / dev.exitsPerRequest : 0
          if (perAccess > 0) out.push({ mechanism: `${what}: trapped register accesses and completion interrupt`, category: 'device_emulation', perOp: d.count * dev.exitsPerRequest, ns: perAccess, exits: accessExits(dev), source: src.exitsPerRequest ?? dev.name })
          out.push({ mechanism: `${what}: device model`, category: 'device_emulation', perOp: d.count, ns: cost.cyclesNs(dev.emulationCycles), exits: 0, source: src.emulationCycles ?? dev.name })
        } else {
          out.push({ mechanism: `${what}: ${dev.path === 'paravirtual' ? 'notification and coalesced interrupt per batch' : 'completion interrupt (exits without posted interrupts)'}`, category: 'device_emulation', perOp: d.count / avgBatch(d.port), ns: c.perBatchNs, exits: batchExits(dev), source: sources(src.batchBase, src.interruptExits) })
          out.push({ mechanism: `${what}: shared-ring processing`, category: 'device_emulation', perOp: d.count, ns: c.perRequestNs, exits: 0, source: src.emulationCycles ?? dev.name })
        }
        const hv = cost.hv
        const stackNs = cost.diskHypNs(dev, d.kb, null)
        out.push({ mechanism: `${hv.name} storage stack (${hv.ioArchitecture})`, category: 'hypervisor_io', perOp: d.count, ns: stackNs, exits: 0, source: sources(hv.sources.ioCyclesPerRequest, hv.sources.ioCyclesPerKB) })
        const f = port.format
        if (f && dev.path !== 'passthrough') {
          out.push({ mechanism: `virtual-disk layer (${f.name}): look-ups`, category: 'hypervisor_io', perOp: d.count, ns: cost.cyclesNs(f.layerCycles), exits: 0, source: f.sources.layerCycles ?? f.name })
        }
        if (port.iscsiNs > 0) out.push({ mechanism: 'software iSCSI initiator (host)', category: 'hypervisor_io', perOp: d.count, ns: port.iscsiNs + port.iscsiNsPerKb * d.kb, exits: 0, source: 'catalog storage: software iSCSI initiator' })
      } else if (port.iscsiNs > 0) {
        out.push({ mechanism: 'software iSCSI initiator (guest OS)', category: 'guest', perOp: d.count, ns: port.iscsiNs + port.iscsiNsPerKb * d.kb, exits: 0, source: 'catalog storage: software iSCSI initiator' })
      }
    } else {
      const nic = vm.nicPorts[d.port]?.device
      const name = nic?.name ?? 'network'
      const what = `${name}, ${d.tx ? 'transmit' : 'receive'} ${d.bytes} B packets`
      out.push({ mechanism: `${what}: guest network stack and driver`, category: 'guest', perOp: d.count, ns: d.netGuestNs / d.count, exits: 0, source: nic?.sources.guestDriverCycles ?? name })
      if (d.netEmuNs > 0) out.push({ mechanism: `${what}: ${nic?.path === 'emulated' ? 'trapped register accesses, device model and interrupts' : 'notifications and interrupts'}`, category: 'device_emulation', perOp: d.count, ns: d.netEmuNs / d.count, exits: nic ? (nic.path === 'emulated' ? nic.exitsPerRequest * accessExits(nic) : batchExits(nic) / Math.max(1, Math.min(nic.batchMax, d.count))) : 0, source: sources(nic?.sources.exitsPerRequest, nic?.sources.batchMax) || name })
      if (d.netHypNs > 0) out.push({ mechanism: `${cost.hv.name} virtual switch and back end`, category: 'hypervisor_io', perOp: d.count, ns: d.netHypNs / d.count, exits: 0, source: sources(cost.hv.sources.netCyclesPerPacket, cost.hv.sources.netCyclesPerKB) })
    }
  }
  return out
}

/** Per-operation service and waiting the simulation measured at each resource. */
function measured(vm: VmRuntime, resources: readonly Resource[], ops: number): Mechanism[] {
  const out: Mechanism[] = []
  const st = vm.stats
  for (let i = 0; i < resources.length; i++) {
    const res = resources[i]!
    const visits = st.resVisits[i]!
    const svc = st.resService[i]!
    const wait = st.resWait[i]!
    if (svc > 0) out.push({ mechanism: `${res.label}: ${serviceWord(res)}`, category: 'device_service', perOp: visits / ops, ns: svc / Math.max(1, visits), exits: 0, source: 'measured in the simulation' })
    if (wait > 0) {
      const perOp = res.kind === 'cores' || res.kind === 'run-queue' || res.kind === 'switch' ? 1 : visits / ops
      out.push({ mechanism: waitWord(res), category: 'queueing', perOp, ns: wait / ops / perOp, exits: 0, source: 'measured in the simulation' })
    }
  }
  return out
}

function serviceWord(r: Resource): string {
  switch (r.kind) {
    case 'disk': return 'service (seek, rotation, transfer)'
    case 'array': return 'service (controller cache and spindles)'
    case 'link': return 'transfer on the wire'
    case 'fabric': return 'switch hop and transfer'
    case 'peer': return 'turnaround of the remote peer'
    case 'coordinator': return 'metadata update (allocation) by the coordinator'
    case 'cluster-network': return 'metadata request to the coordinator and back'
    default: return 'service'
  }
}

function waitWord(r: Resource): string {
  switch (r.kind) {
    case 'cores': return `waiting for a core of ${r.label.replace(/ cores$/, '')} (vCPU ready time)`
    case 'switch': return `world switches onto a core of ${r.label.replace(/ world switches$/, '')} (the hypervisor scheduling this vCPU in)`
    case 'run-queue': return `waiting for one of the VM's own vCPUs (${r.label})`
    case 'hba': return `waiting for a slot in the adapter queue ${r.label}`
    case 'lun': return `waiting for a slot in the LUN queue ${r.label}`
    case 'array': return `waiting at ${r.label} (spindles busy)`
    case 'disk': return `waiting for disk ${r.label}`
    case 'link': return `waiting for link ${r.label}`
    case 'coordinator': return `waiting for ${r.label} (metadata updates are serialized)`
    default: return `waiting for ${r.label}`
  }
}

/**
 * The VM's explanation: mechanisms with their measured shares. `perOpNs` is
 * the measured time per operation by breakdown category (index order of
 * BREAKDOWN_KEYS); `ops` the operations completed in the summary period.
 */
export function explainVm(vm: VmRuntime, resources: readonly Resource[], perOpNs: Float64Array, ops: number, latencyNs: number): ExplainItem[] {
  if (ops <= 0) return []
  // The operations of this run drew their own CPU work around the workload's mean: count what they drew.
  const drawn = vm.stats.workSum > 0 ? vm.stats.workSum / ops : 1
  const cpu = vm.cost.cpuMechanisms(vm.workload).map((m) => ({ ...m, perOp: m.perOp * drawn }))
  const tick = vm.cost.timerTick()
  const items = [...cpu, ...ioMechanisms(vm), ...measured(vm, resources, ops)]
  if (tick.ns > 0) {
    // Ticks arrive per second of busy vCPU time: count them over the operation's CPU burst.
    let cpuNs = 0
    for (const m of items) if (m.category !== 'device_service' && m.category !== 'queueing' && m.category !== 'hypervisor_io') cpuNs += m.perOp * m.ns
    items.push({ mechanism: 'virtual timer interrupts (exit and injection per tick)', category: 'vm_exits', perOp: (cpuNs / 1e9) * tick.perS, ns: tick.ns, exits: vm.cost.virtualized ? vm.cost.tech.timerTick.exits : 0, source: tick.source })
  }
  // One line per mechanism: demands that share a path (several reads and writes through one stack) merge.
  const merged = new Map<string, Mechanism>()
  for (const m of items) {
    if (!(m.perOp * m.ns > 1e-3)) continue
    const key = `${m.category}\u0000${m.mechanism}`
    const known = merged.get(key)
    if (!known) merged.set(key, { ...m })
    else {
      const ns = known.perOp * known.ns + m.perOp * m.ns
      known.perOp += m.perOp
      known.ns = ns / known.perOp
    }
  }
  const analytic = new Map<BreakdownKey, number>()
  for (const m of merged.values()) analytic.set(m.category, (analytic.get(m.category) ?? 0) + m.perOp * m.ns)
  const total = perOpNs.reduce((s, x) => s + x, 0)
  const denom = total > 0 ? total : latencyNs
  const out: ExplainItem[] = []
  for (const m of merged.values()) {
    const k = BREAKDOWN_KEYS.indexOf(m.category)
    const catNs = perOpNs[k] ?? 0
    const sum = analytic.get(m.category) ?? 0
    const share = sum > 0 && denom > 0 ? (100 * catNs * ((m.perOp * m.ns) / sum)) / denom : 0
    out.push({
      mechanism: m.mechanism,
      category: m.category,
      per_op: m.perOp,
      cost_us: m.ns / NS_PER_US,
      exits: m.exits,
      share_pct: share,
      source: m.source
    })
  }
  out.sort((a, b) => BREAKDOWN_KEYS.indexOf(a.category) - BREAKDOWN_KEYS.indexOf(b.category) || b.share_pct - a.share_pct)
  return out
}
