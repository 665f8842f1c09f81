/**
 * Per-host lines derived from the VMs' sample windows: the host's CPU busy
 * (its VMs' vCPU time over its cores, %) and its disk IOPS (the sum of its
 * VMs'). Samples carry VMs only, so these are what the VMs account for; the
 * hypervisor's own I/O work on the host's cores is in the summary's host table.
 */
import { catalog, type Experiment } from '../api/shared'
import type { Column, SampleSeries } from '../charts/sampleSeries'

export interface HostColumns {
  host: string
  cpuPct: Column
  diskIops: Column
}

export function hostSeries(series: SampleSeries, exp: Experiment): HostColumns[] {
  const n = series.x.length
  return exp.hosts.map((h) => {
    const cores = (catalog.cpus[h.cpu]?.cores ?? 1) * h.sockets
    const cpu = new Array<number | null>(n).fill(null)
    const iops = new Array<number | null>(n).fill(null)
    for (const vm of exp.vms) {
      if (vm.host !== h.id) continue
      const c = series.vm(vm.id)
      if (!c) continue
      for (let i = 0; i < n; i++) {
        const p = c.cpuPct[i]
        if (p !== null && p !== undefined) cpu[i] = (cpu[i] ?? 0) + (p * vm.vcpus) / cores
        const d = c.diskIops[i]
        if (d !== null && d !== undefined) iops[i] = (iops[i] ?? 0) + d
      }
    }
    return { host: h.id, cpuPct: cpu, diskIops: iops }
  })
}
