/**
 * Values of an experiment document as YAML and JSON hold them (objects,
 * lists, scalars): telling an object from a list, and copying one deeply so
 * a change to the copy leaves the original as the user wrote it.
 */

/** True for an object (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A deep copy of a document value. */
export function copyValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyValue) as T
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyValue(v)])) as T
  return value
}
