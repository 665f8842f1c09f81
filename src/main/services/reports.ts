/**
 * The use cases of comparing and exporting stored runs: `runs:compare` (the
 * comparison model), `reports:render` (a report handed back to the caller —
 * a preview, a browser download) and `reports:save` (the desktop app: the
 * user picks where in a save dialog, and the file is written there).
 */
import { writeFile } from 'node:fs/promises'
import type { Handlers } from '../../shared/contract'
import { errorMessage, LabError } from '../../shared/errors'
import { MAX_REPORT_TRANSFER_BYTES, type ReportFormat } from '../../shared/report'
import { formatBytes, utf8Length } from '../../shared/textSize'
import { compareStoredRuns } from '../reports/data'
import type { PdfPrinter } from '../reports/pdf'
import type { ReportDeps } from '../reports'
import type { ExperimentReader } from '../reading/reader'
import type { Store } from '../store/store'

/** Asks the user where to save a file; null when they cancel. */
export type ChooseSavePath = (suggestedName: string, format: ReportFormat) => Promise<string | null>

export interface ReportServiceDeps {
  store: Store
  reader: ExperimentReader
  version: string
  printPdf: PdfPrinter
  /** Draws report HTML off this thread (the lab's ReportDrawer). */
  drawHtml?: ReportDeps['drawHtml']
  /** Only the desktop app has a save dialog. */
  chooseSavePath?: ChooseSavePath
}

/** The runs as `hyperlab report` takes them: the first, then `--compare` and the others. */
function cliRuns(ids: readonly string[]): string {
  const [first, ...rest] = ids
  return `${first}${rest.length > 0 ? ` --compare ${rest.join(' ')}` : ''}`
}

export function reportHandlers(deps: ReportServiceDeps): Pick<Handlers, 'runs:compare' | 'reports:render' | 'reports:save'> {
  const render = async (input: Parameters<Handlers['reports:render']>[0]) => {
    // The renderer (ECharts, pdf-lib) loads on the first report, not when the lab opens.
    const { renderReport } = await import('../reports')
    const { store, reader, version, printPdf, drawHtml } = deps
    return renderReport({ store, reader, version, printPdf, ...(drawHtml ? { drawHtml } : {}) }, input)
  }
  return {
    'runs:compare': ({ run_ids }) => compareStoredRuns(deps, run_ids),

    'reports:render': async (input) => {
      const report = await render(input)
      const text = typeof report.body === 'string'
      const bytes = text ? utf8Length(report.body as string) : (report.body as Uint8Array).byteLength
      const content = text ? (report.body as string) : Buffer.from(report.body as Uint8Array).toString('base64')
      // What travels: base64 as it is, text as a JSON string.
      const wire = text ? Buffer.byteLength(JSON.stringify(content), 'utf8') : content.length
      if (wire > MAX_REPORT_TRANSFER_BYTES) {
        throw new LabError(
          'invalid-request',
          `this ${input.format.toUpperCase()} export is ${formatBytes(bytes)}, more than the app hands over at once (${formatBytes(MAX_REPORT_TRANSFER_BYTES)} as sent); ` +
            `save it from the desktop app, or write it with \`hyperlab report ${cliRuns(input.run_ids)} --format ${input.format} --out FILE\``
        )
      }
      return { file_name: report.fileName, mime: report.mime, encoding: text ? 'utf8' : 'base64', content, bytes }
    },

    'reports:save': async (input) => {
      if (!deps.chooseSavePath) {
        throw new LabError('unavailable', 'reports:save needs the desktop app’s save dialog; in a browser the report is downloaded instead')
      }
      const report = await render(input)
      const path = await deps.chooseSavePath(report.fileName, input.format)
      if (path === null) return { saved: false, path: null, bytes: 0 }
      try {
        await writeFile(path, report.body)
      } catch (err) {
        throw new LabError('unavailable', `${path}: the report could not be written (${errorMessage(err)})`)
      }
      const bytes = typeof report.body === 'string' ? utf8Length(report.body) : report.body.byteLength
      return { saved: true, path, bytes }
    }
  }
}
