/**
 * Several stored runs drawn on one chart: each run's series (`runs:samples`)
 * come on their own time axis, so the axes are merged into one (simulated
 * seconds, ascending) and every line holds null where its run has no point.
 * A line is one VM of one run: the VM's colour, the run's dash, so a VM
 * reads as one hue across runs and a run as one stroke across VMs.
 */
import type uPlot from 'uplot'
import type { RunSeries } from '../api/shared'
import { vmColour } from './palette'
import type { ChartLine } from './types'

export type OverlayMetric = Exclude<keyof RunSeries['vms'][number], 'vm'>

export interface OverlayRun {
  /** How the run is named in the legend: its arm and a short id ("A · 3f2c9a1b"). */
  label: string
  series: RunSeries
}

/** Dashes by run: the first solid, then dashed, dotted, dash-dot… */
const DASHES: (number[] | undefined)[] = [undefined, [6, 4], [2, 3], [8, 3, 2, 3], [12, 4]]

export function runDash(index: number): number[] | undefined {
  return DASHES[index % DASHES.length]
}

export interface Overlay {
  lines: ChartLine[]
  data: uPlot.AlignedData
}

/**
 * One chart's lines and columns: every VM of every run, VMs coloured in the
 * order first seen. A run that did not record the metric (recorded since a
 * later sample format) has no line on it.
 */
export function overlay(runs: readonly OverlayRun[], metric: OverlayMetric): Overlay {
  const times = [...new Set(runs.flatMap((r) => r.series.t_ms))].sort((a, b) => a - b)
  const rowOf = new Map(times.map((t, i) => [t, i]))
  const vmOrder: string[] = []
  for (const r of runs) for (const v of r.series.vms) if (!vmOrder.includes(v.vm)) vmOrder.push(v.vm)
  const lines: ChartLine[] = []
  const columns: (number | null)[][] = []
  runs.forEach((run, r) => {
    for (const v of run.series.vms) {
      const values = v[metric]
      if (!values) continue
      const column: (number | null)[] = Array.from({ length: times.length }, () => null)
      run.series.t_ms.forEach((t, i) => {
        column[rowOf.get(t)!] = values[i] ?? null
      })
      const dash = runDash(r)
      lines.push({ label: `${run.label} · ${v.vm}`, colour: vmColour(vmOrder.indexOf(v.vm)), ...(dash ? { dash } : {}) })
      columns.push(column)
    }
  })
  return { lines, data: [times.map((t) => t / 1000), ...columns] }
}
