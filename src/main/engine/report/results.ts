/**
 * Turns finished scenarios into the run's summary (`hyperlab/result@1`): per
 * VM throughput, latency percentiles, disk and network rates, CPU split,
 * overhead against the native baseline and the time breakdown; per host CPU;
 * per local disk and per array utilization and queue depth. All rates are over
 * the summary period (after the warm-up).
 */
import type { Experiment } from '../../../shared/experiment/schema'
import { experimentEvents, notModelledReason } from '../../../shared/experiment/events'
import { BREAKDOWN_KEYS, RESULT_FORMAT, type RunResult, type VmResult } from '../../../shared/result'
import { explainVm } from './explain'
import type { Scenario } from '../scenario/scenario'
import type { VmRuntime } from '../scenario/vm'
import { t95 } from '../scenario/windows'
import type { EventResult, NativeDetail, Noise } from '../../../shared/result'

const NS_PER_MS = 1e6
const NS_PER_S = 1e9

/** Rounds for output: results carry 6 significant digits, enough for any chart and stable to print. */
export function round(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v
  return Number(v.toPrecision(6))
}

function ms(ns: number | null): number | null {
  return ns === null ? null : round(ns / NS_PER_MS)
}

/** Summary throughput of a VM in a finished scenario, ops/s. */
export function throughputOf(s: Scenario, vm: VmRuntime): number {
  const span = (s.endNs - s.warmupNs) / NS_PER_S
  return span > 0 ? vm.stats.ops / span : 0
}

/** The noise of a VM's window measures in % (see noiseSchema). */
function noiseOf(vm: VmRuntime): Noise {
  const pct = (m: { relativeHalfWidth(t: (df: number) => number): number | null }): number | null => {
    const r = m.relativeHalfWidth(t95)
    return r === null ? null : round(100 * r)
  }
  const st = vm.stats
  return {
    throughput: pct(st.windowThroughput),
    latency_mean: pct(st.windowLatencyMean),
    latency_p99: pct(st.windowLatencyP99),
    cpu_per_op: pct(st.windowCpuPerOp)
  }
}

/** CPU per operation (guest and hypervisor work), µs; null before any operation completed. */
function cpuUsPerOp(vm: VmRuntime): number | null {
  const st = vm.stats
  return st.ops > 0 ? round((st.guestNs() + st.hypervisorNs()) / st.ops / 1e3) : null
}

/** What a native baseline's scenario found for its VM beyond throughput: response time, CPU per operation, noise. */
export function nativeDetailOf(vm: VmRuntime): NativeDetail {
  return {
    latency_mean_ms: ms(vm.stats.latency.mean),
    latency_p99_ms: ms(vm.stats.latency.quantile(0.99)),
    cpu_us_per_op: cpuUsPerOp(vm),
    noise_pct: noiseOf(vm)
  }
}

/** Throughputs of a VM's baselines: native (no hypervisor, alone) and alone under its hypervisor. */
export interface Baselines {
  /** The native baseline's response time and CPU per operation, when it ran. */
  nativeDetail?: NativeDetail | null
  native: number | null
  /** null when the VM had no neighbours (then alone = as run). */
  alone: number | null
}

/** A VM's result before its baselines are known: the fields they decide are null (and keep their place). */
function vmResult(s: Scenario, vm: VmRuntime): VmResult {
  const st = vm.stats
  const spanNs = s.durationNs - s.warmupNs
  const spanS = spanNs / NS_PER_S
  const capacity = vm.spec.vcpus * spanNs
  const tp = throughputOf(s, vm)
  const b = st.breakdownNs
  let total = 0
  for (let i = 0; i < b.length; i++) total += b[i]!
  const breakdown = Object.fromEntries(
    BREAKDOWN_KEYS.map((k, i) => [k, total > 0 ? round((100 * b[i]!) / total) : i === 0 ? 100 : 0])
  ) as VmResult['breakdown_pct']
  const perOp = new Float64Array(b.length)
  for (let i = 0; i < b.length; i++) perOp[i] = st.ops > 0 ? b[i]! / st.ops : 0
  const explain = explainVm(vm, s.resources.list, perOp, st.ops, st.latency.mean ?? 0).map((e) => ({
    ...e,
    per_op: round(e.per_op),
    cost_us: round(e.cost_us),
    share_pct: round(e.share_pct)
  }))
  let exitsPerOp = 0
  for (const e of explain) if (e.category === 'vm_exits' || e.category === 'device_emulation') exitsPerOp += e.per_op * e.exits
  return {
    throughput_ops_s: round(tp),
    ops: st.ops,
    latency_ms: {
      mean: ms(st.latency.mean),
      p50: ms(st.latency.quantile(0.5)),
      p95: ms(st.latency.quantile(0.95)),
      p99: ms(st.latency.quantile(0.99))
    },
    disk: {
      iops: round(spanS > 0 ? st.diskIos / spanS : 0),
      mb_s: round(spanS > 0 ? st.diskKb / 1024 / spanS : 0),
      latency_ms: { mean: ms(st.diskLatency.mean), p99: ms(st.diskLatency.quantile(0.99)) }
    },
    net: {
      gbps: round(spanS > 0 ? (st.netBytes * 8) / 1e9 / spanS : 0),
      pps: round(spanS > 0 ? st.netPackets / spanS : 0)
    },
    cpu: {
      guest_pct: round(capacity > 0 ? (100 * st.guestNs()) / capacity : 0),
      page_walks_pct: round(capacity > 0 ? (100 * st.cpuNs[2]!) / capacity : 0),
      hypervisor_pct: round(capacity > 0 ? (100 * st.hypervisorNs()) / capacity : 0),
      ready_pct: round(capacity > 0 ? (100 * st.readyNs) / capacity : 0)
    },
    techniques: { cpu: vm.techniques.cpu, mmu: vm.techniques.mmu },
    native_throughput_ops_s: null,
    overhead_pct: null,
    overhead_split_pct: null,
    breakdown_pct: breakdown,
    arrival: vm.workload.arrival.process === 'closed' ? 'closed' : 'open',
    cpu_us_per_op: cpuUsPerOp(vm),
    noise_pct: noiseOf(vm),
    native: null,
    exits_per_op: round(exitsPerOp),
    explain
  }
}

type HostResult = RunResult['hosts'][string]
type DiskResult = RunResult['disks'][string]
type ArrayResult = RunResult['arrays'][string]

/** A VM's result with its baselines: overhead against native, split into virtualization and contention. */
function withBaselines(r: VmResult, tp: number, base: Baselines): VmResult {
  const nativeTp = base.native
  const overhead = nativeTp === null || nativeTp <= 0 ? null : 100 * (1 - tp / nativeTp)
  const alone = base.alone ?? tp
  const split =
    overhead === null || nativeTp === null
      ? null
      : { virtualization: round((100 * (nativeTp - alone)) / nativeTp), contention: round((100 * (alone - tp)) / nativeTp) }
  // Spread, then overwrite: the keys keep their places, so the result hashes the same however it was assembled.
  return {
    ...r,
    native_throughput_ops_s: nativeTp === null ? null : round(nativeTp),
    overhead_pct: overhead === null ? null : round(overhead),
    overhead_split_pct: split,
    native: nativeTp === null ? null : (base.nativeDetail ?? null)
  }
}

/**
 * What one finished part (see scenario/partition.ts) contributes to the run's summary, as plain data that
 * may cross from a worker thread: results of its VMs (before their baselines), hosts, local disks and arrays.
 */
export interface PartSummary {
  vms: { id: string; result: VmResult; throughput: number }[]
  hosts: { id: string; result: HostResult }[]
  disks: { host: string; key: string; result: DiskResult }[]
  arrays: { id: string; result: ArrayResult }[]
  /** What each timeline event of the part did, by its index in the whole experiment's `events`. */
  outcomes: { index: number; outcome: EventResult }[]
  simulated_s: number
  /** Kernel events the part ran, and how many of them only closed windows or ended the warm-up (see `runEvents`). */
  events: number
  clock_events: number
}

/**
 * Events of the run's main scenario as one scenario of the whole counts them: every part's own, with the events
 * that close sample windows and end the warm-up (which each part runs for itself) counted once.
 */
export function runEvents(parts: readonly PartSummary[]): number {
  let events = 0
  let clock = 0
  for (const p of parts) {
    events += p.events - p.clock_events
    clock = Math.max(clock, p.clock_events)
  }
  return events + clock
}

/** A finished part's summary. */
export function summarizePart(main: Scenario, eventIndexes: readonly number[] = main.exp.events.map((_, i) => i)): PartSummary {
  const spanNs = main.durationNs - main.warmupNs
  const spanS = spanNs / NS_PER_S
  const vms = main.vms.map((vm) => ({ id: vm.spec.id, result: vmResult(main, vm), throughput: throughputOf(main, vm) }))
  const hosts = main.hosts.map((h) => {
    const cap = h.cpu.cores * spanNs
    let vmHv = 0
    for (const vm of h.vms) vmHv += vm.stats.hypervisorNs()
    const result: HostResult = {
      cpu_pct: round(cap > 0 ? (100 * (h.cpu.vcpuNs + h.cpu.switchNs)) / cap : 0),
      hypervisor_pct: round(cap > 0 ? (100 * (h.cpu.switchNs + vmHv)) / cap : 0)
    }
    return { id: h.spec.id, result }
  })
  const disks = main.localDisks.map((d) => {
    const st = d.station
    const result: DiskResult = {
      iops: round(spanS > 0 ? st.completions / spanS : 0),
      utilization_pct: round(100 * st.utilization()),
      queue_depth: round(st.meanPresent()),
      latency_ms: { mean: ms(st.response?.mean ?? null), p99: ms(st.response?.quantile(0.99) ?? null) }
    }
    return { host: d.host, key: d.key, result }
  })
  const arrays = main.arrays.map((a) => {
    const result: ArrayResult = {
      iops: round(spanS > 0 ? a.completions / spanS : 0),
      utilization_pct: round(100 * a.utilization()),
      queue_depth: round(a.meanPresent())
    }
    return { id: a.spec.id, result }
  })
  const outcomes: PartSummary['outcomes'] = []
  main.timeline.outcomes.forEach((outcome, i) => {
    if (outcome) outcomes.push({ index: eventIndexes[i]!, outcome })
  })
  return { vms, hosts, disks, arrays, outcomes, simulated_s: main.sim.now / NS_PER_S, events: main.sim.processed, clock_events: main.clockEvents }
}

/**
 * The run's summary from its parts' summaries, in the experiment's order (VMs, hosts with their local disks,
 * arrays), whichever part or thread each came from: the same object one scenario of the whole would give.
 */
export function assembleResult(
  exp: Experiment,
  seed: number,
  parts: readonly PartSummary[],
  nativeTp: Map<string, number>,
  aloneTp: Map<string, number>,
  events: number,
  nativeDetail: Map<string, NativeDetail> = new Map()
): Omit<RunResult, 'checksum'> {
  const vmById = new Map(parts.flatMap((p) => p.vms.map((v) => [v.id, v] as const)))
  const hostById = new Map(parts.flatMap((p) => p.hosts.map((h) => [h.id, h.result] as const)))
  const arrayById = new Map(parts.flatMap((p) => p.arrays.map((a) => [a.id, a.result] as const)))
  const disksByHost = new Map<string, PartSummary['disks']>()
  for (const p of parts) for (const d of p.disks) {
    const list = disksByHost.get(d.host) ?? []
    list.push(d)
    disksByHost.set(d.host, list)
  }
  const vms: RunResult['vms'] = {}
  for (const spec of exp.vms) {
    const v = vmById.get(spec.id)
    if (!v) throw new Error(`no part simulated VM "${spec.id}"`)
    const native = exp.baseline === 'native' ? (nativeTp.get(spec.id) ?? null) : null
    const detail = native === null ? null : (nativeDetail.get(spec.id) ?? null)
    vms[spec.id] = withBaselines(v.result, v.throughput, { native, nativeDetail: detail, alone: aloneTp.get(spec.id) ?? null })
  }
  const hosts: RunResult['hosts'] = {}
  const disks: RunResult['disks'] = {}
  for (const h of exp.hosts) {
    const r = hostById.get(h.id)
    if (r) hosts[h.id] = r
  }
  // Local disks in the order the hosts that hold them are listed.
  for (const h of exp.hosts) for (const d of disksByHost.get(h.id) ?? []) disks[d.key] = d.result
  const arrays: RunResult['arrays'] = {}
  for (const a of exp.arrays) {
    const r = arrayById.get(a.id)
    if (r) arrays[a.id] = r
  }
  // Each event's outcome as the part that holds it played it; one the run never reached (at its very end) did nothing.
  const played = new Map(parts.flatMap((p) => p.outcomes.map((o) => [o.index, o.outcome] as const)))
  const evs: RunResult['events'] = exp.events.map((e, i) => {
    const outcome = played.get(i)
    if (outcome) return outcome
    const { at_s, do: kind, ...rest } = e
    if (!experimentEvents[kind].modelled) return { at_s, do: kind, ...rest, ok: false, reason: notModelledReason(kind) }
    return { at_s, do: kind, ...rest, ok: false, reason: 'the run ended at that instant: there was no time left to act' }
  })
  return {
    format: RESULT_FORMAT,
    experiment: exp.name,
    seed,
    sim: { events, wall_ms: 0, simulated_s: Math.max(0, ...parts.map((p) => p.simulated_s)) },
    vms,
    hosts,
    disks,
    arrays,
    events: evs
  }
}
