/**
 * Renders a report of stored runs in the format asked for: HTML (self-
 * contained), PDF (that HTML printed, the experiment files attached), CSV
 * (summary, samples or deltas) or JSON (`hyperlab/result@1` with samples, or
 * `hyperlab/comparison@1`). One entry point for the LabApi and the CLI.
 */
import { LabError } from '../../shared/errors'
import type { CsvTable, ParsedReportRequest, ReportFormat, ResultExport } from '../../shared/report'
import { COMPARISON_FORMAT } from '../../shared/report'
import type { ExperimentReader } from '../reading/reader'
import type { Store } from '../store/store'
import { deltasCsv, samplesCsv, summaryCsv } from './csv'
import { loadReportData, type ReportData, type ReportRun } from './data'
import { comparisonReportHtml } from './html/comparisonReport'
import { slug } from './html/markup'
import { runReportHtml } from './html/runReport'
import { experimentFileName, type Medium } from './html/sections'
import { finishPdf, type PdfPrinter } from './pdf'

export interface ReportDeps {
  store: Store
  reader: ExperimentReader
  version: string
  printPdf: PdfPrinter
  /** Draws the HTML (a ReportDrawer's thread in the app); in this thread when absent. */
  drawHtml?: (data: ReportData, medium: Medium) => Promise<string>
  now?: () => Date
}

export interface RenderedReport {
  fileName: string
  mime: string
  /** Text for HTML, CSV and JSON; bytes for PDF. */
  body: string | Uint8Array
}

const MIME: Record<ReportFormat, string> = {
  html: 'text/html;charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv;charset=utf-8',
  json: 'application/json'
}

function baseName(data: ReportData): string {
  const first = data.runs[0]!
  const ids = data.runs.slice(0, 4).map((r) => r.record.id.slice(0, 8)).join('-')
  return data.comparison ? `hyperlab-compare-${slug(first.experiment.name, 32)}-${ids}` : `hyperlab-${slug(first.experiment.name)}-${ids}`
}

export function reportHtml(data: ReportData, medium: Medium): string {
  return data.comparison ? comparisonReportHtml(data, medium) : runReportHtml(data, medium)
}

function hostOf(run: ReportRun): (vm: string) => string | undefined {
  const hosts = new Map(run.experiment.vms.map((v) => [v.id, v.host]))
  return (vm) => hosts.get(vm)
}

function csvBody(deps: ReportDeps, data: ReportData, table: CsvTable, series: ParsedReportRequest['series']): string {
  if (table === 'summary') return summaryCsv(data.runs.map((r) => ({ runId: r.record.id, arm: r.arm, result: r.result, hostOf: hostOf(r) })))
  if (table === 'samples') return samplesCsv(data.runs.map((r) => ({ runId: r.record.id, arm: r.arm, samples: deps.store.getSamples(r.record.id) })), series)
  if (!data.comparison) throw new LabError('invalid-request', 'csv_table: "deltas" needs two or more runs to compare')
  return deltasCsv(data.comparison)
}

function resultExport(deps: ReportDeps, run: ReportRun): ResultExport {
  return { ...run.result, run_id: run.record.id, experiment_text: run.experimentText, samples: deps.store.getSamples(run.record.id) }
}

function jsonBody(deps: ReportDeps, data: ReportData): string {
  const doc = data.comparison
    ? { format: COMPARISON_FORMAT, comparison: data.comparison, runs: data.runs.map((r) => resultExport(deps, r)) }
    : resultExport(deps, data.runs[0]!)
  return JSON.stringify(doc, null, 2) + '\n'
}

function draw(deps: ReportDeps, data: ReportData, medium: Medium): Promise<string> {
  return deps.drawHtml ? deps.drawHtml(data, medium) : Promise.resolve(reportHtml(data, medium))
}

async function pdfBody(deps: ReportDeps, data: ReportData): Promise<Uint8Array> {
  const printed = await deps.printPdf.print(await draw(deps, data, 'print'))
  const seen = new Set<string>()
  const attachments = data.runs.flatMap((r) => {
    const name = data.comparison && data.runs.length > 1 ? `${r.arm ?? ''}-${experimentFileName(r)}` : experimentFileName(r)
    if (seen.has(name)) return []
    seen.add(name)
    return [{ name, mime: name.endsWith('.json') ? 'application/json' : 'application/yaml', description: `The experiment file of "${r.experiment.name}"${r.arm ? ` (arm ${r.arm})` : ''}`, content: r.experimentText }]
  })
  const first = data.runs[0]!
  return finishPdf(printed, {
    title: data.comparison ? `Comparison: ${[...new Set(data.runs.map((r) => r.experiment.name))].join(' vs ')}` : first.experiment.name,
    subject: data.comparison ? 'Hyperlab comparison report' : 'Hyperlab run report',
    version: data.version,
    keywords: ['Hyperlab', 'virtualization', ...data.runs.map((r) => r.record.id)],
    attachments
  })
}

export async function renderReport(deps: ReportDeps, request: ParsedReportRequest): Promise<RenderedReport> {
  const data = await loadReportData(deps, request.run_ids, deps.version, deps.now?.() ?? new Date())
  const base = baseName(data)
  switch (request.format) {
    case 'html':
      return { fileName: `${base}.html`, mime: MIME.html, body: await draw(deps, data, 'screen') }
    case 'pdf':
      return { fileName: `${base}.pdf`, mime: MIME.pdf, body: await pdfBody(deps, data) }
    case 'csv':
      return { fileName: `${base}-${request.csv_table}.csv`, mime: MIME.csv, body: csvBody(deps, data, request.csv_table, request.series) }
    case 'json':
      return { fileName: `${base}.json`, mime: MIME.json, body: jsonBody(deps, data) }
  }
}

export { loadReportData, compareStoredRuns } from './data'
export { playwrightPrinter, findChromium, type PdfPrinter } from './pdf'
