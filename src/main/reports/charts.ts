/**
 * A report's charts as vector SVG, drawn without a browser by Apache
 * ECharts' server-side SVG renderer: lines over simulated time and
 * horizontal bars per VM (grouped or stacked), each with named axes carrying
 * their units and a legend, in colours that print. The SVG goes inline into
 * the report's HTML, so it needs no namespace declarations (which would put
 * `http:` text in a file that must not reference the network).
 */
import * as echarts from 'echarts'

export const FONT = 'Helvetica, Arial, "DejaVu Sans", sans-serif'
const AXIS_COLOUR = '#555'
const GRID_COLOUR = '#e3e3e3'

/** Ten colours apart on white paper and in greyscale order (Tableau 10). */
const SERIES_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac']

export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length]!
}

export interface Line {
  /** Lines of the same name share one legend entry (a VM's mean and p99). */
  name: string
  colour: string
  dashed?: boolean
  points: Array<[number, number | null]>
}

export interface TimeChart {
  /** Says what the chart shows, for screen readers. */
  label: string
  xName: string
  yName: string
  lines: Line[]
  width: number
  height: number
}

export interface BarSeries {
  name: string
  colour: string
  values: Array<number | null>
}

export interface BarChart {
  label: string
  /** One bar (or group of bars) per category, top to bottom. */
  categories: string[]
  series: BarSeries[]
  /** The value axis: its name with the unit. */
  valueName: string
  /** Stack the series into one bar per category instead of grouping them side by side. */
  stacked?: boolean
  width: number
  /** Upper end of the value axis (100 for shares); from the data when omitted. */
  max?: number
  /** Let the value axis go below zero (contention can be slightly negative). */
  allowNegative?: boolean
}

/** Rows of legend entries the width holds, estimated from the names' length (ECharts measures alike without a canvas). */
function legendRows(names: string[], width: number): number {
  const usable = width - 20
  let rows = 1
  let x = 0
  for (const n of names) {
    const w = 14 + 5 + n.length * 5.6 + 10
    if (x > 0 && x + w > usable) {
      rows++
      x = 0
    }
    x += w
  }
  return rows
}

function render(option: echarts.EChartsCoreOption, width: number, height: number, label: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT, fontSize: 10, color: AXIS_COLOUR }, ...option })
    return clean(chart.renderToSVGString(), label)
  } finally {
    chart.dispose()
  }
}

/** Drops the namespace declarations (inline SVG in HTML needs none) and names the image for screen readers. */
function clean(svg: string, label: string): string {
  return svg
    .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" `)
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

const axisCommon = {
  axisLine: { lineStyle: { color: AXIS_COLOUR } },
  axisTick: { lineStyle: { color: AXIS_COLOUR } },
  axisLabel: { color: AXIS_COLOUR, fontSize: 9 },
  splitLine: { lineStyle: { color: GRID_COLOUR } },
  nameTextStyle: { color: AXIS_COLOUR, fontSize: 10 }
}

export function timeChart(c: TimeChart): string {
  const names = [...new Set(c.lines.map((l) => l.name))]
  const legendHeight = legendRows(names, c.width) * 16
  const maxX = Math.max(0, ...c.lines.flatMap((l) => l.points.map((p) => p[0])))
  return render(
    {
      grid: { left: 54, right: 14, top: 26, bottom: 40 + legendHeight },
      legend: { bottom: 0, left: 'center', data: names, itemWidth: 14, itemHeight: 8, itemGap: 10, textStyle: { fontSize: 9 } },
      xAxis: { type: 'value', name: c.xName, nameLocation: 'middle', nameGap: 22, min: 0, max: maxX > 0 ? maxX : undefined, ...axisCommon },
      yAxis: { type: 'value', name: c.yName, nameLocation: 'end', nameGap: 10, min: 0, ...axisCommon, nameTextStyle: { ...axisCommon.nameTextStyle, align: 'left' } },
      series: c.lines.map((l) => ({
        type: 'line',
        name: l.name,
        data: l.points,
        showSymbol: false,
        connectNulls: false,
        color: l.colour,
        lineStyle: { color: l.colour, width: l.dashed ? 1 : 1.4, type: l.dashed ? [4, 3] : 'solid' }
      }))
    },
    c.width,
    c.height,
    c.label
  )
}

/** The height a bar chart needs for its categories, legend and axis. */
export function barChartHeight(c: Pick<BarChart, 'categories' | 'series' | 'stacked' | 'width'>): number {
  const perCategory = c.stacked ? 18 : Math.max(18, 8 * c.series.length + 8)
  const legend = c.series.length > 1 ? legendRows(c.series.map((s) => s.name), c.width) * 16 : 0
  return c.categories.length * perCategory + 62 + legend
}

/**
 * The low end of the value axis: 0, unless negative values are allowed and
 * reach past one unit below it (a sliver below zero is not worth an axis that
 * starts at −20).
 */
function valueMin(c: BarChart): number | undefined {
  if (!c.allowNegative) return 0
  const lows = c.categories.map((_, i) => {
    const values = c.series.map((s) => s.values[i] ?? 0)
    return c.stacked ? values.filter((v) => v < 0).reduce((a, b) => a + b, 0) : Math.min(0, ...values)
  })
  return Math.min(0, ...lows) > -1 ? 0 : undefined
}

export function barChart(c: BarChart): string {
  const height = barChartHeight(c)
  const min = valueMin(c)
  const legendHeight = c.series.length > 1 ? legendRows(c.series.map((s) => s.name), c.width) * 16 : 0
  const longest = Math.max(4, ...c.categories.map((x) => x.length))
  return render(
    {
      grid: { left: Math.min(180, 12 + longest * 5.6), right: 24, top: 12, bottom: 40 + legendHeight },
      legend: c.series.length > 1 ? { bottom: 0, left: 'center', itemWidth: 14, itemHeight: 8, itemGap: 10, textStyle: { fontSize: 9 } } : { show: false },
      xAxis: { type: 'value', name: c.valueName, nameLocation: 'middle', nameGap: 22, ...(min !== undefined ? { min } : {}), ...(c.max !== undefined ? { max: c.max } : {}), ...axisCommon },
      yAxis: {
        type: 'category',
        data: c.categories,
        inverse: true,
        ...axisCommon,
        axisLabel: { ...axisCommon.axisLabel, interval: 0 },
        splitLine: { show: false }
      },
      series: c.series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.values,
        color: s.colour,
        barMaxWidth: 14,
        barGap: '10%',
        ...(c.stacked ? { stack: 'total' } : {})
      }))
    },
    c.width,
    height,
    c.label
  )
}
