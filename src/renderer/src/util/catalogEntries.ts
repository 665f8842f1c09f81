/**
 * Reading catalog entries without knowing their section: an entry is a plain
 * record with an `id`, usually a `name`, and a `sources` map from field name
 * to citation. Sections added to the catalog later (storage, …) are read the
 * same way, so the Catalog view needs no change when one appears.
 */
import { MISSING } from './format'

export type CatalogEntry = Record<string, unknown>

/** Fields that describe an entry rather than measure it: never given a column of their own. */
const META_FIELDS = new Set(['id', 'name', 'sources', 'description', 'notes'])
/** Most summary columns a section table shows beside id and name. */
const MAX_COLUMNS = 5
const MAX_COLUMN_TEXT = 32

const SECTION_LABELS: Record<string, string> = { cpus: 'CPUs' }

export function sectionLabel(section: string): string {
  const known = SECTION_LABELS[section]
  if (known) return known
  const words = section.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** `ioCyclesPerRequest` → `io cycles per request`, `read_pct` → `read pct`: a field name as words. */
export function fieldLabel(field: string): string {
  return field
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
}

export function entryId(entry: CatalogEntry, index: number): string {
  return typeof entry.id === 'string' && entry.id !== '' ? entry.id : `#${index + 1}`
}

export function entryName(entry: CatalogEntry): string {
  return typeof entry.name === 'string' ? entry.name : ''
}

export function entrySources(entry: CatalogEntry): Record<string, string> {
  const raw = entry.sources
  if (!isRecord(raw)) return {}
  return Object.fromEntries(Object.entries(raw).filter((pair): pair is [string, string] => typeof pair[1] === 'string'))
}

/** Case-insensitive match of every word of `query` against the entry's id or name. */
export function entryMatches(entry: CatalogEntry, index: number, query: string): boolean {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const haystack = `${entryId(entry, index)} ${entryName(entry)}`.toLowerCase()
  return words.every((word) => haystack.includes(word))
}

type Scalar = string | number | boolean | null

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 })
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6, useGrouping: false })

/** Numbers exact, grouped from 10,000 up (so a year stays `2009`), booleans as yes/no. */
export function formatScalar(value: Scalar | undefined): string {
  if (value === null || value === undefined) return MISSING
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value)
    return (Math.abs(value) >= 10_000 ? grouped : plain).format(value)
  }
  return value
}

/** Any value in one line: scalars as themselves, lists joined, records as `key: value` pairs. */
export function formatValue(value: unknown): string {
  if (isScalar(value) || value === undefined) return formatScalar(value)
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(formatValue).join(value.some(isRecord) ? '; ' : ', ')
  if (isRecord(value)) {
    const pairs = Object.entries(value)
    return pairs.length === 0 ? 'none' : pairs.map(([key, inner]) => `${fieldLabel(key)} ${formatValue(inner)}`).join(' · ')
  }
  return String(value)
}

/**
 * Up to MAX_COLUMNS fields worth a column in a section's table: short
 * scalars that every entry of the section has, in the first entry's order.
 */
export function summaryColumns(entries: readonly CatalogEntry[]): string[] {
  const first = entries[0]
  if (!first) return []
  return Object.keys(first)
    .filter((field) => !META_FIELDS.has(field))
    .filter((field) =>
      entries.every((entry) => {
        const value = entry[field]
        return isScalar(value) && (typeof value !== 'string' || value.length <= MAX_COLUMN_TEXT)
      })
    )
    .slice(0, MAX_COLUMNS)
}

/** A record of a few scalars reads best on one line (`cycles 2250 · exits 1`). */
const INLINE_RECORD_FIELDS = 4

export interface FieldRow {
  /** `ghz`, or `perOp.instructions` for a field inside a record. */
  path: string
  /** The last part of the path, as words. */
  label: string
  depth: 0 | 1
  value: string
  /** A number that cites no source, itself or through the record it is in: worth pointing out. */
  unsourced: boolean
  /** A record whose fields follow as their own rows. */
  group: boolean
  source: string | null
}

/**
 * Every field of an entry with the source of each: top-level fields, then
 * the fields of a record one level down (their source is `sources['a.b']`,
 * else `sources['b']`), then any source naming no field, so none is hidden.
 */
export function describeEntry(entry: CatalogEntry): { rows: FieldRow[]; otherSources: [string, string][] } {
  const sources = entrySources(entry)
  const used = new Set<string>()
  const take = (...keys: string[]): string | null => {
    for (const key of keys) {
      if (Object.hasOwn(sources, key)) {
        used.add(key)
        return sources[key]!
      }
    }
    return null
  }

  const rows: FieldRow[] = []
  for (const [field, value] of Object.entries(entry)) {
    if (field === 'sources') continue
    const inner = isRecord(value) ? Object.entries(value) : []
    const ownSources = inner.some(([key]) => Object.hasOwn(sources, `${field}.${key}`) || Object.hasOwn(sources, key))
    const inline = inner.length <= INLINE_RECORD_FIELDS && inner.every(([, v]) => isScalar(v)) && !ownSources
    const group = isRecord(value) && !inline
    const source = take(field)
    rows.push({
      path: field,
      label: fieldLabel(field),
      depth: 0,
      value: group ? '' : formatValue(value),
      unsourced: (typeof value === 'number' || (!group && inner.some(([, v]) => typeof v === 'number'))) && source === null,
      group,
      source
    })
    if (!group) continue
    for (const [key, innerValue] of inner) {
      const innerSource = take(`${field}.${key}`, key)
      rows.push({
        path: `${field}.${key}`,
        label: fieldLabel(key),
        depth: 1,
        value: formatValue(innerValue),
        unsourced: typeof innerValue === 'number' && innerSource === null && source === null,
        group: false,
        source: innerSource
      })
    }
  }
  const otherSources = Object.entries(sources).filter(([key]) => !used.has(key))
  return { rows, otherSources }
}

/** A citation that says it is an estimate (`estimate: why`). */
export function isEstimate(source: string): boolean {
  return /^\s*estimate\b/i.test(source)
}

/** The source without its `estimate:` prefix, for display beside an "estimate" tag. */
export function sourceText(source: string): string {
  return isEstimate(source) ? source.replace(/^\s*estimate\b\s*:?\s*/i, '') : source
}
