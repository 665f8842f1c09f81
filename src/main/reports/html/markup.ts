/**
 * Writing HTML by hand, safely: every text and attribute value a report
 * takes from an experiment or a run goes through `esc`, and a table cell
 * that shows a stored number carries that number unformatted in
 * `data-value`, so the figure printed can be checked against the store.
 */
import { MISSING, formatNumber } from '../../../shared/format'

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/** A right-aligned cell with a number to `digits` decimals, the stored value in `data-value` and its key in `data-key`. */
export function numCell(key: string, value: number | null | undefined, digits: number, className = 'num'): string {
  const stored = value === null || value === undefined ? '' : String(value)
  return `<td class="${className}" data-key="${esc(key)}" data-value="${esc(stored)}">${esc(formatNumber(value, digits))}</td>`
}

/** A signed number (`+1.5`, `−0.3`) for deltas. */
export function signed(value: number | null | undefined, digits: number, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING
  const text = formatNumber(Math.abs(value), digits)
  const zero = Number(text.replace(/,/g, '')) === 0
  return `${zero ? '±' : value > 0 ? '+' : '−'}${text}${unit}`
}

/** A file-name-safe short form of a name: `consolidating-a-database-on-esx-3-5`. */
export function slug(name: string, max = 48): string {
  const s = name
    .normalize('NFKD')
    .replace(/[^\w\s.-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return (s.slice(0, max).replace(/-+$/, '') || 'experiment')
}
