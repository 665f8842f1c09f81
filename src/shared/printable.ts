/**
 * Text that came from outside the lab (a file's bytes, a path, a parser's
 * message quoting the input), made safe to show in a terminal, a log or the
 * UI: control characters and invisible direction marks are written as
 * escapes instead of being sent raw, and the length is bounded, so a binary
 * file cannot flood stderr or drive the terminal. Issue lists are bounded the
 * same way: one line per problem, repeats folded, at most a screenful.
 */
import type { Issue } from './errors'

export interface PrintableOptions {
  /** Characters to keep before cutting with "…" (default 200). */
  max?: number
  /** Keep line breaks as they are (default: written as \n). */
  multiline?: boolean
}

/**
 * C0 and C1 controls, DEL, and the invisible characters that reorder or hide
 * text (bidi embeddings and isolates, zero-width marks, the BOM, line and
 * paragraph separators), plus lone surrogate halves.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escape(ch: string): string {
  const named = NAMED[ch]
  if (named) return named
  const code = ch.charCodeAt(0)
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** `text` with every unsafe character escaped, cut to at most `max` characters and an ellipsis. */
export function printable(text: string, options: PrintableOptions = {}): string {
  const max = options.max ?? 200
  let out = ''
  // Walk by UTF-16 unit so a lone surrogate is seen as one; stop as soon as the budget is spent.
  for (let i = 0; i < text.length; i++) {
    let ch = text[i] as string
    const code = ch.charCodeAt(0)
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        ch += text[i + 1]
        i++
      }
    }
    const piece = (ch === '\n' && options.multiline) || ch.length > 1 || !UNSAFE.test(ch) ? ch : escape(ch)
    if (out.length + piece.length > max) return out + '…'
    out += piece
  }
  return out
}

/** Characters JSON leaves raw that a terminal would act on or hide: C1 controls, DEL, direction and separator marks. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

/**
 * `JSON.stringify(value, null, space)` with every character a terminal would
 * act on written as a \u escape: the same JSON value, safe to print. (JSON
 * already escapes C0 controls and lone surrogates.)
 */
export function printableJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export interface ReadableIssueOptions {
  /** Problems to list before "and N more" (default 20). */
  max?: number
  /** Characters kept of each message (default 300). */
  maxMessage?: number
}

/**
 * Issues ready to show: each path and message printable and bounded; the
 * same problem reported again at another position (a YAML error repeated on
 * every following line) folded into its first report; and at most `max`
 * problems, the rest counted in a last line.
 */
export function readableIssues(issues: readonly Issue[], options: ReadableIssueOptions = {}): Issue[] {
  const max = options.max ?? 20
  const maxMessage = options.maxMessage ?? 300
  const groups = new Map<string, { issue: Issue; repeats: number }>()
  for (const issue of issues) {
    const key = `${issue.path}\u0000${issue.message.replace(/line \d+, column \d+/g, '').slice(0, 200)}`
    const seen = groups.get(key)
    if (seen) seen.repeats++
    else groups.set(key, { issue, repeats: 0 })
  }
  const shown = [...groups.values()].slice(0, max).map(({ issue, repeats }) => ({
    path: printable(issue.path, { max: 120 }),
    message: printable(issue.message, { max: maxMessage }) + (repeats > 0 ? ` (and ${repeats} more like it)` : '')
  }))
  const hidden = groups.size - shown.length
  if (hidden > 0) shown.push({ path: '(file)', message: `and ${hidden} more problem${hidden === 1 ? '' : 's'} not shown` })
  return shown
}
