/**
 * From a file's bytes to experiment text. Experiment files are UTF-8 (a
 * leading byte order mark is allowed and dropped). A UTF-16 or UTF-32 file,
 * binary data or text in another encoding gets one sentence saying what the
 * file is and what to do, instead of a parse of mis-decoded characters that
 * reports hundreds of problems. Pure: the CLI and the UI use the same rule.
 */

export type Decoded = { ok: true; text: string } | { ok: false; message: string }

/**
 * The WHATWG decoder every runtime of the lab has (Node, Chromium, Electron).
 * src/shared compiles without DOM or Node typings, so the one constructor
 * used here is declared for this module only.
 */
declare const TextDecoder: new (label: 'utf-8', options: { fatal: boolean; ignoreBOM: boolean }) => {
  decode(input: Uint8Array): string
}

const SAVE_AS_UTF8 = 'save it as UTF-8'

export function decodeExperimentBytes(bytes: Uint8Array): Decoded {
  const bom = byteOrderMark(bytes)
  if (bom === 'utf-32') return { ok: false, message: `the file is UTF-32; ${SAVE_AS_UTF8}` }
  if (bom === 'utf-16' || looksUtf16(bytes)) return { ok: false, message: `the file is UTF-16; ${SAVE_AS_UTF8}` }
  const body = bom === 'utf-8' ? bytes.subarray(3) : bytes
  const nul = body.indexOf(0)
  if (nul >= 0) {
    const { line, column } = position(body, nul)
    return { ok: false, message: `the file holds binary data (a NUL byte at line ${line}, column ${column}), not YAML or JSON text` }
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) }
  } catch {
    const at = firstInvalidUtf8(body)
    const { line, column } = position(body, at)
    const byte = (body[at] ?? 0).toString(16).padStart(2, '0')
    return { ok: false, message: `the file is not UTF-8 text (byte 0x${byte} at line ${line}, column ${column}); ${SAVE_AS_UTF8}` }
  }
}

function byteOrderMark(b: Uint8Array): 'utf-8' | 'utf-16' | 'utf-32' | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8'
  if ((b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)) {
    return 'utf-32'
  }
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return 'utf-16'
  return null
}

/**
 * UTF-16 without a byte order mark: YAML and JSON are mostly ASCII, which in
 * UTF-16 puts a NUL in every other byte, always on the same side. Judged on
 * the first 4 KiB: at least 3 pairs in 4 have exactly one NUL, on one side.
 */
function looksUtf16(b: Uint8Array): boolean {
  const pairs = Math.min(b.length, 4096) >> 1
  if (pairs < 2) return false
  let even = 0
  let odd = 0
  for (let i = 0; i < pairs * 2; i += 2) {
    if (b[i] === 0 && b[i + 1] !== 0) even++
    else if (b[i] !== 0 && b[i + 1] === 0) odd++
  }
  return Math.max(even, odd) * 4 >= pairs * 3
}

/** Offset of the first byte that does not continue a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0
  while (i < b.length) {
    const c = b[i] as number
    if (c < 0x80) {
      i++
      continue
    }
    // Length of the sequence and the allowed range of its second byte (no overlongs, surrogates or > U+10FFFF).
    let n: number
    let lo = 0x80
    let hi = 0xbf
    if (c >= 0xc2 && c <= 0xdf) n = 1
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2
      if (c === 0xe0) lo = 0xa0
      if (c === 0xed) hi = 0x9f
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3
      if (c === 0xf0) lo = 0x90
      if (c === 0xf4) hi = 0x8f
    } else return i
    for (let k = 1; k <= n; k++) {
      const next = b[i + k]
      if (next === undefined) return i
      if (k === 1 ? next < lo || next > hi : next < 0x80 || next > 0xbf) return i
    }
    i += n + 1
  }
  return b.length
}

/** 1-based line, and column counted in bytes, of `offset`. */
function position(b: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (let i = 0; i < offset; i++) {
    if (b[i] === 0x0a) {
      line++
      start = i + 1
    }
  }
  return { line, column: offset - start + 1 }
}
