import { describe, expect, it } from 'vitest'
import { printable, readableIssues } from '../../src/shared/printable'

describe('printable', () => {
  it('escapes C0 and C1 controls, DEL and invisible direction marks, and keeps ordinary text', () => {
    expect(printable('a\u001b[31mred\u0007')).toBe('a\\x1b[31mred\\x07')
    expect(printable('\u009b2J\u0085x\u007f')).toBe('\\x9b2J\\x85x\\x7f')
    expect(printable('abc\u202edef\u2066\u200b')).toBe('abc\\u202edef\\u2066\\u200b')
    expect(printable('tab\there\r\nnext')).toBe('tab\\there\\r\\nnext')
    expect(printable('Größe 5 € — 東京 😀')).toBe('Größe 5 € — 東京 😀')
  })

  it('keeps line breaks only when asked', () => {
    expect(printable('one\ntwo\u0000', { multiline: true })).toBe('one\ntwo\\x00')
  })

  it('escapes lone surrogate halves and keeps pairs whole', () => {
    expect(printable('x\ud800y\udc00')).toBe('x\\ud800y\\udc00')
    expect(printable('😀'.repeat(3), { max: 2 })).toBe('😀…')
  })

  it('cuts long text with an ellipsis without reading it all', () => {
    const huge = 'x'.repeat(10_000_000)
    expect(printable(huge, { max: 10 })).toBe('xxxxxxxxxx…')
    expect(printable('\u0001'.repeat(100), { max: 8 })).toBe('\\x01\\x01…')
  })
})

describe('readableIssues', () => {
  it('folds the same problem repeated at other positions into its first report', () => {
    const issues = Array.from({ length: 500 }, (_, i) => ({
      path: '(file)',
      message: `is not valid YAML or JSON: line ${i + 1}, column 1: Implicit keys need to be on a single line`
    }))
    expect(readableIssues(issues)).toEqual([
      { path: '(file)', message: 'is not valid YAML or JSON: line 1, column 1: Implicit keys need to be on a single line (and 499 more like it)' }
    ])
  })

  it('lists at most `max` problems and counts the rest', () => {
    const issues = Array.from({ length: 30 }, (_, i) => ({ path: `vms[${i}].host`, message: 'host "h9" does not exist' }))
    const shown = readableIssues(issues, { max: 5 })
    expect(shown).toHaveLength(6)
    expect(shown[4]).toEqual({ path: 'vms[4].host', message: 'host "h9" does not exist' })
    expect(shown[5]).toEqual({ path: '(file)', message: 'and 25 more problems not shown' })
  })

  it('makes paths and messages printable and bounded', () => {
    const [issue] = readableIssues([{ path: 'name\u001b]0;owned\u0007', message: `must be a string, not ${'\u0090'.repeat(1000)}` }], {
      maxMessage: 40
    })
    expect(issue?.path).toBe('name\\x1b]0;owned\\x07')
    expect(issue?.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
    expect(issue?.message.length).toBeLessThanOrEqual(41)
  })
})
