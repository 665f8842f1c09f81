/**
 * A value that follows another one frame later. What depends on it is drawn in
 * the frame after the one that shows the change itself, so that a change that
 * the user must see at once (a row and a card marked selected) is not held up
 * by a heavier view that follows it (the property panel rebuilt for the new
 * selection). Several changes within one frame are followed once, by the last.
 */
import { onBeforeUnmount, shallowRef, watch, type Ref, type ShallowRef } from 'vue'

export function useFrameLater<T>(source: Readonly<Ref<T>>): Readonly<ShallowRef<T>> {
  const later = shallowRef(source.value)
  let pending = 0
  watch(source, () => {
    cancelAnimationFrame(pending)
    // Two callbacks: the first runs at the start of the very frame that draws the change.
    pending = requestAnimationFrame(() => {
      pending = requestAnimationFrame(() => {
        pending = 0
        later.value = source.value
      })
    })
  })
  onBeforeUnmount(() => cancelAnimationFrame(pending))
  return later
}
