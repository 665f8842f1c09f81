/**
 * What a report is made of, read from the store: each finished run with its
 * experiment (text and parsed), summary and samples thinned for charts, and
 * for several runs the comparison model. A run that cannot be reported (not
 * found, not finished, an experiment that no longer reads) is refused with
 * a sentence saying which run and why.
 */
import type { RunRecord } from '../../shared/contract'
import { compareRuns, type Comparison, type ComparedRun } from '../../shared/compare'
import { LabError, formatIssues } from '../../shared/errors'
import type { Experiment } from '../../shared/experiment'
import type { RunResult, Sample } from '../../shared/result'
import type { ExperimentReader } from '../reading/reader'
import { runNotFound } from '../store/errors'
import type { Store } from '../store/store'

/** Points per VM a report's time charts draw: more than a printed chart can show apart. */
export const CHART_POINTS = 240

export interface StoredRun {
  record: RunRecord
  experimentText: string
  experiment: Experiment
  result: RunResult
}

export interface ReportRun extends StoredRun {
  /** Samples for the charts, consecutive windows merged when a run has more than CHART_POINTS per VM. */
  chartSamples: Sample[]
  /** Width of a merged point, ms; null when every window is there. */
  bucketMs: number | null
  /** The run's arm in a comparison (A, B…); null in a report of one run. */
  arm: string | null
}

export interface ReportData {
  runs: ReportRun[]
  comparison: Comparison | null
  /** Hyperlab's version that writes the report. */
  version: string
  /** When the report was written, ISO 8601. */
  generatedAt: string
}

/** Where stored runs are read from: the store, and the reader that parses their experiments off the main thread. */
export interface RunSource {
  store: Store
  reader: ExperimentReader
}

/** A finished run with its parsed experiment and summary, or a LabError saying why it cannot be used. */
export async function loadStoredRun({ store, reader }: RunSource, runId: string): Promise<StoredRun> {
  const detail = store.getRunDetail(runId)
  if (!detail) throw runNotFound(runId)
  const { run, experiment_text, result } = detail
  if (run.status !== 'done' || !result) {
    throw new LabError('conflict', `run "${runId}" is ${run.status}: only a finished run has a summary to report or compare`)
  }
  const parsed = await reader.read(experiment_text)
  if (!parsed.ok) {
    throw new LabError('conflict', `run "${runId}": its stored experiment no longer reads:\n${formatIssues(parsed.issues)}`, parsed.issues)
  }
  return { record: run, experimentText: experiment_text, experiment: parsed.experiment, result }
}

function comparedRun(r: StoredRun): ComparedRun {
  return {
    run_id: r.record.id,
    created_at: r.record.created_at,
    seed: r.record.seed,
    checksum: r.result.checksum,
    experiment: r.experiment,
    result: r.result
  }
}

function requireDistinct(runIds: readonly string[]): void {
  const twice = runIds.find((id, i) => runIds.indexOf(id) !== i)
  if (twice) throw new LabError('invalid-request', `run_ids: run "${twice}" is listed twice`)
}

/** The comparison model of stored runs (`runs:compare`); the first run is the reference. */
export async function compareStoredRuns(source: RunSource, runIds: readonly string[]): Promise<Comparison> {
  requireDistinct(runIds)
  return compareRuns(await loadAll(source, runIds).then((runs) => runs.map(comparedRun)))
}

async function loadAll(source: RunSource, runIds: readonly string[]): Promise<StoredRun[]> {
  const out: StoredRun[] = []
  for (const id of runIds) out.push(await loadStoredRun(source, id))
  return out
}

export async function loadReportData(source: RunSource, runIds: readonly string[], version: string, now: Date = new Date()): Promise<ReportData> {
  requireDistinct(runIds)
  const { store } = source
  const stored = await loadAll(source, runIds)
  const comparison = stored.length > 1 ? compareRuns(stored.map(comparedRun)) : null
  const armOf = new Map(comparison?.runs.map((r) => [r.run_id, r.arm]) ?? [])
  const runs = stored.map((r): ReportRun => {
    const shown = store.getSamplesForDisplay(r.record.id, CHART_POINTS)
    return { ...r, chartSamples: shown.samples, bucketMs: shown.bucketMs, arm: armOf.get(r.record.id) ?? null }
  })
  return { runs, comparison, version, generatedAt: now.toISOString() }
}
