/**
 * The experiment library as the contract carries it: an experiment with its
 * name, notes, tags, the hypervisors of its hosts, its versions (the file as
 * it was for each of its runs) and its latest run; the query the library is
 * searched, filtered and sorted with; imports and exports of experiment files.
 */
import { z } from 'zod'
import { LIMITS } from './limits'
import { runStatuses, runStatusSchema } from './status'

/** No control characters (a line break would break a list or a terminal line). */
const NO_CONTROLS = /^[^\p{Cc}]*$/u

export const experimentNameSchema = z
  .string()
  .trim()
  .min(1, 'a name is not empty')
  .max(LIMITS.nameChars, `a name is at most ${LIMITS.nameChars} characters`)
  .regex(NO_CONTROLS, 'a name has no control characters (line breaks, tabs)')

export const tagSchema = z
  .string()
  .trim()
  .min(1, 'a tag is not empty')
  .max(LIMITS.tagChars, `a tag is at most ${LIMITS.tagChars} characters`)
  .regex(/^[^\p{Cc},]*$/u, 'a tag has no commas or control characters')

export const tagsSchema = z
  .array(tagSchema)
  .max(LIMITS.tagsPerExperiment, `an experiment has at most ${LIMITS.tagsPerExperiment} tags`)

export const notesSchema = z.string().max(LIMITS.notesChars, `notes are at most ${LIMITS.notesChars} characters`)

/** An experiment's id as the store gives it (a UUID). */
export const experimentIdSchema = z.string().min(1).max(64)

export const lastRunSchema = z.strictObject({ id: z.string(), status: runStatusSchema, created_at: z.string() })

/** An experiment as the library lists it (without its text). */
export const experimentSummarySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  notes: z.string(),
  tags: z.array(z.string()),
  /** The hypervisors of its hosts (current version), in order of first use. */
  hypervisors: z.array(z.string()),
  created_at: z.string(),
  /** Last change of its text, name, notes or tags. */
  updated_at: z.string(),
  /** The later of updated_at and its latest run's start: what "date" sorts and filters on. */
  activity_at: z.string(),
  versions: z.number().int(),
  runs: z.number().int(),
  last_run: lastRunSchema.nullable(),
  /** Set while it is deleted but not yet purged (until the app that deleted it closes). */
  deleted_at: z.string().nullable()
})
export type ExperimentSummary = z.infer<typeof experimentSummarySchema>

/** An experiment with its current text, which is version `version` of it. */
export const experimentSchema = experimentSummarySchema.extend({ text: z.string(), version: z.number().int() })
export type Experiment = z.infer<typeof experimentSchema>

export const experimentVersionSchema = z.strictObject({
  number: z.number().int(),
  created_at: z.string(),
  /** Runs of this version (not deleted). */
  runs: z.number().int(),
  /** Whether this is the experiment's current text. */
  current: z.boolean()
})
export type ExperimentVersion = z.infer<typeof experimentVersionSchema>

/** A date (the whole day) or a date-time with its offset, ISO 8601. */
const dateBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'a date is YYYY-MM-DD or an ISO 8601 date-time such as 2026-12-01T09:30:00Z'
})

/** activity: latest activity; status: of the latest run (running first, never run last); hypervisor: the first of its hosts'. */
export const experimentSortKeys = ['activity', 'name', 'created', 'runs', 'status', 'hypervisor'] as const

/** How `experiments:list` searches, filters and sorts. Every filter given must hold (AND); a list filter matches any of its values. */
export const experimentQuerySchema = z.strictObject({
  /** Words found (case-insensitively) in the name, notes or tags; every word must be found. */
  text: z.string().max(LIMITS.nameChars).optional(),
  /** Tags it must all carry (case-insensitive). */
  tags: z.array(tagSchema).max(LIMITS.tagsPerExperiment).optional(),
  /** Hypervisor catalog ids of which one of its hosts must run one. */
  hypervisors: z.array(z.string().min(1).max(64)).max(64).optional(),
  /** Statuses of its latest run, of which it must have one; `none`: never run. */
  statuses: z
    .array(z.enum([...runStatuses, 'none'], { error: `a status is one of ${[...runStatuses, 'none'].join(', ')}` }))
    .max(runStatuses.length + 1)
    .optional(),
  /** activity_at on or after this date (a date: from the start of that day, UTC). */
  from: dateBound.optional(),
  /** activity_at on or before this date (a date: to the end of that day, UTC). */
  to: dateBound.optional(),
  sort: z.enum(experimentSortKeys).optional(),
  /** Default: ascending for name, status and hypervisor, descending for the others. */
  order: z.enum(['asc', 'desc']).optional(),
  /** List the deleted experiments awaiting purge (to undo a delete) instead of the live ones. */
  deleted: z.boolean().optional(),
  limit: z.number().int().min(1).max(10_000).optional()
})
export type ExperimentQuery = z.infer<typeof experimentQuerySchema>

const facetSchema = z.strictObject({ value: z.string(), count: z.number().int() })

export const experimentListSchema = z.strictObject({
  experiments: z.array(experimentSummarySchema),
  /** How many match before `limit`. */
  total: z.number().int(),
  /** Every tag and hypervisor in the live library with how many experiments carry it, for filter choices. */
  facets: z.strictObject({ tags: z.array(facetSchema), hypervisors: z.array(facetSchema) })
})
export type ExperimentList = z.infer<typeof experimentListSchema>

export const exportFormats = ['stored', 'yaml', 'json'] as const

/** An experiment file ready to save: a suggested file name, its media type and its text. */
export const experimentFileSchema = z.strictObject({
  file_name: z.string(),
  media_type: z.enum(['application/yaml', 'application/json']),
  text: z.string()
})

/** A line diff between two versions of an experiment's text, in unified-diff hunks. */
export const versionDiffSchema = z.strictObject({
  from: z.number().int(),
  to: z.number().int(),
  additions: z.number().int(),
  deletions: z.number().int(),
  hunks: z.array(
    z.strictObject({
      old_start: z.number().int(),
      old_lines: z.number().int(),
      new_start: z.number().int(),
      new_lines: z.number().int(),
      /** Each line prefixed with "+" (added), "-" (removed) or " " (context). */
      lines: z.array(z.string())
    })
  )
})
export type VersionDiff = z.infer<typeof versionDiffSchema>
