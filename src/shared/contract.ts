/**
 * The LabApi contract: every call the UI can make and every event it can
 * receive, with the schema of each payload. The preload bridge, the Electron
 * IPC registration, the browser-mode server and client, and the renderer's
 * client are all derived from `commands` and `events`, so a call without a
 * handler, or a handler for no call, fails to compile.
 */
import { z } from 'zod'
import { COMMAND_NAMES, EVENT_NAMES } from './channels'
import { comparisonSchema } from './compare/schema'
import { issueSchema } from './errors'
import { LIMITS } from './limits'
import {
  experimentFileSchema,
  experimentIdSchema,
  experimentListSchema,
  experimentNameSchema,
  experimentQuerySchema,
  experimentSchema,
  experimentVersionSchema,
  exportFormats,
  notesSchema,
  tagsSchema,
  versionDiffSchema
} from './library'
import { reportFileSchema, reportRequestSchema, reportSavedSchema } from './report'
import { runPaceSchema } from './pace'
import { runEventKindSchema, runEventSchema, runSeriesSchema, summaryAtSchema, verificationSchema } from './replay'
import { utf8Length } from './textSize'
import { arraySampleSchema, runResultSchema, sampleSchema } from './result'
import { runStatusSchema } from './status'
import { validationReportSchema } from './validation'
import { sweepDetailSchema, sweepRecordSchema } from './sweeps'

export { runStatuses, runStatusSchema, type RunStatus } from './status'
export type { Experiment, ExperimentList, ExperimentQuery, ExperimentSummary, ExperimentVersion } from './library'

const runId = z.string().min(1).max(64)
const sweepId = z.string().min(1).max(64)
/** Experiment text: its UTF-8 size is checked where it is read, with an issue naming it; no text within that size is refused here. */
const text = z.string().max(LIMITS.textBytes)
/** A run's pause state: the reply to runs:pause and runs:resume, and the run:paused event. */
const pausedSchema = z.strictObject({ run_id: z.string(), paused: z.boolean() })

export const exampleSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  text: z.string()
})

export const runRecordSchema = z.strictObject({
  id: z.string(),
  experiment_id: z.string(),
  experiment_name: z.string(),
  status: runStatusSchema,
  seed: z.number(),
  duration_s: z.number(),
  created_at: z.string(),
  ended_at: z.string().nullable(),
  wall_ms: z.number().nullable(),
  progress: z.number(),
  checksum: z.string().nullable(),
  error: z.string().nullable(),
  /** Which version of its experiment it ran (null: the experiment's versions were not kept then). */
  version: z.number().int().nullable(),
  /** The Hyperlab version that ran it (null: stored before it was recorded). */
  app_version: z.string().nullable()
})
export type RunRecord = z.infer<typeof runRecordSchema>

/** Where a node the user moved on the canvas stands, by node id (`vm:db1`); nodes not listed are laid out automatically. */
export const layoutSchema = z
  .record(z.string().max(300), z.strictObject({ x: z.number().finite(), y: z.number().finite() }))
  .refine((layout) => utf8Length(JSON.stringify(layout)) <= LIMITS.layoutBytes, { message: `is more than ${LIMITS.layoutBytes} bytes of positions` })

/**
 * The experiment being built, as autosaved: its text (valid or not yet), the
 * saved experiment it was opened from or last saved as, where it came from,
 * and the canvas positions the user chose. A reload or a crash loses nothing.
 */
export const draftSchema = z.strictObject({
  text,
  experiment_id: z.string().max(64).nullable(),
  /** What the builder says it is editing: "Example: …", "File: …", "Saved experiment". */
  origin: z.string().max(500),
  layout: layoutSchema,
  updated_at: z.string()
})
export type Draft = z.infer<typeof draftSchema>

export const validationSchema = z.strictObject({
  ok: z.boolean(),
  issues: z.array(issueSchema),
  name: z.string().nullable(),
  vms: z.array(z.string()),
  /** A valid sweep: how many points and runs it spans (null for one run). */
  sweep: z
    .strictObject({ points: z.number().int(), replications: z.number().int(), runs: z.number().int(), parameters: z.array(z.string()) })
    .nullable()
    .optional()
})

/** Calls: `domain:verb` → input and output schemas. */
export const commands = {
  'app:info': {
    input: z.strictObject({}),
    output: z.strictObject({
      version: z.string(),
      mode: z.enum(['desktop', 'browser', 'cli']),
      data_path: z.string()
    })
  },
  'examples:list': {
    input: z.strictObject({}),
    output: z.array(exampleSchema)
  },
  'experiments:validate': {
    input: z.strictObject({ text }),
    output: validationSchema
  },
  /** Saves a new experiment (identical text already kept is reused), or a new text for `id` (a new version when new to it). */
  'experiments:save': {
    input: z.strictObject({ text, id: experimentIdSchema.optional() }),
    output: experimentSchema
  },
  /** The library, searched, filtered and sorted (see experimentQuerySchema). */
  'experiments:list': {
    input: experimentQuerySchema,
    output: experimentListSchema
  },
  /** One experiment with its versions and its runs (newest first). */
  'experiments:get': {
    input: z.strictObject({ id: experimentIdSchema }),
    output: z.strictObject({ experiment: experimentSchema, versions: z.array(experimentVersionSchema), runs: z.array(runRecordSchema) })
  },
  /** Renames (the file's `name` is rewritten: a new version), or sets notes or tags. */
  'experiments:update': {
    input: z.strictObject({ id: experimentIdSchema, name: experimentNameSchema.optional(), notes: notesSchema.optional(), tags: tagsSchema.optional() }),
    output: experimentSchema
  },
  /** A copy with its notes and tags and no runs, named "NAME (copy)" unless `name` is given. */
  'experiments:duplicate': {
    input: z.strictObject({ id: experimentIdSchema, name: experimentNameSchema.optional() }),
    output: experimentSchema
  },
  /** Deletes it and hides its runs, undoably until the app that deleted it closes (experiments:restore). */
  'experiments:delete': {
    input: z.strictObject({ id: experimentIdSchema }),
    output: z.strictObject({ id: z.string(), deleted_at: z.string(), runs: z.number().int() })
  },
  'experiments:restore': {
    input: z.strictObject({ id: experimentIdSchema }),
    output: experimentSchema
  },
  /** The text of one version. */
  'experiments:version': {
    input: z.strictObject({ id: experimentIdSchema, number: z.number().int().min(1) }),
    output: z.strictObject({ number: z.number().int(), created_at: z.string(), text: z.string() })
  },
  /** What changed in the text from version `from` to version `to`. */
  'experiments:diff': {
    input: z.strictObject({ id: experimentIdSchema, from: z.number().int().min(1), to: z.number().int().min(1) }),
    output: versionDiffSchema
  },
  /** Reads an experiment file's text (as experiments:save does) into the library. */
  'experiments:import': {
    input: z.strictObject({ text, file_name: z.string().max(4096).optional() }),
    output: z.strictObject({ experiment: experimentSchema, created: z.boolean() })
  },
  /** An experiment's file: as stored (default), or converted to YAML or JSON; its current text or version `version`. */
  'experiments:export': {
    input: z.strictObject({ id: experimentIdSchema, version: z.number().int().min(1).optional(), format: z.enum(exportFormats).optional() }),
    output: experimentFileSchema
  },
  'drafts:get': {
    input: z.strictObject({}),
    output: draftSchema.nullable()
  },
  'drafts:save': {
    input: draftSchema.omit({ updated_at: true }),
    output: z.strictObject({ updated_at: z.string() })
  },
  /**
   * Starts a run; with `experiment_id` the run belongs to that library experiment (its text becomes the experiment's current one).
   * `pace` holds simulated time to real time × 1, 10 or 100 (default "max": as fast as possible).
   */
  'runs:start': {
    input: z.strictObject({
      text,
      seed: z.number().int().min(0).max(4_294_967_295).optional(),
      experiment_id: experimentIdSchema.optional(),
      pace: runPaceSchema.optional()
    }),
    output: runRecordSchema
  },
  'runs:cancel': {
    input: z.strictObject({ run_id: runId }),
    output: runRecordSchema
  },
  'runs:pause': {
    input: z.strictObject({ run_id: runId }),
    output: pausedSchema
  },
  'runs:resume': {
    input: z.strictObject({ run_id: runId }),
    output: pausedSchema
  },
  'runs:list': {
    input: z.strictObject({ limit: z.number().int().min(1).max(10_000).optional(), experiment_id: experimentIdSchema.optional() }),
    output: z.array(runRecordSchema)
  },
  /** Deletes a run that has ended, with its samples and events, undoably until the app that deleted it closes (runs:restore). */
  'runs:delete': {
    input: z.strictObject({ run_id: runId }),
    output: z.strictObject({ run_id: z.string(), deleted_at: z.string(), samples: z.number().int() })
  },
  'runs:restore': {
    input: z.strictObject({ run_id: runId }),
    output: runRecordSchema
  },
  /** Stored samples over a range of simulated time, as series on one axis, merged to at most `max_points` per VM. */
  'runs:samples': {
    input: z.strictObject({
      run_id: runId,
      from_ms: z.number().min(0).optional(),
      to_ms: z.number().min(0).optional(),
      /** Points per VM at most (a chart's width in pixels, say); default 2000. */
      max_points: z.number().int().min(2).max(100_000).optional(),
      /** Only these VMs (default: all). */
      vms: z.array(z.string().max(64)).max(1024).optional()
    }),
    output: runSeriesSchema
  },
  /** The run's summary as it stood at simulated time `t_ms`, computed from its stored samples (see vmSummaryAtSchema for what is exact). */
  'runs:summaryAt': {
    input: z.strictObject({ run_id: runId, t_ms: z.number().min(0) }),
    output: summaryAtSchema
  },
  /** The run's notable events in time order, optionally only some kinds. */
  'runs:events': {
    input: z.strictObject({ run_id: runId, kinds: z.array(runEventKindSchema).max(16).optional() }),
    output: z.array(runEventSchema)
  },
  'runs:get': {
    input: z.strictObject({
      run_id: runId,
      /** Samples per VM at most (default 1000); longer runs come back merged into equal buckets. */
      max_points: z.number().int().min(100).max(100_000).optional(),
      /** false: no samples (the record, text and summary only; charts then come from runs:samples). */
      samples: z.boolean().optional()
    }),
    output: z.strictObject({
      run: runRecordSchema,
      experiment_text: z.string(),
      result: runResultSchema.nullable(),
      samples: z.array(sampleSchema),
      /** Width of the merged buckets, ms; null when every window is there. */
      samples_bucket_ms: z.number().nullable(),
      /** The SAN arrays' samples in the same buckets; empty for a run stored before they were recorded (or without arrays). */
      array_samples: z.array(arraySampleSchema)
    })
  },
  /** Simulates a finished run again from its stored experiment and seed; says what differs when it is not identical. */
  'runs:verify': {
    input: z.strictObject({ run_id: runId }),
    output: verificationSchema
  },
  'runs:compare': {
    /** The first run is (in) the reference arm. */
    input: z.strictObject({ run_ids: z.array(runId).min(2).max(64) }),
    output: comparisonSchema
  },
  'reports:render': {
    input: reportRequestSchema,
    output: reportFileSchema
  },
  /** Desktop app: renders the report, asks where to save it and writes it there. */
  'reports:save': {
    input: reportRequestSchema,
    output: reportSavedSchema
  },
  'catalog:get': {
    input: z.strictObject({}),
    output: z.record(z.string(), z.array(z.record(z.string(), z.unknown())))
  },
  /** Runs the published cases (fitted and validation) on an engine thread; the answer is kept for the session. */
  'validation:run': {
    input: z.strictObject({}),
    output: validationReportSchema
  },
  /** Records a sweep (an experiment with a sweep block) and starts its points on this machine. */
  'sweeps:start': {
    input: z.strictObject({ text }),
    output: sweepRecordSchema
  },
  'sweeps:list': {
    input: z.strictObject({ limit: z.number().int().min(1).max(10_000).optional() }),
    output: z.array(sweepRecordSchema)
  },
  'sweeps:get': {
    input: z.strictObject({
      sweep_id: sweepId,
      /** The VM whose statistics each point carries; the first VM when omitted. */
      vm: z.string().min(1).max(64).optional()
    }),
    output: sweepDetailSchema
  },
  'sweeps:cancel': {
    input: z.strictObject({ sweep_id: sweepId }),
    output: sweepRecordSchema
  },
  /** Runs, on this machine, the points of an ended sweep that have no finished run. */
  'sweeps:resume': {
    input: z.strictObject({ sweep_id: sweepId }),
    output: sweepRecordSchema
  }
} as const satisfies Record<(typeof COMMAND_NAMES)[number], { input: z.ZodType; output: z.ZodType }>

/** Events the main process pushes to every subscriber. */
export const events = {
  'run:progress': z.strictObject({ run_id: z.string(), progress: z.number(), simulated_s: z.number() }),
  'run:samples': z.strictObject({
    run_id: z.string(),
    samples: z.array(sampleSchema),
    /** The SAN arrays' samples of the same windows; absent when the experiment has no array. */
    arrays: z.array(arraySampleSchema).optional()
  }),
  'run:paused': pausedSchema,
  /** A queued run got an engine slot and is running now. */
  'run:started': z.strictObject({ run: runRecordSchema }),
  'run:ended': z.strictObject({ run: runRecordSchema, result: runResultSchema.nullable() }),
  /** Notable events of a live run, as they are stored (runs:events gives them all later). */
  'run:events': z.strictObject({ run_id: z.string(), events: z.array(runEventSchema) }),
  /** Desktop app: the system handed it an experiment file (double-click, "Open with", a second launch, File ▸ Open). */
  'experiment:opened': z.strictObject({ name: z.string().max(1024), path: z.string().max(4096), text }),
  'validation:progress': z.strictObject({ done: z.number().int().min(0), total: z.number().int().min(0) }),
  /** A run of the sweep started or ended: its counts as they now stand. */
  'sweep:progress': z.strictObject({ sweep: sweepRecordSchema }),
  'sweep:ended': z.strictObject({ sweep: sweepRecordSchema })
} as const satisfies Record<(typeof EVENT_NAMES)[number], z.ZodType>

export type Commands = typeof commands
export type CommandName = keyof Commands
export type EventName = keyof typeof events
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>
export type ParsedInput<K extends CommandName> = z.output<Commands[K]['input']>
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['output']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

// Both directions: every listed name has a schema (above) and every schema a listed name (here).
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const namesMatch: Exactly<CommandName, (typeof COMMAND_NAMES)[number]> &
  Exactly<EventName, (typeof EVENT_NAMES)[number]> = true
void namesMatch

export const commandNames: readonly CommandName[] = COMMAND_NAMES

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name)
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}

type Domain<K extends string> = K extends `${infer D}:${string}` ? D : never
type Verb<K extends string, D extends string> = K extends `${D}:${infer V}` ? V : never

/** The API as the renderer sees it: `api.runs.start({ text })`, `api.on('run:samples', fn)`. */
export type LabApi = {
  [D in Domain<CommandName>]: {
    [K in CommandName as Verb<K, D>]: (input: CommandInput<K>) => Promise<CommandOutput<K>>
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** What main implements: one handler per call, given the parsed input. */
export type Handlers = {
  [K in CommandName]: (input: ParsedInput<K>) => Promise<CommandOutput<K>> | CommandOutput<K>
}

/** The two primitives a transport supplies; `buildLabApi` derives the rest. */
export interface Transport {
  invoke(name: CommandName, input: unknown): Promise<unknown>
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void
}

/**
 * Builds the nested LabApi over a transport. Outputs and event payloads are
 * parsed with their schemas: the renderer trusts nothing it did not check.
 */
export function buildLabApi(transport: Transport): LabApi {
  const api: Record<string, unknown> = {}
  for (const name of commandNames) {
    const [domain, verb] = name.split(':') as [string, string]
    const group = (api[domain] ??= {}) as Record<string, unknown>
    group[verb] = async (input: unknown) => commands[name].output.parse(await transport.invoke(name, input ?? {}))
  }
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  transport.subscribe((event, payload) => {
    const set = listeners.get(event)
    if (!set || set.size === 0) return
    const parsed = events[event].safeParse(payload)
    if (!parsed.success) return
    for (const fn of set) fn(parsed.data)
  })
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new Error(`unknown event "${String(event)}"`)
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set)
    set.add(listener)
    return () => set.delete(listener)
  }
  return api as unknown as LabApi
}
