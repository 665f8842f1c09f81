/**
 * The desktop app prints reports with Electron's own Chromium: the report's
 * HTML is written to a private temporary file, loaded into a hidden,
 * sandboxed window with JavaScript off, in a session of its own that refuses
 * every request but that file, and printed with `printToPDF`. Only the
 * Electron entry point imports this module.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BrowserWindow, session } from 'electron'
import type { PdfPrinter } from '../reports/pdf'

const PARTITION = 'hyperlab-report-print'

export function reportPrinter(): PdfPrinter {
  return {
    name: 'Electron',
    async print(html: string): Promise<Uint8Array> {
      const dir = await mkdtemp(join(tmpdir(), 'hyperlab-report-'))
      const file = join(dir, 'report.html')
      const own = pathToFileURL(file).href
      const ses = session.fromPartition(PARTITION)
      ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== own && !details.url.startsWith('data:') }))
      const win = new BrowserWindow({
        show: false,
        webPreferences: { session: ses, sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true }
      })
      try {
        await writeFile(file, html, 'utf8')
        await win.loadFile(file)
        const pdf = await win.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true, generateTaggedPDF: true, generateDocumentOutline: true })
        return new Uint8Array(pdf)
      } finally {
        win.destroy()
        await rm(dir, { recursive: true, force: true })
      }
    }
  }
}
