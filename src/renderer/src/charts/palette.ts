/**
 * Colours shared by charts and tables, so a VM keeps its colour everywhere
 * and a breakdown component always means the same hue.
 */
import { BREAKDOWN_CATEGORIES, type BreakdownCategory, type BreakdownKey } from '../api/shared'

const VM_COLOURS = [
  '#5aa9e6',
  '#f2a65a',
  '#7bc47f',
  '#e06c75',
  '#c39ac9',
  '#56c2c2',
  '#e5c07b',
  '#9aa5ce',
  '#d19a66',
  '#a3be8c'
] as const

export function vmColour(index: number): string {
  return VM_COLOURS[index % VM_COLOURS.length]!
}

/** A category of the response time with its label, hint and colour (the reports use the same). */
export type BreakdownPart = BreakdownCategory

/** The categories in stacking order. */
export const BREAKDOWN_PARTS: readonly BreakdownPart[] = BREAKDOWN_CATEGORIES

const PART_BY_KEY = new Map(BREAKDOWN_PARTS.map((part) => [part.key, part]))

export function breakdownPart(key: BreakdownKey): BreakdownPart {
  return PART_BY_KEY.get(key)!
}

/**
 * The `index`-th of `count` neighbouring shades of a category colour, dark to
 * light, so mechanisms of one category read as one hue yet stay apart.
 */
export function categoryShade(colour: string, index: number, count: number): string {
  if (count <= 1) return colour
  const [h, s, l] = hexToHsl(colour)
  const spread = Math.min(0.3, 0.08 * (count - 1))
  const lightness = clamp(l + (index / (count - 1) - 0.5) * spread, 0.2, 0.85)
  return `hsl(${h.toFixed(1)}, ${(s * 100).toFixed(1)}%, ${(lightness * 100).toFixed(1)}%)`
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}

/** `#rrggbb` to hue (degrees), saturation and lightness (0…1). */
function hexToHsl(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  const r = ((n >> 16) & 255) / 255
  const g = ((n >> 8) & 255) / 255
  const b = (n & 255) / 255
  const max = Math.max(r, g, b)
  const min = Math.min(r, g, b)
  const l = (max + min) / 2
  const d = max - min
  if (d === 0) return [0, 0, l]
  const s = d / (1 - Math.abs(2 * l - 1))
  let h: number
  if (max === r) h = ((g - b) / d) % 6
  else if (max === g) h = (b - r) / d + 2
  else h = (r - g) / d + 4
  return [(h * 60 + 360) % 360, s, l]
}

export const CHART_THEME = {
  axis: '#8b95a3',
  grid: 'rgba(255, 255, 255, 0.06)',
  font: '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  /** The moment marked on every chart (an event picked, the replay's playhead). */
  marker: '#f5c542',
  /** Timeline events on the axis: one that ran, one refused, one still to come. */
  span: { done: 'rgba(96, 200, 140, 0.9)', refused: 'rgba(235, 90, 90, 0.95)', planned: 'rgba(139, 149, 163, 0.8)' }
} as const

/** How every chart's axes look: labels, grid lines and ticks in the theme's colours. */
export const CHART_AXIS = {
  stroke: CHART_THEME.axis,
  font: CHART_THEME.font,
  grid: { stroke: CHART_THEME.grid, width: 1 },
  ticks: { stroke: CHART_THEME.grid, width: 1, size: 4 }
}
