/**
 * From text to a checked experiment: its size and structure bounded first
 * (bounds.ts), then YAML or JSON (YAML is a superset, so one parser reads
 * both), then the schema and the whole-document checks, all in one pass
 * (repair.ts), so the user sees every problem at once. Every problem
 * comes back as `{ path, message }`, never as an exception; its path names the
 * id of each listed item on the way (`vms[3] (iscsi-db).disks[0].on`), and a
 * misspelled key is told the key it probably meant.
 */
import { parseDocument } from 'yaml'
import type { z } from 'zod'
import { errorMessage, type Issue } from '../errors'
import { checkTextBounds } from './bounds'
import { formatPath, labelPath, type PathPart } from './paths'
import { referenceIssuesDespite } from './repair'
import { referenceProblems } from './references'
import { keysAt, slotAt } from './schemaShape'
import { experimentSchema, type Experiment } from './schema'
import { didYouMean } from './suggest'
import { checkSweep } from './sweep'

export type ParseOutcome = { ok: true; experiment: Experiment } | { ok: false; issues: Issue[] }

export function parseExperimentText(text: string): ParseOutcome {
  if (text.trim() === '') return { ok: false, issues: [{ path: '(file)', message: 'is empty' }] }
  const bounds = checkTextBounds(text)
  if (bounds.length > 0) return { ok: false, issues: bounds }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = e.linePos?.[0]
        const where = pos ? `line ${pos.line}, column ${pos.col}: ` : ''
        const what = firstLine(e.message).replace(/ at line \d+, column \d+:?$/, '')
        if (/call stack/i.test(what)) return { path: '(file)', message: 'is nested too deeply to read' }
        return { path: '(file)', message: `is not valid YAML or JSON: ${where}${what}` }
      })
    }
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES })
  } catch (err) {
    // The YAML library refuses alias bombs by throwing; the user gets a sentence instead.
    const why = err instanceof RangeError ? 'it is nested too deeply' : errorMessage(err)
    return { ok: false, issues: [{ path: '(file)', message: `cannot be read: ${why}` }] }
  }
  try {
    return parseExperiment(value)
  } catch (err) {
    if (err instanceof RangeError) return { ok: false, issues: [{ path: '(file)', message: 'is nested too deeply to read' }] }
    throw err
  }
}

/** Anchors and aliases are welcome (one VM template, many VMs) but not unbounded. */
const MAX_ALIASES = 10_000

export function parseExperiment(value: unknown): ParseOutcome {
  const parsed = experimentSchema.safeParse(value, { reportInput: true })
  if (parsed.success) {
    // A sweep is checked point by point: each point is a whole experiment.
    if (parsed.data.sweep) {
      const issues = checkSweep(parsed.data, checkPoint)
      return issues.length > 0 ? { ok: false, issues } : { ok: true, experiment: parsed.data }
    }
    const problems = referenceProblems(parsed.data)
    if (problems.length === 0) return { ok: true, experiment: parsed.data }
    return { ok: false, issues: problems.map((p) => ({ path: labelPath(p.path, value), message: p.message })) }
  }
  const schema = schemaProblems(parsed.error.issues, [], true)
  const references = referenceIssuesDespite(value, schema.map((p) => p.path))
  return { ok: false, issues: [...schema, ...references].map((p) => ({ path: labelPath(p.path, value), message: p.message })) }
}

/** The schema and reference problems of one sweep point's document, paths naming ids. */
function checkPoint(doc: unknown): Issue[] {
  const parsed = experimentSchema.safeParse(doc, { reportInput: true })
  const problems = parsed.success ? referenceProblems(parsed.data) : schemaProblems(parsed.error.issues, [], true)
  return problems.map((p) => ({ path: labelPath(p.path, doc), message: p.message }))
}

interface Problem {
  path: PathPart[]
  message: string
}

/** Flattens zod's issues into `path: message` lines a user can act on. */
export function zodIssues(raw: readonly z.core.$ZodIssue[], base: ReadonlyArray<PropertyKey> = []): Issue[] {
  return schemaProblems(raw, base.map(part), false).map((p) => ({ path: formatPath(p.path), message: p.message }))
}

function part(p: PropertyKey): PathPart {
  return typeof p === 'number' ? p : String(p)
}

/** zod's issues as problems at path parts; `experiment` says the keys can be looked up in the experiment schema. */
function schemaProblems(raw: readonly z.core.$ZodIssue[], base: readonly PathPart[], experiment: boolean): Problem[] {
  const out: Problem[] = []
  for (const issue of raw) {
    const path = [...base, ...issue.path.map(part)]
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = experiment ? keysAt(path) : []
        for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown field${didYouMean(key, known)}` })
        break
      }
      case 'invalid_union': {
        // Report the branch that got furthest: the user meant that form.
        const branches = issue.errors
        const best = branches.length > 0 ? branches.reduce((a, b) => (depth(b) > depth(a) ? b : a)) : []
        if (best.length > 0 && depth(best) > 0) out.push(...schemaProblems(best, path, experiment))
        else {
          // A discriminator (`do`, `process`, `dist`) that names no form: say which forms there are.
          const forms = experiment && branches.length === 0 ? slotAt(path).values : []
          out.push({ path, message: forms.length > 0 ? oneOf(forms) : describe(issue) })
        }
        break
      }
      default:
        out.push({ path, message: describe(issue) })
    }
  }
  return out
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'invalid_type' ? 0 : 0.5)))
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `is required (${issue.expected})` : `must be ${article(issue.expected)}, not ${kindOf(issue.input)}`
    case 'invalid_value':
      return oneOf(issue.values)
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`
      if (issue.origin === 'string') return 'must not be empty'
      return issue.inclusive ? `must be at least ${String(issue.minimum)}` : `must be greater than ${String(issue.minimum)}`
    case 'too_big':
      if (issue.origin === 'array') return `has too many items (at most ${String(issue.maximum)})`
      if (issue.origin === 'string') return `is too long (at most ${String(issue.maximum)} characters)`
      return `must be at most ${String(issue.maximum)}`
    case 'invalid_union':
      return 'does not match any accepted form'
    default:
      return issue.message
  }
}

function oneOf(values: readonly unknown[]): string {
  return values.length === 1 ? `must be ${JSON.stringify(values[0])}` : `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`
}

function kindOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v)
  return `${typeof v} ${String(v)}`
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s
}
