/**
 * "What changed" between two experiments: a structural diff of the parsed
 * documents (defaults filled in), where hosts, arrays, volumes and VMs are
 * matched by id, not by position or text. A change reads
 * `hosts[h1].hypervisor: esx-3.5 → esx-4.0`; an entity present on one side
 * only reads `vms[db2]: added` or `: removed`. Lists without ids (a VM's
 * disks and NICs, the timeline) are compared by position; lists of ids (a
 * volume's hosts) as whole values.
 */
import type { Experiment } from '../experiment/schema'
import type { Change } from './schema'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Lists whose items are matched by a key other than `id`: an array's paths by host and adapter. */
const KEYED_BY: Record<string, (item: Record<string, Json>) => string | null> = {
  paths: (p) => (typeof p.host === 'string' && typeof p.via === 'string' ? `${p.host}/${p.via}` : null)
}

/** Longest value text shown in a change; longer values end in "…". */
const MAX_VALUE_CHARS = 120

export function diffExperiments(a: Experiment, b: Experiment): Change[] {
  const out: Change[] = []
  walk(a as unknown as Json, b as unknown as Json, '', '', out)
  return out
}

/** One line per change: `hosts[h1].hypervisor: esx-3.5 → esx-4.0`, `vms[db2]: added (…)`. */
export function formatChange(c: Change): string {
  if (c.kind === 'added') return `${c.path}: added${c.to ? ` (${c.to})` : ''}`
  if (c.kind === 'removed') return `${c.path}: removed${c.from ? ` (was ${c.from})` : ''}`
  return `${c.path}: ${c.from ?? '—'} → ${c.to ?? '—'}`
}

function walk(a: Json | undefined, b: Json | undefined, path: string, key: string, out: Change[]): void {
  if (a === undefined && b === undefined) return
  if (a === undefined) return void out.push({ path: path || '(file)', kind: 'added', from: null, to: show(b as Json) })
  if (b === undefined) return void out.push({ path: path || '(file)', kind: 'removed', from: show(a), to: null })
  if (Array.isArray(a) && Array.isArray(b)) return walkList(a, b, path, key, out)
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))]
    for (const k of keys) walk(a[k], b[k], path ? `${path}.${k}` : k, k, out)
    return
  }
  if (!sameValue(a, b)) out.push({ path: path || '(file)', kind: 'changed', from: show(a), to: show(b) })
}

function walkList(a: Json[], b: Json[], path: string, key: string, out: Change[]): void {
  const keyOf = listKey(a, b, key)
  if (keyOf) {
    const left = new Map(a.map((item) => [keyOf(item as Record<string, Json>)!, item]))
    const right = new Map(b.map((item) => [keyOf(item as Record<string, Json>)!, item]))
    const ids = [...left.keys(), ...[...right.keys()].filter((id) => !left.has(id))]
    for (const id of ids) {
      const here = `${path}[${id}]`
      const l = left.get(id)
      const r = right.get(id)
      if (l === undefined) out.push({ path: here, kind: 'added', from: null, to: summary(r!) })
      else if (r === undefined) out.push({ path: here, kind: 'removed', from: summary(l), to: null })
      else walk(withoutKey(l), withoutKey(r), here, '', out)
    }
    return
  }
  // A list of plain values (a volume's hosts): one change for the whole list.
  if ([...a, ...b].every((v) => !isObject(v) && !Array.isArray(v))) {
    if (!sameValue(a, b)) out.push({ path, kind: 'changed', from: show(a), to: show(b) })
    return
  }
  for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, '', out)
}

/** How the items of a list are matched: by `id` when every item has a distinct one, or by a known key. */
function listKey(a: Json[], b: Json[], key: string): ((item: Record<string, Json>) => string | null) | null {
  const items = [...a, ...b]
  if (items.length === 0 || !items.every(isObject)) return null
  const candidates = [KEYED_BY[key], (item: Record<string, Json>) => (typeof item.id === 'string' ? item.id : null)]
  for (const keyOf of candidates) {
    if (!keyOf) continue
    const distinct = (list: Json[]): boolean => {
      const keys = list.map((item) => keyOf(item as Record<string, Json>))
      return keys.every((k) => k !== null) && new Set(keys).size === keys.length
    }
    if (distinct(a) && distinct(b)) return keyOf
  }
  return null
}

/** An item matched by its id: the id itself is the match, not a field that changed. */
function withoutKey(item: Json): Json {
  if (!isObject(item) || !('id' in item)) return item
  const { id: _id, ...rest } = item
  return rest
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function sameValue(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** A value as short text: plain for scalars, flow style (`{ preset: oltp, kb: 8 }`) for the rest. */
export function show(v: Json): string {
  const text = flow(v)
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text
}

function flow(v: Json): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`
  if (isObject(v)) return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')} }`
  return String(v)
}

/** What an added or removed entity is, in a few fields: a VM's host and workload, a host's CPU and hypervisor. */
function summary(item: Json): string {
  if (!isObject(item)) return show(item)
  const keys = ['host', 'via', 'cpu', 'hypervisor', 'kind', 'on', 'protocol', 'model', 'workload', 'gbps', 'gb']
  const picked = keys.filter((k) => k in item && item[k] !== undefined).map((k) => `${k}: ${flow(item[k]!)}`)
  const text = picked.length > 0 ? picked.join(', ') : flow(withoutKey(item))
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text
}
