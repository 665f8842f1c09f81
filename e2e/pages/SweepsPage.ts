/** The Sweeps view: the list of sweeps and the one opened, found by role and accessible name where they have one. */
import { expect, type Locator, type Page } from '@playwright/test'

export class SweepsPage {
  readonly root: Locator
  readonly rows: Locator
  readonly detail: Locator
  readonly status: Locator
  readonly chart: Locator
  readonly chartImage: Locator
  readonly pointRows: Locator
  readonly runRows: Locator
  readonly cancelButton: Locator
  readonly resumeButton: Locator
  readonly metric: Locator
  readonly parameter: Locator
  readonly vm: Locator
  readonly crnNote: Locator
  readonly compareButton: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('view-sweeps')
    this.rows = this.root.getByTestId('sweeps-table').getByTestId('sweeps-row')
    this.detail = this.root.getByTestId('sweep-detail')
    this.status = this.detail.getByTestId('sweep-status')
    this.chart = this.detail.getByTestId('sweep-chart')
    this.chartImage = this.detail.getByRole('img')
    this.pointRows = this.detail.getByTestId('sweep-point-row')
    this.runRows = this.detail.getByTestId('sweep-run-row')
    this.cancelButton = this.detail.getByRole('button', { name: 'Cancel sweep' })
    this.resumeButton = this.detail.getByRole('button', { name: 'Resume sweep' })
    this.metric = this.detail.getByRole('combobox', { name: 'Metric', exact: true })
    this.parameter = this.detail.getByRole('combobox', { name: 'Parameter on the x axis', exact: true })
    this.vm = this.detail.getByRole('combobox', { name: 'VM', exact: true })
    this.crnNote = this.detail.getByTestId('sweep-crn')
    this.compareButton = this.detail.getByRole('button', { name: 'Compare the ticked points and export a report' })
  }

  /** The id of the opened sweep. */
  async sweepId(): Promise<string> {
    await expect(this.detail).toHaveAttribute('data-sweep-id', /.+/)
    return (await this.detail.getAttribute('data-sweep-id')) ?? ''
  }

  async waitForStatus(status: string, timeout = 60_000): Promise<void> {
    await expect(this.detail).toHaveAttribute('data-status', status, { timeout })
  }
}
