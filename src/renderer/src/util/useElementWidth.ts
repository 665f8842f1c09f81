/**
 * An element's width as it is laid out, kept current: a ResizeObserver made
 * when the component is mounted and dropped when it is unmounted. 0 until
 * mounted. `onResize` is told each new width as it is observed.
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

export function useElementWidth(el: Ref<HTMLElement | null>, onResize?: (width: number) => void): Ref<number> {
  const width = ref(0)
  let observer: ResizeObserver | null = null
  onMounted(() => {
    if (!el.value) return
    width.value = el.value.clientWidth
    observer = new ResizeObserver(() => {
      if (!el.value) return
      width.value = el.value.clientWidth
      onResize?.(width.value)
    })
    observer.observe(el.value)
  })
  onBeforeUnmount(() => observer?.disconnect())
  return width
}
