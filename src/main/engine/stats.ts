/**
 * What is measured for one VM: per sample window (operations completed, their
 * latencies, disk requests, vCPU time) and over the summary period after the
 * warm-up (the same plus disk and network volume, CPU by category, ready time
 * and the per-operation time breakdown).
 */
import { Histogram } from './histogram'

/**
 * Categories of an operation's response time, in the order of the result's
 * breakdown: guest (CPU work native would also do), vm_exits (the technique's
 * extra per event, timer ticks, hidden faults), page_walks (extra walk
 * references), device_emulation (trapped accesses, notifications, device
 * models), hypervisor_io (the hypervisor's I/O stack on the host's cores) and
 * queueing — the rest: waiting for a vCPU or core, for and at disks, arrays and
 * links (their service time included), and for remote peers.
 */
export const BREAKDOWN_KEYS = ['guest', 'vm_exits', 'page_walks', 'device_emulation', 'hypervisor_io', 'queueing'] as const
export const B_GUEST = 0
export const B_EXITS = 1
export const B_WALKS = 2
export const B_EMU = 3
export const B_HYP = 4
export const B_QUEUE = 5

export class VmStats {
  // Window.
  wOps = 0
  readonly wLatency = new Histogram()
  wDiskIos = 0
  wCpuNs = 0
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
  /** Σ over completed operations of their time by breakdown category, ns. */
  readonly breakdownNs = new Float64Array(6)

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
  }
}
