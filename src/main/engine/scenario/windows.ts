/**
 * The scenario's clock of measurement: every `sample_ms` it closes a sample
 * window (one sample per VM: throughput, latency, disk rate, vCPU use and its
 * split into guest and hypervisor work, disk MB/s, network Gb/s; and one per
 * SAN array: its back end's utilization, mean queue depth and IOPS) and
 * opens the next; at the end of the warm-up it clears what the summary
 * counts. A baseline keeps its window throughputs as batch means and stops
 * once its throughput is known precisely enough (docs/model.md §9).
 */
import type { QueueWatch } from './notable'
import type { ArraySample, Sample } from '../../../shared/result'
import type { Simulator } from '../kernel/kernel'
import { studentQuantile } from '../kernel/student'
import type { SanArray } from '../models/san'
import type { HostRuntime, LocalDisk } from './build'
import type { VmRuntime } from './vm'

const NS_PER_MS = 1e6
const NS_PER_S = 1e9
/** Disk volume is counted in KB and reported in MB of 1,024 KB, as the summary's `disk.mb_s`. */
const KB_PER_MB = 1024
/** Counters each VM's window marks: guest CPU, hypervisor CPU, disk KB, network bytes. */
const MARKS = 4
/** Counters each array's window marks: request-ns inside it, completions, busy spindle-ns. */
const ARRAY_MARKS = 3
/** Windows close after everything else at their time; the warm-up ends just before. */
const PRIO_WARMUP = 1_000_000_000 - 1
const PRIO_SAMPLE = 1_000_000_000
/** Baselines stop once their throughput's 95 % half-width is within this share of it, after at least BATCHES_MIN windows. */
const BASELINE_PRECISION = 0.01
const BATCHES_MIN = 10
/** Student's t, 95 % two-sided, by degrees of freedom (computed once per count of windows). */
const T95 = new Map<number, number>()
export function t95(df: number): number {
  let t = T95.get(df)
  if (t === undefined) T95.set(df, (t = studentQuantile(0.95, df)))
  return t
}

/** What the windows measure. */
export interface MeasuredWorld {
  readonly vms: readonly VmRuntime[]
  readonly hosts: readonly HostRuntime[]
  readonly localDisks: readonly LocalDisk[]
  readonly arrays: readonly SanArray[]
}

export class SampleWindows {
  /** Events that only close sample windows or end the warm-up (a scenario of the whole runs them once, each part of it too). */
  clockEvents = 0
  private windowStart = 0
  /** A baseline's throughput per sample window after the warm-up (batch means for its stopping rule). */
  private readonly batches: number[] = []
  private readonly hSample: number
  private readonly hWarmup: number
  /** Hears each window's queues (notable.ts): set once the world it probes is built. */
  watch: QueueWatch | null = null
  /**
   * Per VM, MARKS values of its summary counters (guest CPU, hypervisor CPU, disk KB, network bytes) as they
   * stood when the window opened: a window's share is the counter now minus its mark, so the events that
   * count keep adding to one counter each and nothing per event is added for the windows.
   */
  private marks: Float64Array | null = null
  /** Per array, ARRAY_MARKS values of its counters as they stood when the window opened (as `marks` for VMs). */
  private arrayMarks: Float64Array | null = null

  constructor(
    private readonly sim: Simulator,
    private readonly world: MeasuredWorld,
    private readonly sampleNs: number,
    private readonly warmupNs: number,
    private readonly durationNs: number,
    /** A baseline that may stop once its throughput is known precisely enough. */
    private readonly earlyStop: boolean,
    private readonly emit: ((s: Sample) => void) | undefined,
    /** Hears each array's sample of a window, after the VMs' samples of that window. */
    private readonly emitArray: ((s: ArraySample) => void) | undefined = undefined
  ) {
    this.hSample = sim.register(() => this.onSample())
    this.hWarmup = sim.register(() => this.onWarmup())
  }

  /** Schedules the end of the warm-up and the first window's close. */
  start(): void {
    const sim = this.sim
    if (this.warmupNs > 0 && this.warmupNs < this.durationNs) sim.scheduleAt(this.warmupNs, this.hWarmup, 0, PRIO_WARMUP)
    if (this.sampleNs < this.durationNs) sim.scheduleAt(this.sampleNs, this.hSample, 0, PRIO_SAMPLE)
  }

  private onSample(): void {
    this.clockEvents++
    this.close()
    if (this.earlyStop && this.precise()) {
      this.sim.stop()
      return
    }
    const next = this.sim.now + this.sampleNs
    if (next < this.durationNs) this.sim.scheduleAt(next, this.hSample, 0, PRIO_SAMPLE)
  }

  /** Closes the window that ends now: one sample per VM. */
  close(): void {
    const { vms, hosts } = this.world
    for (const h of hosts) h.cpu.flush()
    const now = this.sim.now
    const span = now - this.windowStart
    if (span <= 0) return
    this.watch?.window(now, span)
    const emit = this.emit
    const summarized = this.windowStart >= this.warmupNs
    const marks = (this.marks ??= new Float64Array(vms.length * MARKS))
    for (let v = 0; v < vms.length; v++) {
      const vm = vms[v]!
      const s = vm.stats
      const m = v * MARKS
      const guestNs = s.guestNs() - marks[m]!
      const hypNs = s.hypervisorNs() - marks[m + 1]!
      const diskKb = s.diskKb - marks[m + 2]!
      const netBytes = s.netBytes - marks[m + 3]!
      marks[m] = s.guestNs()
      marks[m + 1] = s.hypervisorNs()
      marks[m + 2] = s.diskKb
      marks[m + 3] = s.netBytes
      if (emit || summarized) {
        // Read once for the sample and the summary's window means: a quantile sorts the histogram's buckets.
        const throughput = s.wOps / (span / NS_PER_S)
        const mean = s.wLatency.mean
        const p99 = s.wLatency.quantile(0.99)
        if (emit) {
          const spanS = span / NS_PER_S
          const capacity = vm.spec.vcpus * span
          emit({
            t_ms: now / NS_PER_MS,
            vm: vm.spec.id,
            throughput_ops_s: throughput,
            latency_mean_ms: mean === null ? null : mean / NS_PER_MS,
            latency_p99_ms: p99 === null ? null : p99 / NS_PER_MS,
            disk_iops: s.wDiskIos / (span / NS_PER_S),
            cpu_pct: (100 * s.wCpuNs) / capacity,
            cpu_guest_pct: (100 * guestNs) / capacity,
            cpu_hypervisor_pct: (100 * hypNs) / capacity,
            disk_mb_s: diskKb / KB_PER_MB / spanS,
            net_gbps: (netBytes * 8) / 1e9 / spanS
          })
        }
        if (summarized) {
          if (this.earlyStop) this.batches.push(throughput)
          s.windowThroughput.add(throughput)
          s.windowLatencyMean.add(mean)
          s.windowLatencyP99.add(p99)
          s.windowCpuPerOp.add(s.wOps > 0 ? s.wCpuNs / s.wOps : null)
        }
      }
      s.resetWindow()
    }
    this.closeArrays(now, span)
    this.windowStart = now
  }

  /** One sample per array for the window that ends at `now`: differences of its counters, nothing counted per event. */
  private closeArrays(now: number, span: number): void {
    const emit = this.emitArray
    const arrays = this.world.arrays
    if (!emit || arrays.length === 0) return
    const marks = (this.arrayMarks ??= new Float64Array(arrays.length * ARRAY_MARKS))
    const spanS = span / NS_PER_S
    for (let i = 0; i < arrays.length; i++) {
      const a = arrays[i]!
      const m = i * ARRAY_MARKS
      const present = a.presentNs()
      const busy = a.busySpindleNs()
      const done = a.completions
      const spindles = a.spindles.length
      emit({
        t_ms: now / NS_PER_MS,
        array: a.spec.id,
        // A service is counted when it ends, so a window may read a little over full: shown as full, as the summary does.
        utilization_pct: spindles > 0 ? 100 * Math.min(1, (busy - marks[m + 2]!) / (spindles * span)) : 0,
        queue_depth: (present - marks[m]!) / span,
        iops: (done - marks[m + 1]!) / spanS
      })
      marks[m] = present
      marks[m + 1] = done
      marks[m + 2] = busy
    }
  }

  /**
   * The stopping rule of a baseline: a VM alone reaches its steady state
   * quickly, so its throughput is known once the 95 % confidence interval of
   * the window means (at least ten windows after the warm-up) is within
   * ±1 % of their mean (BASELINE_PRECISION). Until then, or for a run too short to tell, it runs
   * the full duration.
   */
  private precise(): boolean {
    const b = this.batches
    const n = b.length
    if (n < BATCHES_MIN) return false
    let sum = 0
    for (const x of b) sum += x
    const mean = sum / n
    if (!(mean > 0)) return false
    let ss = 0
    for (const x of b) ss += (x - mean) ** 2
    const half = (t95(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n)
    return half <= BASELINE_PRECISION * mean
  }

  private onWarmup(): void {
    this.clockEvents++
    this.watch?.beforeReset(this.sim.now)
    const { vms, hosts, localDisks, arrays } = this.world
    for (const h of hosts) {
      h.cpu.flush()
      h.cpu.resetStats()
    }
    // The counters restart from zero: the part of the open window counted before is carried in the marks.
    const marks = (this.marks ??= new Float64Array(vms.length * MARKS))
    vms.forEach((vm, v) => {
      const s = vm.stats
      const m = v * MARKS
      marks[m] = marks[m]! - s.guestNs()
      marks[m + 1] = marks[m + 1]! - s.hypervisorNs()
      marks[m + 2] = marks[m + 2]! - s.diskKb
      marks[m + 3] = marks[m + 3]! - s.netBytes
      s.resetSummary()
    })
    for (const d of localDisks) d.station.resetStats()
    // As for the VMs: the part of the open window counted before the reset is carried in the marks.
    const am = this.emitArray ? (this.arrayMarks ??= new Float64Array(arrays.length * ARRAY_MARKS)) : null
    if (am) {
      arrays.forEach((a, i) => {
        const m = i * ARRAY_MARKS
        am[m] = am[m]! - a.presentNs()
        am[m + 1] = am[m + 1]! - a.completions
        am[m + 2] = am[m + 2]! - a.busySpindleNs()
      })
    }
    for (const a of arrays) a.resetStats()
    for (const h of hosts) for (const l of h.links.values()) {
      l.tx.resetStats()
      l.rx.resetStats()
    }
  }
}
