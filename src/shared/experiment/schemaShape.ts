/**
 * What the experiment schema allows at a place in the document: the keys an
 * object there may have, the values an enum there takes, the kind of value
 * expected. Read from the zod schema itself, so a misspelled key's "did you
 * mean" and the editor's completions can never drift from what the parser
 * accepts.
 */
import type { z } from 'zod'
import { experimentSchema } from './schema'

import type { PathPart } from './paths'
export type { PathPart }

/** What one place in the document holds, as far as completion and suggestions need to know. */
export interface SchemaSlot {
  kind: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'enum' | 'union' | 'unknown'
  /** Keys of the object (of every object form, for a union), in schema order. */
  keys: string[]
  /** Accepted values of an enum or literal. */
  values: string[]
  /** Required keys of the object form (no default, not optional). */
  required: string[]
}

interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  element?: z.ZodType
  innerType?: z.ZodType
  options?: z.ZodType[]
  in?: z.ZodType
  values?: unknown[]
  entries?: Record<string, unknown>
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def
}

/** Strips wrappers that do not change the shape (default, optional, nullable, pipe input). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema
  for (let i = 0; i < 16; i++) {
    const def = defOf(s)
    if (def.innerType && ['default', 'optional', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)) s = def.innerType
    else if (def.type === 'pipe' && def.in) s = def.in
    else break
  }
  return s
}

function isOptional(schema: z.ZodType): boolean {
  const type = defOf(schema).type
  return type === 'default' || type === 'optional' || type === 'prefault'
}

/** The schemas that may stand at `path` (several when a union is on the way); `value` picks union branches where it can. */
export function schemasAt(path: readonly PathPart[], root: z.ZodType = experimentSchema): z.ZodType[] {
  let current: z.ZodType[] = [root]
  for (const part of path) {
    const next: z.ZodType[] = []
    for (const schema of current.flatMap(branches)) {
      const def = defOf(schema)
      if (def.type === 'object' && typeof part === 'string' && def.shape && Object.hasOwn(def.shape, part)) next.push(def.shape[part]!)
      else if (def.type === 'array' && typeof part === 'number' && def.element) next.push(def.element)
    }
    current = next
    if (current.length === 0) break
  }
  return current
}

/** A schema with unions spread into their branches, wrappers stripped. */
function branches(schema: z.ZodType): z.ZodType[] {
  const s = unwrap(schema)
  const def = defOf(s)
  return def.type === 'union' && def.options ? def.options.flatMap(branches) : [s]
}

/** What the schema allows at `path` (indexes into arrays, keys into objects). */
export function slotAt(path: readonly PathPart[]): SchemaSlot {
  const found = schemasAt(path)
  const slot: SchemaSlot = { kind: 'unknown', keys: [], values: [], required: [] }
  const forms = found.flatMap(branches)
  const kinds = new Set<SchemaSlot['kind']>()
  for (const s of forms) {
    const def = defOf(s)
    switch (def.type) {
      case 'object':
        kinds.add('object')
        for (const [key, inner] of Object.entries(def.shape ?? {})) {
          if (!slot.keys.includes(key)) slot.keys.push(key)
          if (!isOptional(inner) && !slot.required.includes(key)) slot.required.push(key)
        }
        break
      case 'array':
        kinds.add('array')
        break
      case 'enum':
        kinds.add('enum')
        slot.values.push(...Object.values(def.entries ?? {}).map(String))
        break
      case 'literal':
        kinds.add('enum')
        slot.values.push(...(def.values ?? []).map(String))
        break
      case 'string':
      case 'number':
      case 'boolean':
        kinds.add(def.type)
        break
      default:
        kinds.add('unknown')
    }
  }
  if (kinds.size === 1) slot.kind = [...kinds][0]!
  else if (kinds.size > 1) slot.kind = 'union'
  return slot
}

/** The keys an object at `path` may hold, or an empty list when no object stands there. */
export function keysAt(path: readonly PathPart[]): string[] {
  return slotAt(path).keys
}
