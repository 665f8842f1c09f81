/**
 * A sweep as chart columns: one metric against one swept parameter (numbers
 * on a numeric axis, anything else as evenly spaced categories), one line per
 * combination of the other parameters' values, each point with its 95 %
 * interval.
 */
import type { SweepDetail, SweepMetric } from '../api/shared'
import { vmColour } from './palette'

export interface SweepLine {
  label: string
  colour: string
  mean: (number | null)[]
  low: (number | null)[]
  high: (number | null)[]
}

export interface SweepChartData {
  /** The parameter on the x axis (`hosts[*].hypervisor`), or null when the sweep only replicates. */
  parameter: string | null
  categorical: boolean
  /** Positions on the x axis, ascending. */
  x: number[]
  /** What each position is called. */
  xLabels: string[]
  lines: SweepLine[]
  /** Points that have an interval (two or more finished replications). */
  intervals: number
}

export function valueLabel(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  const json = JSON.stringify(v) ?? String(v)
  return json.length > 40 ? json.slice(0, 39) + '…' : json
}

export function sweepChartData(detail: SweepDetail, metric: SweepMetric, xIndex: number): SweepChartData {
  const params = detail.parameters
  const axis = params[xIndex]
  if (!axis) {
    const stat = detail.points[0]?.stats[metric]
    return {
      parameter: null,
      categorical: true,
      x: [0],
      xLabels: ['the experiment'],
      lines: [{ label: detail.sweep.name, colour: vmColour(0), mean: [stat?.mean ?? null], low: [stat?.ci95?.[0] ?? null], high: [stat?.ci95?.[1] ?? null] }],
      intervals: stat?.ci95 ? 1 : 0
    }
  }
  const keyOf = (v: unknown): string => JSON.stringify(v)
  const categorical = !axis.values.every((v) => typeof v === 'number')
  const order = categorical
    ? axis.values.map((v, i) => ({ key: keyOf(v), x: i, label: valueLabel(v) }))
    : [...axis.values].map((v) => ({ key: keyOf(v), x: v as number, label: valueLabel(v) })).sort((a, b) => a.x - b.x)
  const column = new Map(order.map((o, i) => [o.key, i]))
  const others = params.map((_, i) => i).filter((i) => i !== xIndex)
  const lines = new Map<string, SweepLine>()
  let intervals = 0
  for (const point of detail.points) {
    const lineKey = others.map((i) => keyOf(point.values[i])).join('|')
    let line = lines.get(lineKey)
    if (!line) {
      const label = others.length > 0 ? others.map((i) => `${shortName(params[i]!.path)}=${valueLabel(point.values[i])}`).join(', ') : detail.vm ?? detail.sweep.name
      line = { label, colour: vmColour(lines.size), mean: order.map(() => null), low: order.map(() => null), high: order.map(() => null) }
      lines.set(lineKey, line)
    }
    const at = column.get(keyOf(point.values[xIndex]))
    const stat = point.stats[metric]
    if (at === undefined || !stat) continue
    line.mean[at] = stat.mean
    line.low[at] = stat.ci95?.[0] ?? null
    line.high[at] = stat.ci95?.[1] ?? null
    if (stat.ci95) intervals++
  }
  return { parameter: axis.path, categorical, x: order.map((o) => o.x), xLabels: order.map((o) => o.label), lines: [...lines.values()], intervals }
}

/** The last field of a path: `hosts[*].hypervisor` → `hypervisor`. */
export function shortName(path: string): string {
  const m = /([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])*$/.exec(path)
  return m?.[1] ?? path
}
