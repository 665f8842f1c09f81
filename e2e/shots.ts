/**
 * Screenshots the specs take: those kept with a test's results (attached to
 * its report, to look at after a run), and the README's, which are retaken
 * into docs/ only when asked (HYPERLAB_DOC_SHOTS=1), so a test run leaves the
 * tree as it was.
 */
import { join } from 'node:path'
import type { Locator, Page, TestInfo } from '@playwright/test'

export const DOC_SHOTS = process.env.HYPERLAB_DOC_SHOTS === '1'

/** docs/NAME.png, of the page or one part of it, when DOC_SHOTS. */
export async function docShot(target: Page | Locator, name: string): Promise<void> {
  if (!DOC_SHOTS) return
  await target.screenshot({ path: join(__dirname, '..', 'docs', `${name}.png`) })
}

/** NAME.png among the test's results, attached to its report. */
export async function attachShot(page: Page, info: TestInfo, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const file = info.outputPath(`${name}.png`)
  await page.screenshot({ path: file, ...options })
  await info.attach(name, { path: file, contentType: 'image/png' })
}
