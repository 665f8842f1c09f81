// @vitest-environment happy-dom
/** The event inspector's empty list: "yet" while the run may still note something, not once its result is in. */
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import RunEventInspector from '../../../src/renderer/src/components/RunEventInspector.vue'

describe('RunEventInspector', () => {
  it('says "yet" while the run goes on', () => {
    const wrapper = mount(RunEventInspector, { props: { events: [], selectedMs: null, timeline: null, planned: [], simulatedS: 3 } })
    expect(wrapper.text()).toContain('No notable events in this run yet.')
  })

  it('says it plainly once the result is in', () => {
    const wrapper = mount(RunEventInspector, { props: { events: [], selectedMs: null, timeline: [] } })
    expect(wrapper.text()).toContain('No notable events in this run.')
    expect(wrapper.text()).not.toContain('yet')
  })
})
