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

/** "1.2 MB", "340 kB", "12 bytes": sizes as a user reads them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`
  return `${bytes} bytes`
}
