/** The export dialog: format, CSV options, preview and the download. */
import { expect, type Download, type FrameLocator, type Locator, type Page } from '@playwright/test'

export class ReportDialogPart {
  readonly root: Locator
  readonly preview: Locator
  readonly frame: FrameLocator
  readonly previewText: Locator
  readonly save: Locator
  readonly saved: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('report-dialog')
    this.preview = this.root.getByTestId('report-preview')
    this.frame = this.root.frameLocator('[data-testid="report-preview-frame"]')
    this.previewText = this.root.getByTestId('report-preview-text')
    this.save = this.root.getByTestId('report-save')
    this.saved = this.root.getByTestId('report-saved')
  }

  async chooseFormat(label: 'HTML' | 'PDF' | 'CSV' | 'JSON'): Promise<void> {
    await this.root.getByRole('radiogroup', { name: 'Format' }).getByText(label, { exact: true }).click()
    await expect(this.preview).toHaveAttribute('data-state', 'ready')
  }

  async download(): Promise<Download> {
    // A PDF is printed by a Chromium the server starts: on a busy machine that takes a while.
    const waiting = this.page.waitForEvent('download', { timeout: 180_000 })
    await this.save.click()
    return waiting
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close' }).first().click()
    await expect(this.root).toHaveCount(0)
  }
}
