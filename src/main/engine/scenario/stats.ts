/**
 * What is measured for one VM: per sample window (operations completed, their
 * latencies, disk requests, vCPU time) and over the summary period after the
 * warm-up (the same plus disk and network volume, CPU by category, ready time,
 * the per-operation time breakdown, and wait and service per resource).
 */
import { grown } from '../kernel/grow'
import { Histogram } from '../kernel/histogram'

/** Indexes of the result's breakdown categories (BREAKDOWN_KEYS in shared/result). */
export const B_GUEST = 0
export const B_EXITS = 1
export const B_WALKS = 2
export const B_EMU = 3
export const B_HYP = 4
export const B_SERVICE = 5
export const B_QUEUE = 6
export const B_COUNT = 7

/**
 * Batch means of one measure over the sample windows after the warm-up: its
 * noise is the 95 % half-width of their mean (Student's t over the windows),
 * the spread a run of this length cannot tell from zero.
 */
export class WindowMeans {
  n = 0
  sum = 0
  sumSq = 0

  add(x: number | null): void {
    if (x === null || !Number.isFinite(x)) return
    this.n++
    this.sum += x
    this.sumSq += x * x
  }

  /** Half-width of the mean's 95 % interval as a share of the mean (0.012 = ±1.2 %); null with fewer than 2 windows or a zero mean. */
  relativeHalfWidth(t95: (df: number) => number): number | null {
    if (this.n < 2) return null
    const mean = this.sum / this.n
    if (!(Math.abs(mean) > 0)) return null
    const variance = Math.max(0, (this.sumSq - this.n * mean * mean) / (this.n - 1))
    return (t95(this.n - 1) * Math.sqrt(variance / this.n)) / Math.abs(mean)
  }
}

export class VmStats {
  // Window.
  wOps = 0
  readonly wLatency = new Histogram()
  wDiskIos = 0
  wCpuNs = 0
  // Per window after the warm-up (for the noise of each overhead measure).
  readonly windowThroughput = new WindowMeans()
  readonly windowLatencyMean = new WindowMeans()
  readonly windowLatencyP99 = new WindowMeans()
  readonly windowCpuPerOp = new WindowMeans()
  // Summary.
  ops = 0
  readonly latency = new Histogram()
  diskIos = 0
  diskKb = 0
  readonly diskLatency = new Histogram()
  netBytes = 0
  netPackets = 0
  /** vCPU time by CPU category (guest, exits, walks, emulation), ns. */
  readonly cpuNs = new Float64Array(4)
  /** Hypervisor I/O work done for this VM, ns. */
  hypNs = 0
  readyNs = 0
  /** Σ over completed operations of their own CPU work relative to the mean (the draws of a spreading workload). */
  workSum = 0
  /** Σ over completed operations of their time by breakdown category, ns. */
  readonly breakdownNs = new Float64Array(B_COUNT)
  /** Per scenario resource (see resources.ts): time waited, time served and visits, ns. */
  resWait = new Float64Array(0)
  resService = new Float64Array(0)
  resVisits = new Float64Array(0)
  /** Per virtual disk: notifications (kicks or completion interrupts per batch) its device took, and the requests they carried. */
  portBatches = new Float64Array(0)
  portRequests = new Float64Array(0)

  /**
   * CPU time of the hypervisor's own work for this VM: exits and traps and device emulation on its vCPUs, and its
   * I/O work on the host's cores, ns. Page walks are not in it: the hardware walks the extra references in the
   * guest's context, so they are guest time (`guestNs`), however much longer virtualization makes them.
   */
  hypervisorNs(): number {
    return this.cpuNs[B_EXITS]! + this.cpuNs[B_EMU]! + this.hypNs
  }

  /** CPU time the guest runs, its page walks included, ns. */
  guestNs(): number {
    return this.cpuNs[B_GUEST]! + this.cpuNs[B_WALKS]!
  }

  resetWindow(): void {
    this.wOps = 0
    this.wLatency.reset()
    this.wDiskIos = 0
    this.wCpuNs = 0
  }

  resetSummary(): void {
    this.ops = 0
    this.latency.reset()
    this.diskIos = 0
    this.diskKb = 0
    this.diskLatency.reset()
    this.netBytes = 0
    this.netPackets = 0
    this.cpuNs.fill(0)
    this.hypNs = 0
    this.readyNs = 0
    this.breakdownNs.fill(0)
    this.workSum = 0
    this.resWait.fill(0)
    this.resService.fill(0)
    this.resVisits.fill(0)
    this.portBatches.fill(0)
    this.portRequests.fill(0)
  }

  /** Sizes the per-disk accumulators once the VM's disks are bound. */
  sizePorts(n: number): void {
    this.portBatches = new Float64Array(n)
    this.portRequests = new Float64Array(n)
  }

  /** Grows the per-resource accumulators, keeping what they hold, when the scenario gains resources (a VM moved to a new path). */
  growResources(n: number): void {
    if (n <= this.resWait.length) return
    this.resWait = grown(this.resWait, n)
    this.resService = grown(this.resService, n)
    this.resVisits = grown(this.resVisits, n)
  }

  /** Sizes the per-resource accumulators once the scenario knows all its resources. */
  sizeResources(n: number): void {
    this.resWait = new Float64Array(n)
    this.resService = new Float64Array(n)
    this.resVisits = new Float64Array(n)
  }
}
