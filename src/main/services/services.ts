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
import type { RunPace } from '../../shared/pace'
import { sweepSize, techniqueDefaults, type Experiment } from '../../shared/experiment'
import { estimateRunMemory, MEMORY_MODEL } from '../engine'
import type { ExperimentReader } from '../reading/reader'
import type { Runner } from '../runner/runner'
import type { PdfPrinter } from '../reports/pdf'
import { experimentNotFound, runNotFound } from '../store/errors'
import type { Store } from '../store/store'
import { requireExperiment } from './checked'
import { listExamples } from './examples'
import { hypervisorsOf, libraryHandlers } from './library'
import { reportHandlers, type ChooseSavePath, type ReportServiceDeps } from './reports'
import { describeEvent } from './replay'
import { runHandlers } from './runs'

export { requireExperiment }

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

    ...libraryHandlers(deps),
    ...runHandlers(deps),

    // A draft may be unfinished or invalid: it is kept as the user left it, checked only for size (by the contract).
    'drafts:get': () => store.getDraft() ?? null,

    'drafts:save': (draft) => ({ updated_at: store.saveDraft(draft) }),

    'runs:start': ({ text, seed, experiment_id, pace }) => startRun(deps, text, seed, experiment_id, pace),

    'runs:cancel': async ({ run_id }) => {
      const run = store.getRun(run_id)
      if (!run) throw runNotFound(run_id)
      return (await runner.cancel(run_id)) ?? run
    },

    'runs:pause': ({ run_id }) => setPaused(run_id, true),

    'runs:resume': ({ run_id }) => setPaused(run_id, false),

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
            listener('run:samples', { run_id: e.runId, samples: e.samples, ...(e.arrays.length > 0 ? { arrays: e.arrays } : {}) })
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
          case 'events':
            listener('run:events', { run_id: e.runId, events: e.events.map(describeEvent) })
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

/**
 * Saves the experiment — as library experiment `experimentId`'s text when
 * given (a new version when new to it), else as a new experiment or the one
 * already holding this text — records the run and hands it to the runner (it
 * waits `queued` when every slot is taken).
 */
export async function startRun(
  deps: Pick<ServiceDeps, 'store' | 'runner' | 'reader'> & { version?: string },
  text: string,
  seed?: number,
  experimentId?: string,
  pace: RunPace = 'max'
) {
  const experiment = await requireExperiment(deps.reader, text)
  if (experiment.sweep) {
    const size = sweepSize(experiment)
    throw new LabError(
      'invalid-request',
      `"${experiment.name}" is a sweep${size ? ` of ${size.points} point${size.points === 1 ? '' : 's'} × ${size.replications} replication${size.replications === 1 ? '' : 's'}` : ''}: start it as a sweep (\`hyperlab sweep FILE\`, or Run sweep in the app)`
    )
  }
  requireMemory(experiment, deps.runner.memoryBudgetBytes)
  if (experimentId !== undefined && !deps.store.getExperiment(experimentId)) {
    throw experimentNotFound(experimentId)
  }
  const saved = deps.store.saveExperiment(text, experiment.name, {
    hypervisors: hypervisorsOf(experiment),
    ...(experimentId !== undefined ? { id: experimentId } : {})
  })
  const runSeed = seed ?? experiment.seed
  const run = deps.store.createRun({
    experimentId: saved.id,
    experimentName: experiment.name,
    experimentText: text,
    seed: runSeed,
    durationS: experiment.duration_s,
    status: deps.runner.hasFreeSlot() ? 'running' : 'queued',
    ...(deps.version !== undefined ? { appVersion: deps.version } : {})
  })
  deps.runner.start(run, { ...experiment, seed: runSeed }, { pace })
  return run
}
