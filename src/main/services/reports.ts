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
import { compareStoredRuns, renderReport, type PdfPrinter } from '../reports'
import type { Store } from '../store/store'

/** Asks the user where to save a file; null when they cancel. */
export type ChooseSavePath = (suggestedName: string, format: ReportFormat) => Promise<string | null>

export interface ReportServiceDeps {
  store: Store
  version: string
  printPdf: PdfPrinter
  /** Only the desktop app has a save dialog. */
  chooseSavePath?: ChooseSavePath
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export function reportHandlers(deps: ReportServiceDeps): Pick<Handlers, 'runs:compare' | 'reports:render' | 'reports:save'> {
  const render = (input: Parameters<Handlers['reports:render']>[0]) => renderReport({ store: deps.store, version: deps.version, printPdf: deps.printPdf }, input)
  return {
    'runs:compare': ({ run_ids }) => compareStoredRuns(deps.store, run_ids),

    'reports:render': async (input) => {
      const report = await render(input)
      const text = typeof report.body === 'string'
      const bytes = text ? Buffer.byteLength(report.body as string, 'utf8') : (report.body as Uint8Array).byteLength
      if (bytes > MAX_REPORT_TRANSFER_BYTES) {
        throw new LabError(
          'invalid-request',
          `this ${input.format.toUpperCase()} export is ${megabytes(bytes)}, more than the ${megabytes(MAX_REPORT_TRANSFER_BYTES)} the app hands over at once; ` +
            `save it from the desktop app, or write it with \`hyperlab report ${input.run_ids.join(' ')} --format ${input.format} --out FILE\``
        )
      }
      return {
        file_name: report.fileName,
        mime: report.mime,
        encoding: text ? 'utf8' : 'base64',
        content: text ? (report.body as string) : Buffer.from(report.body as Uint8Array).toString('base64'),
        bytes
      }
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
      const bytes = typeof report.body === 'string' ? Buffer.byteLength(report.body, 'utf8') : report.body.byteLength
      return { saved: true, path, bytes }
    }
  }
}
