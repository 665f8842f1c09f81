// @vitest-environment happy-dom
/**
 * A field of the property panel, mounted: its accessible label and unit, the
 * chosen catalog entry explained with its source, and a problem shown at the
 * field it is about.
 */
import { mount } from '@vue/test-utils'
import { NInputNumber } from 'naive-ui'
import { describe, expect, it } from 'vitest'
import { hostFields } from '../../../src/renderer/src/builder/fields'
import PropertyField from '../../../src/renderer/src/components/PropertyField.vue'

const spec = (key: string) => hostFields().find((f) => f.key.join('.') === key)!

describe('PropertyField', () => {
  it('labels its control and shows the unit', () => {
    const wrapper = mount(PropertyField, { props: { spec: spec('memory_gb'), value: 48, problems: [], fieldId: 'hosts-0-memory_gb', controlId: 'memory_gb' } })
    const input = wrapper.find('input')
    expect(input.attributes('aria-label')).toBe('Memory (GB)')
    expect(wrapper.find('label').text()).toContain('Memory')
    expect(wrapper.text()).toContain('GB')
  })

  it('explains the chosen catalog entry and names its source', () => {
    const wrapper = mount(PropertyField, { props: { spec: spec('cpu'), value: 'nehalem-x5570', problems: [], fieldId: 'hosts-0-cpu', controlId: 'cpu' } })
    const choice = wrapper.find('[data-testid="property-choice"]')
    expect(choice.text()).toMatch(/2009 · 2.93 GHz · 4 cores\/socket · VT-x\/AMD-V yes · EPT\/RVI yes/)
    expect(choice.text()).toMatch(/Source: \S+/)
  })

  it('shows a problem at the field, as an alert', () => {
    const wrapper = mount(PropertyField, { props: { spec: spec('sockets'), value: 12, problems: ['must be at most 8'], fieldId: 'hosts-0-sockets', controlId: 'sockets' } })
    const problem = wrapper.find('[data-testid="field-problem"]')
    expect(problem.attributes('role')).toBe('alert')
    expect(problem.text()).toBe('must be at most 8')
  })

  it('reports a new value as a change', async () => {
    const wrapper = mount(PropertyField, { props: { spec: spec('id'), value: 'h1', problems: [], fieldId: 'hosts-0-id', controlId: 'id' } })
    const input = wrapper.find('input')
    await input.setValue('db-server')
    await input.trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('change')?.[0]).toEqual(['db-server'])
  })

  it('keeps its control when only its place in the document changes, and redraws it when its value does', async () => {
    const wrapper = mount(PropertyField, { props: { spec: spec('memory_gb'), value: 48, problems: [], fieldId: 'hosts-0-memory_gb', controlId: 'memory_gb' } })
    const input = wrapper.find('input').element as HTMLInputElement
    expect(wrapper.find('label').attributes('for')).toBe(input.id)
    const control = wrapper.findComponent(NInputNumber)
    const drawn = control.vm.$.subTree
    // Another host with the same memory: the test id follows the document, the control is the same element, untouched.
    await wrapper.setProps({ fieldId: 'hosts-3-memory_gb', problems: ['must be at most 8'] })
    expect(wrapper.attributes('data-testid')).toBe('property-hosts-3-memory_gb')
    expect(wrapper.find('[data-testid="field-problem"]').text()).toBe('must be at most 8')
    expect(control.vm.$.subTree).toBe(drawn)
    expect(input.value).toBe('48')
    // A host with other memory: the control shows it.
    await wrapper.setProps({ fieldId: 'hosts-4-memory_gb', value: 96, problems: [] })
    expect(control.vm.$.subTree).not.toBe(drawn)
    expect((wrapper.find('input').element as HTMLInputElement).value).toBe('96')
  })
})
