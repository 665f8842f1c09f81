/**
 * Paths a sweep varies: `hosts[*].hypervisor`, `vms[db1].workload.arrival.clients`,
 * `vms[db1].disks[0].format`. A key names a field; brackets pick items of a
 * list by id (`[db1]`), all of them (`[*]`) or by position (`[0]`; ids start
 * with a letter, so a number is never an id). A path resolves against the
 * experiment to the concrete places it sets; one that matches nothing says
 * where it stopped matching.
 */
import { ID_PATTERN } from '../ids'
import { copyValue, isRecord } from './docValues'
import { formatPath, type PathPart } from './paths'
import { keysAt } from './schemaShape'

export type Selector = { kind: 'key'; key: string } | { kind: 'all' } | { kind: 'id'; id: string } | { kind: 'index'; index: number }
export type Place = PathPart[]

const KEY = /^[A-Za-z_][A-Za-z0-9_]*/

/** The path's parts, or why it is not a path. */
export function parseSweepPath(text: string): Selector[] | string {
  const parts: Selector[] = []
  let rest = text
  let first = true
  while (rest.length > 0) {
    if (rest.startsWith('[')) {
      if (first) return 'starts with "[": begin with a field name, e.g. vms[db1].vcpus'
      const end = rest.indexOf(']')
      if (end < 0) return `has a "[" without its "]"`
      const inside = rest.slice(1, end)
      if (inside === '*') parts.push({ kind: 'all' })
      else if (/^\d+$/.test(inside)) parts.push({ kind: 'index', index: Number(inside) })
      else if (ID_PATTERN.test(inside)) parts.push({ kind: 'id', id: inside })
      else return `has "[${inside}]": brackets hold an id, * for all, or a position`
      rest = rest.slice(end + 1)
    } else {
      if (!first) {
        if (!rest.startsWith('.')) return `has "${rest.slice(0, 12)}" where "." or "[" should come`
        rest = rest.slice(1)
      }
      const key = KEY.exec(rest)?.[0]
      if (!key) return `has "${rest.slice(0, 12) || 'nothing'}" where a field name should come`
      parts.push({ kind: 'key', key })
      rest = rest.slice(key.length)
    }
    first = false
  }
  if (parts.length === 0) return 'is empty'
  return parts
}

/**
 * The places `path` sets in `doc`, or why it matches nothing. Every field on
 * the way must be in the experiment (defaults count: the document is the
 * parsed one); the last field may be absent when the schema has it there
 * (an optional field such as a disk's `format`).
 */
export function resolveSweepPath(doc: unknown, path: readonly Selector[]): Place[] | string {
  let current: { place: Place; node: unknown }[] = [{ place: [], node: doc }]
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!
    const last = i === path.length - 1
    const next: { place: Place; node: unknown }[] = []
    for (const { place, node } of current) {
      const here = formatPath(place)
      if (part.kind === 'key') {
        const known = keysAt(place)
        if (!isRecord(node)) {
          if (typeof node === 'string' && known.includes('preset') && known.includes(part.key)) {
            return `${here} is the catalog name "${node}"; write it as { preset: ${node} } to sweep its field "${part.key}"`
          }
          return `${here} is ${describe(node)}, which has no field "${part.key}"`
        }
        if (Object.hasOwn(node, part.key)) next.push({ place: [...place, part.key], node: node[part.key] })
        else if (last && known.includes(part.key)) next.push({ place: [...place, part.key], node: undefined })
        else if (known.includes(part.key)) {
          const whole = formatPath([...place, part.key])
          return `${whole} is not in the experiment, so nothing inside it can be set; sweep ${whole} itself, with whole values`
        } else {
          return `${here === '(file)' ? 'an experiment' : here} has no field "${part.key}"${known.length > 0 ? ` (fields: ${known.join(', ')})` : ''}`
        }
      } else {
        if (!Array.isArray(node)) return `${here} is ${describe(node)}, not a list, so "${selectorText(part)}" picks nothing`
        if (part.kind === 'all') {
          if (node.length === 0) return `${here} is an empty list`
          node.forEach((item, k) => next.push({ place: [...place, k], node: item }))
        } else if (part.kind === 'index') {
          if (part.index >= node.length) return `${here} has ${node.length} item${node.length === 1 ? '' : 's'}, so [${part.index}] is past its end`
          next.push({ place: [...place, part.index], node: node[part.index] })
        } else {
          const k = node.findIndex((item) => isRecord(item) && item.id === part.id)
          if (k < 0) {
            const ids = node.flatMap((item) => (isRecord(item) && typeof item.id === 'string' ? [item.id] : []))
            return ids.length > 0
              ? `${here} has no item with id "${part.id}" (ids: ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ', …' : ''})`
              : `the items of ${here} have no ids; pick them by position ([0]) or all ([*])`
          }
          next.push({ place: [...place, k], node: node[k] })
        }
      }
    }
    current = next
  }
  return current.map((c) => c.place)
}

function selectorText(s: Selector): string {
  return s.kind === 'all' ? '[*]' : s.kind === 'index' ? `[${s.index}]` : s.kind === 'id' ? `[${s.id}]` : s.key
}

function describe(v: unknown): string {
  if (v === undefined) return 'absent'
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'string') return `the name "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`
  return typeof v === 'object' ? 'an object' : `the ${typeof v} ${String(v)}`
}

/** Sets `value` (a copy) at `place` in `doc`, which resolveSweepPath has checked. */
export function setAt(doc: Record<string, unknown>, place: Place, value: unknown): void {
  let node: unknown = doc
  for (let i = 0; i < place.length - 1; i++) node = (node as Record<string | number, unknown>)[place[i]!]
  ;(node as Record<string | number, unknown>)[place[place.length - 1]!] = copyValue(value)
}
