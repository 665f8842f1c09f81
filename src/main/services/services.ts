/**
 * Hyperlab's use cases, independent of transport: validate and save
 * experiments, start and cancel runs, read runs back, browse the catalog.
 * Electron IPC, the browser-mode server and the CLI are thin adapters over
 * the `Handlers` built here.
 */
import { catalog } from '../../shared/catalog'
import type { CommandOutput, EventName, Handlers } from '../../shared/contract'
import { LabError } from '../../shared/errors'
import { formatBytes } from '../../shared/textSize'
import { planSweep, techniqueDefaults, type Experiment } from '../../shared/experiment'
import { estimateRunMemory, MEMORY_MODEL } from '../engine'
import type { ExperimentReader } from '../reading/reader'
import type { Runner } from '../runner/runner'
import type { PdfPrinter } from '../reports/pdf'
import type { Store } from '../store/store'
import { listExamples } from './examples'
import { reportHandlers, type ChooseSavePath, type ReportServiceDeps } from './reports'

/** Samples per VM a reopened run shows by default: more than a chart has pixels. */
const DISPLAY_POINTS = 4000

export interface ServiceDeps {
  store: Store
  runner: Runner
  reader: ExperimentReader
  /** The calls and events of sweeps, a layer above (sweeps/handlers.ts). */
  sweeps: {
    handlers: Pick<Handlers, 'sweeps:start' | 'sweeps:list' | 'sweeps:get' | 'sweeps:cancel' | 'sweeps:resume'>
    subscribe(listener: (event: EventName, payload: unknown) => void): () => void
  }
  examplesDir: string
  mode: 'desktop' | 'browser' | 'cli'
  dataPath: string
  version: string
  /** Prints reports to PDF: Electron's printToPDF in the desktop app, a Chromium elsewhere. */
  printPdf: PdfPrinter
  /** Draws report HTML off the main thread (the lab's ReportDrawer). */
  drawHtml?: ReportServiceDeps['drawHtml']
  /** The desktop app's save dialog for reports. */
  chooseSavePath?: ChooseSavePath
}

export interface Services {
  handlers: Handlers
  /** Every event for every subscriber (UI windows, sockets, the CLI). */
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void
}

function runNotFound(runId: string): LabError {
  return new LabError('not-found', `run "${runId}" does not exist`)
}

/** Reads experiment text (on the reader's thread) or throws a LabError carrying every issue. */
export async function requireExperiment(reader: ExperimentReader, text: string): Promise<Experiment> {
  const parsed = await reader.read(text)
  if (!parsed.ok) {
    const first = parsed.issues[0]
    const summary = first ? `${first.path}: ${first.message}` : 'invalid experiment'
    const more = parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more)` : ''
    throw new LabError('invalid-experiment', `${summary}${more}`, parsed.issues)
  }
  return parsed.experiment
}

export function createServices(deps: ServiceDeps): Services {
  const { store, runner } = deps

  const setPaused = (runId: string, paused: boolean) => {
    const run = store.getRun(runId)
    if (!run) throw runNotFound(runId)
    if (!runner.setPaused(runId, paused)) {
      throw new LabError('conflict', `run "${runId}" is ${run.status}, so it cannot be ${paused ? 'paused' : 'resumed'}`)
    }
    return { run_id: runId, paused }
  }

  // The published cases depend only on this version of the model: run them once per session, on demand.
  let validation: Promise<CommandOutput<'validation:run'>> | null = null
  const validationListeners = new Set<(done: number, total: number) => void>()
  const runValidation = (): Promise<CommandOutput<'validation:run'>> => {
    validation ??= runner.validate((done, total) => {
      for (const l of validationListeners) l(done, total)
    })
    // A failed attempt is not kept: the next call tries again.
    validation.catch(() => {
      validation = null
    })
    return validation
  }

  const handlers: Handlers = {
    'app:info': () => ({ version: deps.version, mode: deps.mode, data_path: deps.dataPath }),

    'examples:list': () => listExamples(deps.examplesDir),

    'experiments:validate': async ({ text }) => {
      const parsed = await deps.reader.read(text)
      return parsed.ok
        ? { ok: true, issues: [], name: parsed.experiment.name, vms: parsed.experiment.vms.map((v) => v.id), sweep: sweepSize(parsed.experiment) }
        : { ok: false, issues: parsed.issues, name: null, vms: [], sweep: null }
    },

    'experiments:save': async ({ text, id }) => {
      const experiment = await requireExperiment(deps.reader, text)
      if (id && !store.getExperiment(id)) throw new LabError('not-found', `experiment "${id}" does not exist`)
      return store.saveExperiment(text, experiment.name, id)
    },

    'experiments:list': () => store.listExperiments(),

    'runs:start': ({ text, seed }) => startRun(deps, text, seed),

    'runs:cancel': async ({ run_id }) => {
      const run = store.getRun(run_id)
      if (!run) throw runNotFound(run_id)
      return (await runner.cancel(run_id)) ?? run
    },

    'runs:pause': ({ run_id }) => setPaused(run_id, true),

    'runs:resume': ({ run_id }) => setPaused(run_id, false),

    'runs:list': ({ limit }) => store.listRuns(limit),

    'runs:get': ({ run_id, max_points }) => {
      const detail = store.getRunDetail(run_id)
      if (!detail) throw runNotFound(run_id)
      const shown = store.getSamplesForDisplay(run_id, max_points ?? DISPLAY_POINTS)
      return { ...detail, samples: shown.samples, samples_bucket_ms: shown.bucketMs }
    },

    'runs:verify': async ({ run_id }) => {
      const detail = store.getRunDetail(run_id)
      if (!detail) throw runNotFound(run_id)
      if (detail.run.status !== 'done' || !detail.run.checksum) {
        throw new LabError('conflict', `run "${run_id}" is ${detail.run.status}: only a finished run has a checksum to verify`)
      }
      const experiment = await requireExperiment(deps.reader, detail.experiment_text)
      const again = await runner.resimulate({ ...experiment, seed: detail.run.seed }, detail.run.seed)
      return {
        run_id,
        stored_checksum: detail.run.checksum,
        recomputed_checksum: again.checksum,
        identical: again.checksum === detail.run.checksum
      }
    },

    ...reportHandlers(deps),

    'catalog:get': () => catalogReply(),

    'validation:run': () => runValidation(),

    ...deps.sweeps.handlers
  }

  return {
    handlers,
    subscribe(listener) {
      const onValidation = (done: number, total: number): void => listener('validation:progress', { done, total })
      validationListeners.add(onValidation)
      const stopSweeps = deps.sweeps.subscribe(listener)
      const off = runner.subscribe((e) => {
        switch (e.type) {
          case 'progress':
            listener('run:progress', { run_id: e.runId, progress: e.progress, simulated_s: e.simulatedS })
            break
          case 'samples':
            listener('run:samples', { run_id: e.runId, samples: e.samples })
            break
          case 'paused':
            listener('run:paused', { run_id: e.runId, paused: e.paused })
            break
          case 'started':
            listener('run:started', { run: e.run })
            break
          case 'ended':
            listener('run:ended', { run: e.run, result: e.result })
            break
        }
      })
      return () => {
        validationListeners.delete(onValidation)
        off()
        stopSweeps()
      }
    }
  }
}

/** Points, replications and runs of a sweep, for the validation reply; null for one run. */
function sweepSize(experiment: Experiment) {
  if (!experiment.sweep) return null
  const planned = planSweep(experiment)
  if (!planned.ok) return null
  const { plan } = planned
  return { points: plan.points.length, replications: plan.replications, runs: plan.points.length * plan.replications, parameters: plan.parameters.map((p) => p.path) }
}

type CatalogReply = Record<string, Record<string, unknown>[]>
let catalogCache: CatalogReply | undefined

/**
 * Every catalog section as a list, and which techniques `auto` resolves to per
 * hypervisor and CPU (computed with the engine's own rule). The catalog is
 * fixed for the life of the process, so this is built on the first call only.
 */
function catalogReply(): CatalogReply {
  catalogCache ??= {
    ...Object.fromEntries(
      Object.entries(catalog).map(([section, entries]) => [
        section,
        Object.values(entries as Record<string, object>) as Record<string, unknown>[]
      ])
    ),
    defaults: techniqueDefaults() as unknown as Record<string, unknown>[]
  }
  return catalogCache
}

/**
 * Refuses a run whose simulation would not fit the memory an engine thread
 * may use, before anything is stored, with the number and its cause.
 */
export function requireMemory(experiment: Experiment, budgetBytes: number): void {
  const estimate = estimateRunMemory(experiment)
  const needed = Math.max(estimate.bytes, estimate.baselineBytes)
  if (needed <= budgetBytes) return
  const largest = estimate.largest.map((l) => `${l.vm} (${l.clients.toLocaleString('en-US')})`).join(', ')
  const parts = [
    `${formatBytes(MEMORY_MODEL.threadBytes)} for the engine`,
    `${experiment.vms.length.toLocaleString('en-US')} VM${experiment.vms.length === 1 ? '' : 's'} × ${Math.round(MEMORY_MODEL.perVmBytes / 1024)} kB`,
    ...(estimate.closedClients > 0 ? [`${estimate.closedClients.toLocaleString('en-US')} closed-loop clients × ${MEMORY_MODEL.perOpBytes} bytes`] : [])
  ]
  const cure = largest ? `lower the clients of ${largest}` : 'simulate fewer VMs'
  const message =
    `needs about ${formatBytes(needed)} of memory to simulate (${parts.join(', ')}), ` +
    `more than the ${formatBytes(budgetBytes)} an engine thread may use; ${cure}, or raise HYPERLAB_RUN_MEMORY_MB`
  throw new LabError('invalid-experiment', `(run): ${message}`, [{ path: '(run)', message }])
}

/** Saves the experiment, records the run and hands it to the runner (it waits `queued` when every slot is taken). */
export async function startRun(deps: Pick<ServiceDeps, 'store' | 'runner' | 'reader'>, text: string, seed?: number) {
  const experiment = await requireExperiment(deps.reader, text)
  if (experiment.sweep) {
    const size = sweepSize(experiment)
    throw new LabError(
      'invalid-request',
      `"${experiment.name}" is a sweep${size ? ` of ${size.points} point${size.points === 1 ? '' : 's'} × ${size.replications} replication${size.replications === 1 ? '' : 's'}` : ''}: start it as a sweep (\`hyperlab sweep FILE\`, or Run sweep in the app)`
    )
  }
  requireMemory(experiment, deps.runner.memoryBudgetBytes)
  const saved = deps.store.saveExperiment(text, experiment.name)
  const runSeed = seed ?? experiment.seed
  const run = deps.store.createRun({
    experimentId: saved.id,
    experimentName: experiment.name,
    experimentText: text,
    seed: runSeed,
    durationS: experiment.duration_s,
    status: deps.runner.hasFreeSlot() ? 'running' : 'queued'
  })
  deps.runner.start(run, { ...experiment, seed: runSeed })
  return run
}
