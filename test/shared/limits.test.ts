/**
 * Limits agree end to end: every experiment text the lab accepts travels in
 * one WebSocket frame, whatever its characters; one byte more and the editor
 * and the reader both say it is too large, with the same words.
 */
import { describe, expect, it } from 'vitest'
import { LIMITS } from '../../src/shared/limits'
import { textTooLarge, utf8Length } from '../../src/shared/textSize'
import { MAX_FRAME_BYTES } from '../../src/shared/wire'

/** A call carrying `text` as the browser sends it. */
const frameBytes = (text: string): number =>
  utf8Length(JSON.stringify({ kind: 'call', id: 2 ** 40, name: 'experiments:validate', input: { text } }))

/** Fills `limit` bytes with `unit` (and single bytes for the remainder). */
function atLimit(unit: string, limit = LIMITS.textBytes): string {
  const each = utf8Length(unit)
  return unit.repeat(Math.floor(limit / each)) + 'x'.repeat(limit % each)
}

describe('limits of experiment text', () => {
  for (const [what, unit] of [
    ['control characters (6 bytes each in JSON)', '\u0001'],
    ['newlines', '\n'],
    ['quotes', '"'],
    ['euro signs (3 bytes in UTF-8)', '€'],
    ['emoji (4 bytes, two UTF-16 units)', '😀'],
    ['lone surrogates', '\ud800'],
    ['plain ASCII', 'a']
  ] as const) {
    it(`a text of ${what} at the limit is accepted and fits one frame; one byte more is too large`, () => {
      const text = atLimit(unit)
      expect(utf8Length(text)).toBe(LIMITS.textBytes)
      expect(textTooLarge(text)).toBeNull()
      expect(frameBytes(text)).toBeLessThanOrEqual(MAX_FRAME_BYTES)
      expect(textTooLarge(text + 'x')?.message).toBe('is too large: 2,000,001 bytes; an experiment may be at most 2,000,000 bytes')
    })
  }

  it('counts UTF-8 bytes as TextEncoder does', () => {
    for (const s of ['', 'a', '€', '😀', '\ud800', 'a\udc00b', 'ü€😀x']) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length)
    }
  })
})
