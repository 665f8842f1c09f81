/** The Run view: the experiment's state, run controls, live charts and summary. */
import { expect, type Locator, type Page } from '@playwright/test'
import { BuildPage } from './BuildPage'
import { PresetsPage } from './PresetsPage'
import { RunChartsPart } from './RunChartsPart'

export class RunPage {
  readonly root: Locator
  readonly validationStatus: Locator
  readonly errors: Locator
  readonly issues: Locator
  readonly seed: Locator
  readonly runButton: Locator
  readonly pauseButton: Locator
  readonly cancelButton: Locator
  readonly progress: Locator
  readonly liveStatus: Locator
  readonly charts: RunChartsPart
  readonly summaryTable: Locator
  readonly summaryRows: Locator
  /** One stacked response-time bar per VM. */
  readonly breakdownBars: Locator
  /** Segments that stand for one mechanism of the run's explanation (not a whole category). */
  readonly mechanismSegments: Locator
  /** The hover card of a bar segment (rendered at the page's top level). */
  readonly breakdownTooltip: Locator
  readonly explainToggles: Locator
  readonly explainRows: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('view-run')
    this.validationStatus = this.root.getByTestId('validation-status')
    this.errors = this.root.getByTestId('validation-errors')
    this.issues = this.errors.getByTestId('validation-issue')
    this.seed = this.root.getByTestId('seed-input').locator('input')
    this.runButton = this.root.getByTestId('run-button')
    this.pauseButton = this.root.getByTestId('pause-button')
    this.cancelButton = this.root.getByTestId('cancel-button')
    this.progress = this.root.getByTestId('run-progress')
    this.liveStatus = this.root.getByTestId('live-status')
    this.charts = new RunChartsPart(this.root)
    this.summaryTable = this.root.getByTestId('summary-table')
    this.summaryRows = this.summaryTable.getByTestId('summary-row')
    this.breakdownBars = this.root.getByTestId('breakdown-bar')
    this.mechanismSegments = this.root.locator('[data-testid="breakdown-segment"][data-mechanism]')
    this.breakdownTooltip = page.getByTestId('breakdown-tooltip')
    this.explainToggles = this.root.getByTestId('explain-toggle')
    this.explainRows = this.root.getByTestId('explain-table').getByTestId('explain-row')
  }

  /** Opens a preset (its file name without extension) from the gallery, then comes to the Run view. */
  async pickExample(id: string): Promise<void> {
    await new PresetsPage(this.page).open(id)
    await this.show()
  }

  async show(): Promise<void> {
    await this.page.getByTestId('nav-run').click()
    await expect(this.root).toBeVisible()
  }

  /** Replaces the experiment's text in Build's text view, then comes back here. */
  async setText(text: string): Promise<void> {
    const build = new BuildPage(this.page)
    await build.open()
    await build.setText(text)
    await this.show()
  }

  async expectValid(): Promise<void> {
    await expect(this.validationStatus).toHaveAttribute('data-state', 'valid')
  }

  async setSeed(seed: number): Promise<void> {
    await this.seed.fill(String(seed))
    await this.seed.blur()
  }

  async run(): Promise<void> {
    await expect(this.runButton).toBeEnabled()
    await this.runButton.click()
  }

  /** The id of the run the view follows. */
  async runId(): Promise<string> {
    await expect(this.progress).toHaveAttribute('data-run-id', /.+/)
    return (await this.progress.getAttribute('data-run-id')) ?? ''
  }

  async progressPercent(): Promise<number> {
    return Number((await this.progress.getAttribute('data-progress')) ?? '0')
  }

  /** Waits for the run to end with `status`, within `timeout` ms. */
  async waitForEnd(status: string, timeout = 60_000): Promise<void> {
    await expect(this.progress).toHaveAttribute('data-status', status, { timeout })
  }
}
