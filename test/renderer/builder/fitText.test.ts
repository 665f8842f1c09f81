/**
 * Text cut to a width by measure: a card's title or line that fits is left
 * whole; one that does not is cut at the longest prefix that fits with an
 * ellipsis. Without a canvas to measure with (here), a character is 0.6 em.
 */
import { describe, expect, it } from 'vitest'
import { fitNameAndNote, fitText, textWidth } from '../../../src/renderer/src/builder/fitText'

const FONT = '10px sans-serif'

describe('fitText', () => {
  it('leaves text that fits whole', () => {
    expect(fitText('vm1', FONT, 100)).toBe('vm1')
    expect(fitText('', FONT, 0)).toBe('')
  })

  it('cuts text that does not fit at the longest prefix that fits with an ellipsis', () => {
    const text = 'a-very-long-virtual-machine-name-indeed'
    const cut = fitText(text, FONT, 60)
    expect(cut.endsWith('…')).toBe(true)
    expect(text.startsWith(cut.slice(0, -1))).toBe(true)
    expect(textWidth(cut, FONT)).toBeLessThanOrEqual(60)
    // One more character would not fit.
    expect(textWidth(text.slice(0, cut.length) + '…', FONT)).toBeGreaterThan(60)
  })

  it('drops a trailing space before the ellipsis, and leaves only the ellipsis where nothing fits', () => {
    expect(fitText('Xen 3.0 HVM guest', FONT, 50)).toBe('Xen 3.0…')
    expect(fitText('nehalem', FONT, 5)).toBe('…')
  })

  it('answers the same for the same text, font and width', () => {
    const text = 'ESX 4.0 · Nehalem X5570 × 2 · 96 GB'
    expect(fitText(text, FONT, 80)).toBe(fitText(text, FONT, 80))
    expect(fitText(text, FONT, 80)).not.toBe(fitText(text, FONT, 120))
  })
})

describe('fitNameAndNote (an inventory row: a name, then a note)', () => {
  const line = (r: { name: string; note: string }) => textWidth(r.name, FONT) + (r.note ? 6 + textWidth(r.note, FONT) : 0)

  it('leaves both whole when they fit', () => {
    expect(fitNameAndNote('vm1', 'VM', FONT, 100, 6)).toEqual({ name: 'vm1', note: 'VM' })
  })

  it('cuts a long name first, keeping a short note whole, within the line', () => {
    const r = fitNameAndNote('sql-server-cluster-node-in-rack-12', 'VM', FONT, 120, 6)
    expect(r.note).toBe('VM')
    expect(r.name.endsWith('…')).toBe(true)
    expect(line(r)).toBeLessThanOrEqual(120)
  })

  it('cuts a long note after a short name, and drops it when nothing is left for it', () => {
    const r = fitNameAndNote('d1', 'local disk of a-host-with-a-long-name', FONT, 100, 6)
    expect(r.name).toBe('d1')
    expect(r.note.endsWith('…')).toBe(true)
    expect(line(r)).toBeLessThanOrEqual(100)
    const none = fitNameAndNote('a-name-longer-than-its-whole-line', 'VM', FONT, 40, 6)
    expect(line(none)).toBeLessThanOrEqual(40)
  })
})
