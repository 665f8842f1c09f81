/**
 * A report as PDF: the report's HTML printed by a Chromium, then finished
 * with pdf-lib (title, author, the experiment files attached). The desktop
 * app prints with Electron's own `printToPDF`; browser mode and the CLI use
 * playwright-core with a Chromium found on this machine — `$CHROMIUM_PATH`,
 * Playwright's own, or the system's — and say plainly when there is none.
 * Printing never touches the network: every request but the document's own
 * is aborted.
 */
import { existsSync } from 'node:fs'
import { LabError } from '../../shared/errors'

/** Prints an HTML document to PDF bytes. */
export interface PdfPrinter {
  /** Who prints, for messages: "Electron", "Chromium at /usr/bin/chromium". */
  readonly name: string
  print(html: string): Promise<Uint8Array>
}

export interface PdfAttachment {
  name: string
  mime: string
  description: string
  content: string
}

export interface PdfMeta {
  title: string
  subject: string
  version: string
  keywords: string[]
  attachments: PdfAttachment[]
}

/** The flags toolchain.md found to work for a headless Chromium here, with nothing fetched in the background. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** Where Chromium is commonly installed, after $CHROMIUM_PATH and Playwright's own. */
const SYSTEM_CHROMIUMS: Record<string, string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe']
}

export type ChromiumSearch = { path: string; tried: string[] } | { path: null; tried: string[] }

/** The first Chromium found, with every place looked at (for the message when there is none). */
export async function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  playwrightPath: () => Promise<string> = defaultPlaywrightPath
): Promise<ChromiumSearch> {
  const tried: string[] = []
  const candidates: Array<[string, string]> = []
  if (env.CHROMIUM_PATH) candidates.push([env.CHROMIUM_PATH, '$CHROMIUM_PATH'])
  else tried.push('$CHROMIUM_PATH (not set)')
  try {
    const own = await playwrightPath()
    if (own) candidates.push([own, "Playwright's Chromium"])
  } catch {
    tried.push("Playwright's Chromium (none registered)")
  }
  for (const p of SYSTEM_CHROMIUMS[platform] ?? []) candidates.push([p, 'system'])
  for (const [path, what] of candidates) {
    if (existsSync(path)) return { path, tried }
    tried.push(`${what === 'system' ? path : `${what}: ${path}`} (missing)`)
  }
  return { path: null, tried }
}

/** Loaded on first use: the desktop app prints with Electron and never needs playwright-core. */
async function playwright(): Promise<typeof import('playwright-core')> {
  return import('playwright-core')
}

async function defaultPlaywrightPath(): Promise<string> {
  return (await playwright()).chromium.executablePath()
}

export function noChromiumError(tried: readonly string[]): LabError {
  return new LabError(
    'unavailable',
    `A PDF needs a Chromium to print the report, and none was found (looked at: ${tried.join('; ')}). ` +
      'Install one (Debian/Ubuntu: `apt-get install chromium`; or `npx playwright install chromium`), or set CHROMIUM_PATH to its executable. ' +
      'The HTML report holds the same content and prints from any browser.'
  )
}

/** Prints with playwright-core and the Chromium `findChromium` picks, looked up at each print (one may be installed meanwhile). */
export function playwrightPrinter(search: () => Promise<ChromiumSearch> = () => findChromium()): PdfPrinter {
  return {
    name: 'Chromium (playwright-core)',
    async print(html: string): Promise<Uint8Array> {
      const found = await search()
      if (!found.path) throw noChromiumError(found.tried)
      const { chromium } = await playwright()
      let browser
      try {
        browser = await chromium.launch({ executablePath: found.path, args: CHROMIUM_ARGS, timeout: 60_000 })
      } catch (err) {
        const first = (err instanceof Error ? err.message : String(err)).split('\n')[0]
        throw new LabError('unavailable', `The Chromium at ${found.path} did not start to print the PDF: ${first}`)
      }
      try {
        const context = await browser.newContext({ javaScriptEnabled: false, offline: true })
        const page = await context.newPage()
        // The document is self-contained; anything else it might ask for is refused.
        await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()))
        await page.setContent(html, { waitUntil: 'load', timeout: 120_000 })
        const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true })
        return new Uint8Array(pdf)
      } finally {
        await browser.close()
      }
    }
  }
}

/** Sets the document's title and producer and attaches the experiment files. */
export async function finishPdf(pdf: Uint8Array, meta: PdfMeta): Promise<Uint8Array> {
  // Loaded when a PDF is made, not with every process that could make one.
  const { PDFDocument } = await import('pdf-lib')
  const doc = await PDFDocument.load(pdf, { updateMetadata: false })
  doc.setTitle(meta.title, { showInWindowTitleBar: true })
  doc.setSubject(meta.subject)
  doc.setKeywords(meta.keywords)
  doc.setCreator(`Hyperlab ${meta.version}`)
  doc.setProducer(`Hyperlab ${meta.version} (Chromium, pdf-lib)`)
  for (const a of meta.attachments) {
    await doc.attach(Buffer.from(a.content, 'utf8'), a.name, { mimeType: a.mime, description: a.description })
  }
  return doc.save({ useObjectStreams: true })
}
