/**
 * Column store of a run's samples, shaped for uPlot: one x column (simulated
 * seconds) and per VM one column per measure, aligned by sample window.
 * Appending a batch mutates the columns in place, so a chart only needs
 * `setData` with the same arrays, never a rebuild.
 *
 * The instance is deliberately not reactive (stores keep it in a shallowRef
 * and bump a version number): Vue proxies over thousands of points would cost
 * more than the charts.
 */
import { markRaw } from 'vue'
import type { RunSeries, Sample } from '../api/shared'
import { TimeAxis } from './timeAxis'

export type Column = (number | null)[]

export interface VmColumns {
  throughput: Column
  latencyMean: Column
  latencyP99: Column
  diskIops: Column
  cpuPct: Column
  /** The sample's optional fields: null where a window lacks one (runs recorded before them). */
  cpuGuestPct: Column
  cpuHypervisorPct: Column
  diskMbS: Column
  netGbps: Column
}

export class SampleSeries {
  readonly vms: string[] = []
  private readonly columns = new Map<string, VmColumns>()
  /** One row per window; batches that split one window share its row. */
  private readonly axis = new TimeAxis(this.columns)

  constructor(vms: readonly string[] = []) {
    for (const vm of vms) this.addVm(vm)
    markRaw(this)
  }

  /** End of each window, simulated seconds, ascending. */
  get x(): number[] {
    return this.axis.x
  }

  get length(): number {
    return this.axis.length
  }

  vm(id: string): VmColumns | undefined {
    return this.columns.get(id)
  }

  /**
   * Adds a batch. Returns true when it introduced a VM not seen before (the
   * set of chart series changed), false when only points were added.
   */
  append(samples: readonly Sample[]): boolean {
    let newVm = false
    for (const s of samples) {
      if (!this.columns.has(s.vm)) {
        this.addVm(s.vm)
        newVm = true
      }
      const row = this.axis.row(s.t_ms)
      const c = this.columns.get(s.vm) as VmColumns
      c.throughput[row] = s.throughput_ops_s
      c.latencyMean[row] = s.latency_mean_ms
      c.latencyP99[row] = s.latency_p99_ms
      c.diskIops[row] = s.disk_iops
      c.cpuPct[row] = s.cpu_pct
      c.cpuGuestPct[row] = s.cpu_guest_pct ?? null
      c.cpuHypervisorPct[row] = s.cpu_hypervisor_pct ?? null
      c.diskMbS[row] = s.disk_mb_s ?? null
      c.netGbps[row] = s.net_gbps ?? null
    }
    return newVm
  }

  /**
   * Adds a stored run's series (`runs:samples`: one time axis, a column per
   * measure), copied column by column. A measure the run did not record
   * stays null.
   */
  appendSeries(stored: RunSeries): boolean {
    let newVm = false
    const rows = stored.t_ms.map((t) => this.axis.row(t))
    const copy = (into: Column, from: readonly (number | null)[] | undefined): void => {
      if (from) rows.forEach((row, i) => (into[row] = from[i] ?? null))
    }
    for (const s of stored.vms) {
      if (!this.columns.has(s.vm)) {
        this.addVm(s.vm)
        newVm = true
      }
      const c = this.columns.get(s.vm) as VmColumns
      copy(c.throughput, s.throughput_ops_s)
      copy(c.latencyMean, s.latency_mean_ms)
      copy(c.latencyP99, s.latency_p99_ms)
      copy(c.diskIops, s.disk_iops)
      copy(c.cpuPct, s.cpu_pct)
      copy(c.cpuGuestPct, s.cpu_guest_pct)
      copy(c.cpuHypervisorPct, s.cpu_hypervisor_pct)
      copy(c.diskMbS, s.disk_mb_s)
      copy(c.netGbps, s.net_gbps)
    }
    return newVm
  }

  private addVm(id: string): void {
    const fill = (): Column => new Array<number | null>(this.x.length).fill(null)
    this.vms.push(id)
    this.columns.set(id, {
      throughput: fill(),
      latencyMean: fill(),
      latencyP99: fill(),
      diskIops: fill(),
      cpuPct: fill(),
      cpuGuestPct: fill(),
      cpuHypervisorPct: fill(),
      diskMbS: fill(),
      netGbps: fill()
    })
  }
}
