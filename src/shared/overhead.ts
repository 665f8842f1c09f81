/**
 * What virtualization cost a VM, in the measure that can show it. A closed
 * loop's clients wait for each answer, so a slower answer means fewer
 * operations: throughput against native is the headline. With open arrivals
 * (a fixed rate, Poisson say) the throughput equals the offered load whatever
 * each operation costs, so throughput overhead is ~0 by construction; the cost
 * shows in response time (mean, and p99 for the tail) and CPU per operation.
 *
 * Every measure is compared with the same VM alone on bare metal, and its
 * noise is the two runs' noise combined (each the 95 % half-width of the
 * mean of its sample windows, added in quadrature). A value within the noise
 * is reported as "within noise (±x %)" rather than as a number of either sign.
 * Shared by the app, the CLI and the reports.
 */
import type { VmResult } from './result'

export type OverheadMeasure = 'throughput' | 'latency_mean' | 'latency_p99' | 'cpu_per_op'

export const OVERHEAD_MEASURES: readonly { key: OverheadMeasure; label: string }[] = [
  { key: 'throughput', label: 'throughput' },
  { key: 'latency_mean', label: 'mean response time' },
  { key: 'latency_p99', label: 'p99 response time' },
  { key: 'cpu_per_op', label: 'CPU per operation' }
]

export interface OverheadFigure {
  measure: OverheadMeasure
  /** Cost against native in %: positive = worse under virtualization (fewer ops/s, longer responses, more CPU per op); null without a baseline. */
  pct: number | null
  /** Combined noise of the two runs, ±%; null when either run is too short to tell. */
  noise_pct: number | null
  /** |pct| ≤ noise: the run cannot tell this overhead from zero. */
  within_noise: boolean
}

export interface VmOverhead {
  /** The measure to read first for this VM. */
  headline: OverheadMeasure
  /** Why that one, in a sentence. */
  why: string
  figures: Record<OverheadMeasure, OverheadFigure>
}

const WHY_CLOSED = 'closed loop: clients wait for each answer, so a slower answer means fewer operations per second'
const WHY_OPEN =
  'open arrivals: operations arrive at a fixed rate whatever each one costs, so throughput equals the offered load and the cost shows in response time (and CPU per operation)'

/** Relative change of `value` against `native`, %; positive = larger under virtualization. */
function rise(value: number | null | undefined, native: number | null | undefined): number | null {
  if (value === null || value === undefined || native === null || native === undefined || !(native > 0)) return null
  return 100 * (value / native - 1)
}

function combined(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null
  return Math.sqrt(a * a + b * b)
}

function figure(measure: OverheadMeasure, pct: number | null, noise: number | null): OverheadFigure {
  return { measure, pct, noise_pct: noise, within_noise: pct !== null && noise !== null && Math.abs(pct) <= noise }
}

/** A VM's overhead in every measure, and which one is its headline. */
export function vmOverhead(vm: VmResult): VmOverhead {
  const own = vm.noise_pct
  const nat = vm.native ?? null
  const natNoise = nat?.noise_pct
  const figures: Record<OverheadMeasure, OverheadFigure> = {
    throughput: figure('throughput', vm.overhead_pct, combined(own?.throughput, natNoise?.throughput)),
    latency_mean: figure('latency_mean', rise(vm.latency_ms.mean, nat?.latency_mean_ms), combined(own?.latency_mean, natNoise?.latency_mean)),
    latency_p99: figure('latency_p99', rise(vm.latency_ms.p99, nat?.latency_p99_ms), combined(own?.latency_p99, natNoise?.latency_p99)),
    cpu_per_op: figure('cpu_per_op', rise(vm.cpu_us_per_op, nat?.cpu_us_per_op), combined(own?.cpu_per_op, natNoise?.cpu_per_op))
  }
  const open = vm.arrival === 'open'
  return { headline: open ? 'latency_mean' : 'throughput', why: open ? WHY_OPEN : WHY_CLOSED, figures }
}

/** "+12.3 %", "−4.0 %", "within noise (±1.2 %)", or "—" without a baseline. */
export function formatOverheadFigure(f: OverheadFigure, digits = 1): string {
  if (f.pct === null) return '—'
  if (f.within_noise && f.noise_pct !== null) return `within noise (±${f.noise_pct.toFixed(digits)} %)`
  const sign = f.pct > 0 ? '+' : f.pct < 0 ? '−' : ''
  return `${sign}${Math.abs(f.pct).toFixed(digits)} %`
}

/** The label of a measure ("p99 response time"). */
export function measureLabel(measure: OverheadMeasure): string {
  return OVERHEAD_MEASURES.find((m) => m.key === measure)!.label
}

/** "mean response time +38.2 %" — the headline figure with its measure. */
export function headlineText(o: VmOverhead): string {
  return `${measureLabel(o.headline)} ${formatOverheadFigure(o.figures[o.headline])}`
}
