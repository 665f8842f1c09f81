/**
 * A uPlot chart kept at its container's width: the width to draw at (never
 * below `min`), and a ResizeObserver, made when the component is mounted and
 * dropped when it is unmounted, that resizes the chart when the width changes.
 */
import type uPlot from 'uplot'
import { onBeforeUnmount, onMounted, type Ref } from 'vue'

export function useChartWidth(host: Ref<HTMLElement | null>, min: number, chart: () => uPlot | null, height: () => number): () => number {
  const width = (): number => Math.max(min, Math.floor(host.value?.clientWidth ?? 600))
  let resizer: ResizeObserver | null = null
  onMounted(() => {
    if (!host.value) return
    resizer = new ResizeObserver(() => {
      const c = chart()
      if (c && c.width !== width()) c.setSize({ width: width(), height: height() })
    })
    resizer.observe(host.value)
  })
  onBeforeUnmount(() => resizer?.disconnect())
  return width
}
