/**
 * Reading an experiment that may not be valid yet. While a user builds, the
 * document is often incomplete (a volume not yet placed, a misspelled key);
 * the canvas still draws what is there. These helpers read the plain value
 * of the YAML without trusting its shape.
 */
import { isRecord } from '../api/shared'

export type Rec = Record<string, unknown>

/** True for an object (not a list, not null): the experiment format's own test. */
export const isRec: (value: unknown) => value is Rec = isRecord

/** The value at `path`, or undefined where the document has no such place. */
export { valueAt } from '../api/shared'

export function list(value: unknown): Rec[] {
  return Array.isArray(value) ? value.map((v) => (isRec(v) ? v : {})) : []
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** The experiment's top-level lists, each as records. */
export interface LooseExperiment {
  root: Rec
  hosts: Rec[]
  arrays: Rec[]
  volumes: Rec[]
  vms: Rec[]
  events: Rec[]
}

export function loose(value: unknown): LooseExperiment {
  const root = isRec(value) ? value : {}
  return {
    root,
    hosts: list(root.hosts),
    arrays: list(root.arrays),
    volumes: list(root.volumes),
    vms: list(root.vms),
    events: list(root.events)
  }
}

/** Omit the given keys of a record (a shallow copy). */
export function without(record: Rec, keys: readonly string[]): Rec {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)))
}
