import { describe, expect, it } from 'vitest'
import { decodeExperimentBytes } from '../../src/shared/decode'

const bytes = (...b: number[]) => Uint8Array.from(b)
const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'))

describe('decodeExperimentBytes', () => {
  it('reads UTF-8, with or without a byte order mark', () => {
    expect(decodeExperimentBytes(text('name: Größe 😀\n'))).toEqual({ ok: true, text: 'name: Größe 😀\n' })
    expect(decodeExperimentBytes(bytes(0xef, 0xbb, 0xbf, 0x61))).toEqual({ ok: true, text: 'a' })
    expect(decodeExperimentBytes(bytes())).toEqual({ ok: true, text: '' })
  })

  it('names UTF-16 and UTF-32 by their byte order marks, and UTF-16 by its NUL pattern', () => {
    const utf16 = { ok: false, message: 'the file is UTF-16; save it as UTF-8' }
    expect(decodeExperimentBytes(bytes(0xff, 0xfe, 0x61, 0x00))).toEqual(utf16)
    expect(decodeExperimentBytes(bytes(0xfe, 0xff, 0x00, 0x61))).toEqual(utf16)
    expect(decodeExperimentBytes(new Uint8Array(Buffer.from('name: x\n', 'utf16le')))).toEqual(utf16)
    expect(decodeExperimentBytes(new Uint8Array(Buffer.from('name: x\n', 'utf16le').swap16()))).toEqual(utf16)
    expect(decodeExperimentBytes(bytes(0xff, 0xfe, 0, 0, 0x61, 0, 0, 0))).toEqual({ ok: false, message: 'the file is UTF-32; save it as UTF-8' })
  })

  it('calls a file with NUL bytes binary, saying where', () => {
    expect(decodeExperimentBytes(text('a: 1\nb: \u0000'))).toEqual({
      ok: false,
      message: 'the file holds binary data (a NUL byte at line 2, column 4), not YAML or JSON text'
    })
  })

  it('refuses ill-formed UTF-8 at its first bad byte: stray, overlong, surrogate, beyond U+10FFFF, cut short', () => {
    const at = (b: Uint8Array) => {
      const d = decodeExperimentBytes(b)
      return d.ok ? null : d.message
    }
    expect(at(bytes(0x61, 0x0a, 0x62, 0x80))).toBe('the file is not UTF-8 text (byte 0x80 at line 2, column 2); save it as UTF-8')
    expect(at(bytes(0xc0, 0x80))).toMatch(/byte 0xc0 at line 1, column 1/)
    expect(at(bytes(0x61, 0xed, 0xa0, 0x80))).toMatch(/byte 0xed at line 1, column 2/)
    expect(at(bytes(0xf4, 0x90, 0x80, 0x80))).toMatch(/byte 0xf4/)
    expect(at(bytes(0x61, 0x62, 0xe2, 0x82))).toMatch(/byte 0xe2 at line 1, column 3/)
  })
})
