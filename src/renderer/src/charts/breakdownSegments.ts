/**
 * The segments of a VM's response-time bar: one per mechanism of the run's
 * `explain` list, grouped by category in stacking order and shaded within a
 * category; or, for runs that recorded no mechanisms, one per category of
 * `breakdown_pct`. Shares are percent of the response time.
 *
 * Slivers too thin to see or point at (under SLIVER_PCT each) are gathered,
 * per category, into one segment that lists them; the mechanisms table
 * still shows each on its own row.
 */
import type { Breakdown, BreakdownKey, ExplainItem } from '../api/shared'
import { BREAKDOWN_PARTS, breakdownPart, categoryShade } from './palette'

/** Below this share of the response time a mechanism is a sliver, %. */
export const SLIVER_PCT = 0.5

export interface BreakdownSegment {
  /** Unique within the bar. */
  key: string
  category: BreakdownKey
  share: number
  colour: string
  /** The mechanism; null for a whole category or for gathered slivers. */
  item: ExplainItem | null
  /** Gathered slivers of one category, largest first; empty otherwise. */
  slivers: ExplainItem[]
}

/** The share of a category, 0 when an older run has no such category. */
export function categoryShare(breakdown: Breakdown, key: BreakdownKey): number {
  const value = breakdown[key] ?? 0
  return Number.isFinite(value) ? Math.max(0, value) : 0
}

export function hasExplain(explain: readonly ExplainItem[] | null | undefined): explain is readonly ExplainItem[] {
  return !!explain && explain.length > 0
}

/** Explain items by category, in stacking order; categories without items are left out. */
export function groupExplain(explain: readonly ExplainItem[]): { key: BreakdownKey; items: ExplainItem[] }[] {
  return BREAKDOWN_PARTS.map((part) => ({ key: part.key, items: explain.filter((item) => item.category === part.key) })).filter(
    (group) => group.items.length > 0
  )
}

function mechanismSegments(explain: readonly ExplainItem[]): BreakdownSegment[] {
  return groupExplain(explain).flatMap(({ key, items }) => {
    const part = breakdownPart(key)
    const shown = items.filter((item) => Number.isFinite(item.share_pct) && item.share_pct > 0)
    const slivers = shown.filter((item) => item.share_pct < SLIVER_PCT)
    // One sliver alone stays itself; two or more become one segment.
    const gather = slivers.length >= 2
    const own = gather ? shown.filter((item) => item.share_pct >= SLIVER_PCT) : shown
    const count = own.length + (gather ? 1 : 0)
    const segments: BreakdownSegment[] = own.map((item, index) => ({
      key: `${key}:${index}:${item.mechanism}`,
      category: key,
      share: item.share_pct,
      colour: categoryShade(part.colour, index, count),
      item,
      slivers: []
    }))
    if (gather) {
      segments.push({
        key: `${key}:slivers`,
        category: key,
        share: slivers.reduce((sum, item) => sum + item.share_pct, 0),
        colour: categoryShade(part.colour, count - 1, count),
        item: null,
        slivers: [...slivers].sort((a, b) => b.share_pct - a.share_pct)
      })
    }
    return segments
  })
}

/** What a segment stands for within its category: its mechanism, its gathered slivers, or null for the whole category. */
export function segmentSubject(segment: BreakdownSegment): string | null {
  if (segment.item) return segment.item.mechanism
  if (segment.slivers.length > 0) return `${segment.slivers.length} smaller mechanisms`
  return null
}

export function breakdownSegments(breakdown: Breakdown, explain?: readonly ExplainItem[] | null): BreakdownSegment[] {
  if (hasExplain(explain)) return mechanismSegments(explain)
  return BREAKDOWN_PARTS.map((part) => ({
    key: part.key,
    category: part.key,
    share: categoryShare(breakdown, part.key),
    colour: part.colour,
    item: null,
    slivers: []
  })).filter((segment) => segment.share > 0)
}
