/**
 * Text cut to a width with an ellipsis, measured rather than clipped.
 *
 * A canvas card shows its title and summary lines on one line each. CSS's
 * `text-overflow: ellipsis` needs a clipping box per line, and each clip is
 * one more piece the browser sorts into layers again whenever the picture
 * changes: with 284 cards, the cards' clips were two thirds of the work of a
 * frame of panning. Measuring the text once (a canvas 2D context, cached by
 * text, font and width) gives the same ellipsis with no clip.
 */

const cache = new Map<string, string>()
const CACHE_LIMIT = 20_000
const ELLIPSIS = '…'

let context: CanvasRenderingContext2D | null | undefined

function measurer(): CanvasRenderingContext2D | null {
  if (context === undefined) {
    try {
      context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d')
    } catch {
      context = null
    }
  }
  return context
}

/** The font family the page's text is set in (read once). */
let family: string | undefined
export function pageFontFamily(): string {
  if (family === undefined) {
    family = (typeof document !== 'undefined' && document.body ? getComputedStyle(document.body).fontFamily : '') || 'sans-serif'
  }
  return family
}

/** Width of `text` in `font` (a CSS font shorthand), px. Without a canvas (tests), 0.6 em a character. */
export function textWidth(text: string, font: string): number {
  const ctx = measurer()
  if (!ctx) {
    const size = Number(/([\d.]+)px/.exec(font)?.[1] ?? 11)
    return text.length * size * 0.6
  }
  ctx.font = font
  return ctx.measureText(text).width
}

/** `text` as it fits in `maxWidth` px set in `font`: whole, or cut with an ellipsis at the longest prefix that fits. */
export function fitText(text: string, font: string, maxWidth: number): string {
  if (text === '') return text
  const key = `${font}\u0000${maxWidth}\u0000${text}`
  const known = cache.get(key)
  if (known !== undefined) return known
  let fitted = text
  if (textWidth(text, font) > maxWidth) {
    // The longest prefix that fits with the ellipsis, by bisection over its length.
    let lo = 0
    let hi = text.length - 1
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (textWidth(text.slice(0, mid).trimEnd() + ELLIPSIS, font) <= maxWidth) lo = mid
      else hi = mid - 1
    }
    fitted = lo === 0 ? ELLIPSIS : text.slice(0, lo).trimEnd() + ELLIPSIS
  }
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(key, fitted)
  return fitted
}

/**
 * A name and a note after it on one line of `room` px, `gap` px apart: both
 * whole when they fit; else the name keeps what the whole note leaves it (but
 * never less than three fifths of the line), and the note gets the rest.
 */
export function fitNameAndNote(name: string, note: string, font: string, room: number, gap: number): { name: string; note: string } {
  const noteWidth = note === '' ? 0 : gap + textWidth(note, font)
  if (textWidth(name, font) + noteWidth <= room) return { name, note }
  const fittedName = fitText(name, font, Math.max(0, Math.max(room * 0.6, room - noteWidth)))
  const left = room - textWidth(fittedName, font) - gap
  return { name: fittedName, note: note === '' || left <= 0 ? '' : fitText(note, font, left) }
}
