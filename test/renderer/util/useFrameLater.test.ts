// @vitest-environment happy-dom
/**
 * A value that follows another one frame later: not in the frame that draws
 * the change, but in the next; several changes within one frame are followed
 * once, by the last; nothing is left scheduled once its component is gone.
 */
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { useFrameLater } from '../../../src/renderer/src/util/useFrameLater'

/** Animation frames run by hand: `frame()` runs the callbacks asked for before it. */
let callbacks = new Map<number, FrameRequestCallback>()
let nextId = 1
function frame(): void {
  const due = callbacks
  callbacks = new Map()
  for (const cb of due.values()) cb(0)
}

beforeEach(() => {
  callbacks = new Map()
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    callbacks.set(nextId, cb)
    return nextId++
  })
  vi.stubGlobal('cancelAnimationFrame', (id: number) => callbacks.delete(id))
})
afterEach(() => vi.unstubAllGlobals())

function follower(source: ReturnType<typeof ref<string>>) {
  let later: { value: string | undefined } = { value: undefined }
  const wrapper = mount(
    defineComponent({
      setup() {
        later = useFrameLater(source)
        return () => h('span', later.value)
      }
    })
  )
  return { wrapper, later: () => later.value }
}

describe('useFrameLater', () => {
  it('starts with the value as it is, and follows a change in the frame after the one that draws it', async () => {
    const source = ref('a')
    const { later } = follower(source)
    expect(later()).toBe('a')
    source.value = 'b'
    await nextTick()
    expect(later()).toBe('a')
    frame() // the frame that draws the change itself
    expect(later()).toBe('a')
    frame()
    expect(later()).toBe('b')
  })

  it('follows several changes within one frame once, with the last', async () => {
    const source = ref('a')
    const { later } = follower(source)
    source.value = 'b'
    await nextTick()
    source.value = 'c'
    await nextTick()
    frame()
    frame()
    expect(later()).toBe('c')
    expect(callbacks.size).toBe(0)
  })

  it('leaves nothing scheduled when its component is unmounted', async () => {
    const source = ref('a')
    const { wrapper } = follower(source)
    source.value = 'b'
    await nextTick()
    wrapper.unmount()
    expect(callbacks.size).toBe(0)
  })
})
