/**
 * A uPlot chart kept at its container's width: the width to draw at (never
 * below `min`), and the chart resized when the container's width changes.
 */
import type uPlot from 'uplot'
import type { Ref } from 'vue'
import { useElementWidth } from '../util/useElementWidth'

export function useChartWidth(host: Ref<HTMLElement | null>, min: number, chart: () => uPlot | null, height: () => number): () => number {
  const width = (): number => Math.max(min, Math.floor(host.value?.clientWidth ?? 600))
  useElementWidth(host, () => {
    const c = chart()
    if (c && c.width !== width()) c.setSize({ width: width(), height: height() })
  })
  return width
}
