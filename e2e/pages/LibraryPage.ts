/**
 * The Library view: the search bar and filters, the list of experiments,
 * the opened experiment (name, tags, notes, actions, runs, history) and the
 * recently deleted. Controls are found by their role and accessible name.
 */
import { expect, type Locator, type Page } from '@playwright/test'

export class LibraryPage {
  readonly root: Locator
  readonly rows: Locator
  readonly count: Locator
  readonly notice: Locator
  readonly detail: Locator
  readonly runs: Locator
  readonly history: Locator
  readonly diff: Locator
  readonly deleted: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('view-library')
    this.rows = this.root.getByTestId('library-row')
    this.count = this.root.getByTestId('library-count')
    this.notice = this.root.getByTestId('library-notice')
    this.detail = this.root.getByTestId('experiment-detail')
    this.runs = this.detail.getByTestId('experiment-run')
    this.history = this.detail.getByTestId('experiment-history')
    this.diff = this.history.getByTestId('version-diff')
    this.deleted = this.root.getByTestId('recently-deleted').getByTestId('deleted-row')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-library').click()
    await expect(this.root).toBeVisible()
  }

  button(name: string): Locator {
    return this.root.getByRole('button', { name, exact: true })
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByText(name, { exact: true }) })
  }

  /** Opens an experiment from the list and waits for its detail. */
  async select(name: string): Promise<string> {
    await this.row(name).click()
    await expect(this.detail.getByRole('textbox', { name: 'Name' })).toHaveValue(name)
    return (await this.detail.getAttribute('data-id')) ?? ''
  }

  /** Imports experiment files through the file picker. */
  async importFiles(files: { name: string; text: string }[]): Promise<void> {
    await this.root.getByTestId('import-input').setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/yaml', buffer: Buffer.from(f.text) })))
  }

  async addTag(tag: string): Promise<void> {
    await this.detail.getByRole('button', { name: 'Add a tag' }).click()
    const input = this.detail.getByRole('textbox', { name: 'New tag' })
    await input.fill(tag)
    await input.press('Enter')
  }

  /** Picks options of a multi-select filter by their text. */
  async filter(label: 'Filter by tag' | 'Filter by hypervisor' | 'Filter by the status of the latest run', option: RegExp): Promise<void> {
    await this.root.getByLabel(label, { exact: true }).click()
    await this.page.locator('.n-base-select-option').filter({ hasText: option }).first().click()
    await this.page.keyboard.press('Escape')
  }

  async rename(name: string): Promise<void> {
    await this.detail.getByRole('textbox', { name: 'Name' }).fill(name)
    await this.detail.getByRole('button', { name: 'Rename', exact: true }).click()
    await expect(this.notice).toContainText(`Renamed: “${name}”`)
  }

  /** Deletes the opened experiment, confirming in the dialog. */
  async deleteOpened(): Promise<void> {
    await this.detail.getByRole('button', { name: 'Delete', exact: true }).click()
    const dialog = this.page.getByRole('dialog')
    await expect(dialog).toContainText('Delete')
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click()
  }
}
