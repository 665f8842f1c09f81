import type { Issue } from './errors'
import { LIMITS } from './limits'

/**
 * How big a text is where it matters: in UTF-8 bytes (what a file holds and
 * what a WebSocket frame carries), not in UTF-16 code units (what
 * `string.length` counts). One '€' is one character but three bytes.
 */

/** The UTF-8 length of `text` in bytes; a lone surrogate counts as the 3-byte replacement character it becomes. */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/**
 * The most bytes a text of `textBytes` UTF-8 bytes can take once written as a
 * JSON string: a control character is one byte that JSON writes as the six
 * of `\u0001`, and nothing expands more.
 */
export function jsonStringBytesAtMost(textBytes: number): number {
  return 6 * textBytes + 2
}

/** "3.1 GB", "1.2 MB", "340 kB", "12 bytes": sizes as a user reads them (powers of 1000). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`
  return `${bytes} bytes`
}

/** The issue of an experiment text over the size limit (the same words in the editor and the reader), or null. */
export function textTooLarge(text: string): Issue | null {
  // Cheap first: no text of fewer characters than a third of the limit can pass it in bytes.
  if (text.length * 3 <= LIMITS.textBytes) return null
  const bytes = utf8Length(text)
  if (bytes <= LIMITS.textBytes) return null
  let size = formatBytes(bytes)
  let limit = formatBytes(LIMITS.textBytes)
  // Just over the limit, rounded sizes would read the same: give the bytes.
  if (size === limit) [size, limit] = [`${bytes.toLocaleString('en-US')} bytes`, `${LIMITS.textBytes.toLocaleString('en-US')} bytes`]
  return { path: '(file)', message: `is too large: ${size}; an experiment may be at most ${limit}` }
}
