/**
 * All problems in one pass. When the schema refuses a document, its shape
 * errors alone would hide every reference error behind them (a user fixes a
 * typo, only to be told next that the volume does not exist). So a copy of
 * the document is mended just enough to satisfy the schema — unknown keys
 * dropped, bad values removed so their default applies, missing required
 * values filled with placeholders — and the whole-document checks run on
 * that copy. Whatever the mending may have caused is not reported: no issue
 * at or under a mended field, nor inside an item whose required field was
 * made up, nor any document-level issue once a document-level field was.
 * If the copy cannot be mended in a few rounds, only the schema's issues
 * are given, as before.
 */
import type { z } from 'zod'
import { copyValue, isRecord, valueAt } from './docValues'
import { isWithin, type PathPart } from './paths'
import { referenceProblems } from './references'
import { experimentSchema, type Experiment } from './schema'

const MAX_ROUNDS = 12
const PLACEHOLDER_ID = 'x-unset'

/** Fills for required values whose kind the issue does not say (unions). */
const UNION_FILLS: Record<string, unknown> = {
  workload: 'cpu-int',
  arrival: { process: 'closed', clients: 1 },
  service_ms: { dist: 'exponential', mean: 1 }
}

interface Mended {
  experiment: Experiment
  /** Paths whose reference issues may be artefacts of the mending. */
  quiet: PathPart[][]
  /** A top-level field was mended: document-level checks (warm-up, sample count) may be artefacts. */
  topLevel: boolean
  /** Original index of each event kept, by its index in the mended copy. */
  eventIndex: number[]
}

function parentOf(root: unknown, path: readonly PathPart[]): { parent: unknown; key: PathPart } | null {
  if (path.length === 0) return null
  let node = root
  for (const part of path.slice(0, -1)) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part]
    else if (isRecord(node) && typeof part === 'string') node = node[part]
    else return null
  }
  return { parent: node, key: path[path.length - 1]! }
}

/** The branch of a union issue that got furthest, as zodIssues reports it. */
function flatten(issues: readonly z.core.$ZodIssue[], base: readonly PathPart[] = []): { issue: z.core.$ZodIssue; path: PathPart[] }[] {
  const out: { issue: z.core.$ZodIssue; path: PathPart[] }[] = []
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathPart[])]
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a))
      if (depth(best) > 0) {
        out.push(...flatten(best, path))
        continue
      }
    }
    out.push({ issue, path })
  }
  return out
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length))
}

/** A value the schema accepts where `issue` says one is missing, or undefined when it cannot tell. */
function fillFor(issue: z.core.$ZodIssue, key: PathPart): unknown {
  if (typeof key === 'string' && Object.hasOwn(UNION_FILLS, key)) return copyValue(UNION_FILLS[key])
  if (issue.code === 'invalid_value' && issue.values.length > 0) return issue.values[0]
  if (issue.code !== 'invalid_type') return undefined
  switch (issue.expected) {
    case 'string':
      return PLACEHOLDER_ID
    case 'number':
      return 1
    case 'boolean':
      return false
    case 'array':
      return []
    case 'object':
      return {}
    default:
      return undefined
  }
}

function mend(value: unknown): Mended | null {
  const doc = copyValue(value)
  const quiet: PathPart[][] = []
  let topLevel = false
  const eventIndex = isRecord(doc) && Array.isArray(doc.events) ? doc.events.map((_, i) => i) : []
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const parsed = experimentSchema.safeParse(doc)
    if (parsed.success) return { experiment: parsed.data, quiet, topLevel, eventIndex }
    let progress = false
    const removedEvents: number[] = []
    for (const { issue, path: issuePath } of flatten(parsed.error.issues)) {
      // A discriminator that names no form (`do: explode`): the whole object is what must change.
      const path = issue.code === 'invalid_union' && issue.errors.length === 0 && issuePath.length >= 2 ? issuePath.slice(0, -1) : issuePath
      if (issue.code === 'unrecognized_keys') {
        const node = valueAt(doc, path)
        if (isRecord(node)) for (const k of issue.keys) progress = delete node[k] || progress
        continue
      }
      const at = parentOf(doc, path)
      if (!at) {
        if (path.length === 0) return null
        continue
      }
      if (path.length === 1) topLevel = true
      const { parent, key } = at
      // An event that is not any known kind: leave it out (nothing refers to events).
      if (path[0] === 'events' && typeof path[1] === 'number' && path.length === 2) {
        if (!removedEvents.includes(path[1])) removedEvents.push(path[1])
        continue
      }
      const present = isRecord(parent) ? Object.hasOwn(parent, key as string) && parent[key as string] !== undefined : Array.isArray(parent) ? parent[key as number] !== undefined : false
      if (present && isRecord(parent)) {
        // A wrong value: drop it, so that its default applies (or, next round, a placeholder).
        delete parent[key as string]
        quiet.push(path)
        progress = true
        continue
      }
      const fill = fillFor(issue, key)
      if (fill === undefined) return null
      if (isRecord(parent)) parent[key as string] = fill
      else if (Array.isArray(parent) && typeof key === 'number') parent[key] = fill
      else return null
      // A made-up required value can upset anything in the item that holds it.
      quiet.push(path.length > 1 ? path.slice(0, -1) : path)
      progress = true
    }
    if (removedEvents.length > 0 && isRecord(doc) && Array.isArray(doc.events)) {
      const events = doc.events as unknown[]
      for (const index of removedEvents.sort((a, b) => b - a)) {
        events.splice(index, 1)
        eventIndex.splice(index, 1)
      }
      progress = true
    }
    if (!progress) return null
  }
  return null
}

/** Maps an issue path of the mended copy back to the document's own (events may have been left out). */
function originalPath(path: readonly PathPart[], eventIndex: readonly number[]): PathPart[] {
  if (path[0] !== 'events' || typeof path[1] !== 'number') return [...path]
  return ['events', eventIndex[path[1]] ?? path[1], ...path.slice(2)]
}

/**
 * The whole-document issues of a document the schema refused, computed on a
 * mended copy, minus those the mending may have caused or that repeat a place
 * the schema already named. Empty when the copy cannot be mended.
 */
export function referenceIssuesDespite(value: unknown, schemaPaths: readonly PathPart[][]): { path: PathPart[]; message: string }[] {
  const mended = mend(value)
  if (!mended) return []
  const quiet = [...mended.quiet, ...schemaPaths]
  const hostsTouched = new Set<string>()
  for (const q of quiet) {
    if (q[0] === 'hosts' && typeof q[1] === 'number') {
      const id = mended.experiment.hosts[q[1]]?.id
      if (id) hostsTouched.add(id)
    }
  }
  const out: { path: PathPart[]; message: string }[] = []
  for (const issue of referenceProblems(mended.experiment)) {
    const path = originalPath(issue.path, mended.eventIndex)
    if (quiet.some((q) => isWithin(path, q) || isWithin(q, path))) continue
    if (mended.topLevel && (path.length === 1 || (path[0] === 'events' && path[2] === 'at_s'))) continue
    // A host with a mended field may have lost its true size or CPU: its VMs' size checks prove nothing.
    if (path[0] === 'vms' && typeof path[1] === 'number' && (path[2] === 'memory_gb' || path[2] === 'vcpus')) {
      const host = mended.experiment.vms[path[1]]?.host
      if (host && hostsTouched.has(host)) continue
    }
    out.push({ path, message: issue.message })
  }
  return out
}

