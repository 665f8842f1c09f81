/**
 * Text cut to a width by measure: a card's title or line that fits is left
 * whole; one that does not is cut at the longest prefix that fits with an
 * ellipsis. Without a canvas to measure with (here), a character is 0.6 em.
 */
import { describe, expect, it } from 'vitest'
import { fitText, textWidth } from '../../../src/renderer/src/builder/fitText'

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
