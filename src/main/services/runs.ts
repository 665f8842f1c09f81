/**
 * The use cases of stored runs: list, delete and restore them, play them
 * back from the store (series over a time range, the summary at a moment,
 * the events), and simulate one again to say whether it reproduces and, if
 * not, what differs.
 */
import type { Handlers, RunRecord } from '../../shared/contract'
import { LabError } from '../../shared/errors'
import type { ExperimentReader } from '../reading/reader'
import type { Runner } from '../runner/runner'
import { runNotFound } from '../store/errors'
import type { SampleColumns } from '../store/sampleBlocks'
import type { RunDetail, Store } from '../store/store'
import { requireExperiment } from './checked'
import { differences, summarizeAt, timeline, toSeries } from './replay'

type RunCalls = 'runs:get' | 'runs:list' | 'runs:delete' | 'runs:restore' | 'runs:samples' | 'runs:summaryAt' | 'runs:events' | 'runs:verify'

export interface RunDeps {
  store: Store
  runner: Runner
  reader: ExperimentReader
  version: string
}

/** Points per VM `runs:get` and `runs:samples` return unless asked: about a wide chart's pixels. */
export const DISPLAY_POINTS = 1000

/** Ended runs whose samples are kept decoded, for scrubbing through one run after another. */
const CACHED_RUNS = 2

const ENDED = new Set<RunRecord['status']>(['done', 'failed', 'cancelled', 'interrupted'])

export function runHandlers({ store, runner, reader, version }: RunDeps): Pick<Handlers, RunCalls> {
  const columnsCache = new Map<string, SampleColumns>()
  const warmupCache = new Map<string, number>()

  const detailOf = (runId: string): RunDetail => store.getRunDetail(runId) ?? (() => { throw runNotFound(runId) })()

  /** All of a run's samples; an ended run's are read once and kept (they no longer change). */
  const columnsOf = (run: RunRecord): SampleColumns => {
    if (!ENDED.has(run.status)) return store.getSampleColumns(run.id)
    let c = columnsCache.get(run.id)
    if (c) columnsCache.delete(run.id)
    else c = store.getSampleColumns(run.id)
    columnsCache.set(run.id, c)
    while (columnsCache.size > CACHED_RUNS) columnsCache.delete(columnsCache.keys().next().value!)
    return c
  }

  /** An ended run gets its overview the first time it is drawn (runs ended before overviews existed); a locked database just waits for the next time. */
  const withOverview = (run: RunRecord): void => {
    if (!ENDED.has(run.status)) return
    try {
      store.buildSampleOverview(run.id)
    } catch {
      // Drawn from every sample this time.
    }
  }

  /** The run's warm-up in ms, read from its stored experiment (once per run). */
  const warmupOf = async (detail: RunDetail): Promise<number> => {
    const known = warmupCache.get(detail.run.id)
    if (known !== undefined) return known
    const experiment = await requireExperiment(reader, detail.experiment_text)
    const ms = Math.min(experiment.warmup_s, experiment.duration_s) * 1000
    if (warmupCache.size >= 256) warmupCache.clear()
    warmupCache.set(detail.run.id, ms)
    return ms
  }

  return {
    'runs:get': ({ run_id, max_points, samples }) => {
      const detail = detailOf(run_id)
      if (samples === false) return { ...detail, samples: [], samples_bucket_ms: null, array_samples: [] }
      withOverview(detail.run)
      const shown = store.getSamplesForDisplay(run_id, max_points ?? DISPLAY_POINTS)
      return { ...detail, samples: shown.samples, samples_bucket_ms: shown.bucketMs, array_samples: store.getArraySamples(run_id, shown.bucketMs) }
    },

    'runs:list': ({ limit, experiment_id }) => store.listRuns(limit, experiment_id),

    'runs:delete': ({ run_id }) => {
      if (runner.isActive(run_id)) throw new LabError('conflict', `run "${run_id}" is in progress; cancel it before deleting it`)
      columnsCache.delete(run_id)
      return store.deleteRun(run_id)
    },

    'runs:restore': ({ run_id }) => store.restoreRun(run_id),

    'runs:samples': ({ run_id, from_ms, to_ms, max_points, vms }) => {
      const { run } = detailOf(run_id)
      const from = from_ms ?? 0
      const to = to_ms ?? Infinity
      if (from > to) throw new LabError('invalid-request', `runs:samples: from_ms (${from}) is after to_ms (${to})`, [{ path: 'from_ms', message: `is after to_ms (${to})` }])
      withOverview(run)
      const shown = store.getDisplayColumns(run_id, max_points ?? DISPLAY_POINTS, from, to)
      // The arrays' samples in the VMs' buckets, so they land on the same axis.
      return toSeries(run_id, shown, { fromMs: from, toMs: to, ...(vms ? { vms } : {}) }, store.getArraySamples(run_id, shown.bucketMs))
    },

    'runs:summaryAt': async ({ run_id, t_ms }) => {
      const detail = detailOf(run_id)
      const warmup = await warmupOf(detail)
      const summary = summarizeAt(run_id, columnsOf(detail.run), warmup, t_ms)
      const events = timeline(store.getRunEvents(run_id), detail.result).filter((e) => e.t_ms <= t_ms)
      return { ...summary, events, complete: detail.run.status === 'done' && t_ms >= detail.run.duration_s * 1000 }
    },

    'runs:events': ({ run_id, kinds }) => {
      const detail = detailOf(run_id)
      const all = timeline(store.getRunEvents(run_id), detail.result)
      return kinds && kinds.length > 0 ? all.filter((e) => kinds.includes(e.kind)) : all
    },

    'runs:verify': async ({ run_id }) => {
      const detail = detailOf(run_id)
      if (detail.run.status !== 'done' || !detail.run.checksum || !detail.result) {
        throw new LabError('conflict', `run "${run_id}" is ${detail.run.status}: only a finished run has a checksum to verify`)
      }
      const experiment = await requireExperiment(reader, detail.experiment_text)
      const again = await runner.resimulate({ ...experiment, seed: detail.run.seed }, detail.run.seed)
      const identical = again.checksum === detail.run.checksum
      const found = identical ? { list: [], total: 0 } : differences(detail.result, again)
      return {
        run_id,
        identical,
        stored_checksum: detail.run.checksum,
        recomputed_checksum: again.checksum,
        stored_app_version: detail.run.app_version,
        app_version: version,
        differences: found.list,
        differences_total: found.total
      }
    }
  }
}
