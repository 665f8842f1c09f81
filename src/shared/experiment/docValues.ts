/**
 * Values of an experiment document as YAML and JSON hold them (objects,
 * lists, scalars): telling an object from a list, reading the value at a
 * path without trusting the document's shape, and copying one deeply so a
 * change to the copy leaves the original as the user wrote it.
 */
import type { PathPart } from './paths'

/** True for an object (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value at `path` (`['vms', 2, 'disks']`), or undefined where the document has no such place. */
export function valueAt(root: unknown, path: readonly PathPart[]): unknown {
  let node = root
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part]
    else if (isRecord(node) && typeof part === 'string') node = node[part]
    else return undefined
  }
  return node
}

/** A deep copy of a document value. */
export function copyValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyValue) as T
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyValue(v)])) as T
  return value
}
