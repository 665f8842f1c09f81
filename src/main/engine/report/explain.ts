/**
 * Why a VM's operations take the time they take: every mechanism behind its
 * response time with its count per operation, time each and source — the
 * CPU mechanisms from the cost model, the I/O path's stages from the VM's
 * devices and the hypervisor, and the service and waiting the simulation
 * measured at each resource. Shares are scaled within each category to the
 * category's measured time, so they sum to the VM's `breakdown_pct`.
 */
import { BREAKDOWN_KEYS, type BreakdownKey, type ExplainItem } from '../../../shared/result'
import type { Mechanism } from '../models/costmodel'
import type { Resource } from '../models/resources'
import type { VmRuntime } from '../scenario/vm'

const NS_PER_US = 1000

/**
 * Mechanisms of the VM's I/O demands per operation: the cost model's own lines for each demand (the ones the
 * engine charged), counted per operation. A disk's paravirtual batch is what its device reached on average
 * (it grows with the requests in flight).
 */
function ioMechanisms(vm: VmRuntime): Mechanism[] {
  const out: Mechanism[] = []
  const st = vm.stats
  const avgBatch = (port: number): number => (st.portBatches[port]! > 0 ? st.portRequests[port]! / st.portBatches[port]! : 1)
  for (const d of vm.demands) {
    if (d.count <= 0) continue
    if (d.disk) {
      const dev = vm.diskPorts[d.port]!.device
      const what = `${dev.name}, ${d.kb} KB ${d.write ? 'writes' : 'reads'}`
      const batch = avgBatch(d.port)
      for (const m of d.mechanisms) out.push({ ...m, mechanism: `${what}: ${m.mechanism}`, perOp: (d.count * m.perOp) / (m.perBatch ? batch : 1) })
    } else {
      const nic = vm.nicPorts[d.port]?.device
      const what = `${nic?.name ?? 'network'}, ${d.tx ? 'transmit' : 'receive'} ${d.bytes} B packets`
      for (const m of d.mechanisms) out.push({ ...m, mechanism: `${what}: ${m.mechanism}` })
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
