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
import type { NativeDetail, Noise } from '../../../shared/result'

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

function vmResult(s: Scenario, vm: VmRuntime, base: Baselines): VmResult {
  const nativeTp = base.native
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
  const overhead = nativeTp === null || nativeTp <= 0 ? null : 100 * (1 - tp / nativeTp)
  const alone = base.alone ?? tp
  const split =
    overhead === null || nativeTp === null
      ? null
      : { virtualization: round((100 * (nativeTp - alone)) / nativeTp), contention: round((100 * (alone - tp)) / nativeTp) }
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
    native_throughput_ops_s: nativeTp === null ? null : round(nativeTp),
    overhead_pct: overhead === null ? null : round(overhead),
    overhead_split_pct: split,
    breakdown_pct: breakdown,
    arrival: vm.workload.arrival.process === 'closed' ? 'closed' : 'open',
    cpu_us_per_op: cpuUsPerOp(vm),
    noise_pct: noiseOf(vm),
    native: base.nativeDetail ?? null,
    exits_per_op: round(exitsPerOp),
    explain
  }
}

export function buildResult(
  exp: Experiment,
  seed: number,
  main: Scenario,
  nativeTp: Map<string, number>,
  aloneTp: Map<string, number>,
  events: number,
  nativeDetail: Map<string, NativeDetail> = new Map()
): Omit<RunResult, 'checksum'> {
  const spanNs = main.durationNs - main.warmupNs
  const spanS = spanNs / NS_PER_S
  const vms: RunResult['vms'] = {}
  for (const vm of main.vms) {
    const native = exp.baseline === 'native' ? (nativeTp.get(vm.spec.id) ?? null) : null
    const detail = native === null ? null : (nativeDetail.get(vm.spec.id) ?? null)
    vms[vm.spec.id] = vmResult(main, vm, { native, nativeDetail: detail, alone: aloneTp.get(vm.spec.id) ?? null })
  }
  const hosts: RunResult['hosts'] = {}
  for (const h of main.hosts) {
    const cap = h.cpu.cores * spanNs
    let vmHv = 0
    for (const vm of h.vms) vmHv += vm.stats.hypervisorNs()
    hosts[h.spec.id] = {
      cpu_pct: round(cap > 0 ? (100 * (h.cpu.vcpuNs + h.cpu.switchNs)) / cap : 0),
      hypervisor_pct: round(cap > 0 ? (100 * (h.cpu.switchNs + vmHv)) / cap : 0)
    }
  }
  const disks: RunResult['disks'] = {}
  for (const d of main.localDisks) {
    const st = d.station
    disks[d.key] = {
      iops: round(spanS > 0 ? st.completions / spanS : 0),
      utilization_pct: round(100 * st.utilization()),
      queue_depth: round(st.meanPresent()),
      latency_ms: { mean: ms(st.response?.mean ?? null), p99: ms(st.response?.quantile(0.99) ?? null) }
    }
  }
  const arrays: RunResult['arrays'] = {}
  for (const a of main.arrays) {
    arrays[a.spec.id] = {
      iops: round(spanS > 0 ? a.completions / spanS : 0),
      utilization_pct: round(100 * a.utilization()),
      queue_depth: round(a.meanPresent())
    }
  }
  // Each event's outcome as the main scenario played it; one the run never reached (at its very end) did nothing.
  const evs: RunResult['events'] = exp.events.map((e, i) => {
    const played = main.timeline.outcomes[i]
    if (played) return played
    const { at_s, do: kind, ...rest } = e
    if (!experimentEvents[kind].modelled) return { at_s, do: kind, ...rest, ok: false, reason: notModelledReason(kind) }
    return { at_s, do: kind, ...rest, ok: false, reason: 'the run ended at that instant: there was no time left to act' }
  })
  return {
    format: RESULT_FORMAT,
    experiment: exp.name,
    seed,
    sim: { events, wall_ms: 0, simulated_s: main.sim.now / NS_PER_S },
    vms,
    hosts,
    disks,
    arrays,
    events: evs
  }
}
