// @vitest-environment happy-dom
/**
 * A card on the topology canvas, mounted: a title too long for the card is
 * cut with an ellipsis to the card's width (the card does not clip), and the
 * whole title stays readable in the tooltip and the accessible name; the
 * properties Vue Flow hands every node do not land on the card as attributes.
 */
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { textWidth } from '../../../src/renderer/src/builder/fitText'
import TopologyCanvasNode from '../../../src/renderer/src/components/TopologyCanvasNode.vue'

const card = (title: string, width: number, extra: Record<string, unknown> = {}) =>
  mount(TopologyCanvasNode, {
    props: { id: 'vm:a', data: { kind: 'vm', title, lines: ['2 vCPU · 4 GB', ''], problems: 0, tag: 'VM', width }, ...extra },
    global: { stubs: { Handle: true } }
  })

describe('TopologyCanvasNode', () => {
  it('shows a title that fits whole, with no tooltip', () => {
    const title = card('db1', 170).find('.topology-node__title')
    expect(title.text()).toBe('db1')
    expect(title.attributes('title')).toBeUndefined()
  })

  it('cuts a title too long for the card, and keeps it whole in the tooltip and the accessible name', () => {
    const long = 'sql-server-2008-r2-cluster-node-in-the-second-rack'
    const wrapper = card(long, 170)
    const title = wrapper.find('.topology-node__title')
    expect(title.text().endsWith('…')).toBe(true)
    expect(long.startsWith(title.text().slice(0, -1))).toBe(true)
    // Within the card's width less its paddings and borders.
    expect(textWidth(title.text(), '600 11px sans-serif')).toBeLessThan(170 - 16 - 4)
    expect(title.attributes('title')).toBe(long)
    expect(wrapper.attributes('aria-label')).toContain(long)
  })

  it('cuts more on a narrower card, and leaves out empty lines', () => {
    const long = 'web-frontend-with-a-long-name'
    const wide = card(long, 400).find('.topology-node__title').text()
    const narrow = card(long, 120).find('.topology-node__title').text()
    expect(wide).toBe(long)
    expect(narrow.length).toBeLessThan(long.length)
    expect(card(long, 170).findAll('.topology-node__line').map((l) => l.text())).toEqual(['2 vCPU · 4 GB'])
  })

  it('does not carry the properties it does not use as attributes', () => {
    const wrapper = card('db1', 170, { events: { click: () => undefined }, position: { x: 1, y: 2 } })
    expect(wrapper.attributes('events')).toBeUndefined()
    expect(wrapper.attributes('position')).toBeUndefined()
  })
})
