/** The Runs view: the library table and a reopened run. */
import { expect, type Locator, type Page } from '@playwright/test'
import { RunChartsPart } from './RunChartsPart'

export class RunsPage {
  readonly root: Locator
  readonly table: Locator
  readonly rows: Locator
  readonly detail: Locator
  readonly charts: RunChartsPart
  readonly summaryRows: Locator
  readonly verifyButton: Locator
  readonly verifyResult: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('view-runs')
    this.table = this.root.getByTestId('runs-table')
    this.rows = this.table.getByTestId('runs-row')
    this.detail = this.root.getByTestId('run-detail')
    this.charts = new RunChartsPart(this.detail)
    this.summaryRows = this.detail.getByTestId('summary-table').getByTestId('summary-row')
    this.verifyButton = this.detail.getByTestId('verify-button')
    this.verifyResult = this.detail.getByTestId('verify-result')
  }

  row(runId: string): Locator {
    return this.table.locator(`[data-testid="runs-row"][data-run-id="${runId}"]`)
  }

  async reopen(runId: string): Promise<void> {
    await this.row(runId).click()
    await expect(this.detail).toHaveAttribute('data-run-id', runId)
  }
}
