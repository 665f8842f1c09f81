/** The Validation view: the group filter, the table of published cases, and the selected case's source and note. */
import type { Locator, Page } from '@playwright/test'

export class ValidationPage {
  readonly root: Locator
  readonly summary: Locator
  readonly rows: Locator
  readonly detail: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('view-validation')
    this.summary = this.root.getByTestId('validation-summary')
    this.rows = this.root.getByTestId('validation-table').getByTestId('validation-row')
    this.detail = this.root.getByTestId('validation-detail')
  }

  /** Shows one group of cases, by the filter's accessible name. */
  async show(label: 'All cases' | 'Validation' | 'Fitted'): Promise<void> {
    await this.root.getByRole('radio', { name: `Show ${label.toLowerCase()}` }).check({ force: true })
  }

  row(id: string): Locator {
    return this.rows.and(this.page.locator(`[data-id="${id}"]`))
  }

  /** The ids of the rows shown, with their group and whether they are in band. */
  async shown(): Promise<{ id: string; group: string; within: boolean }[]> {
    return this.rows.evaluateAll((rows) =>
      rows.map((r) => ({ id: r.getAttribute('data-id') ?? '', group: r.getAttribute('data-group') ?? '', within: r.getAttribute('data-within') === 'true' }))
    )
  }
}
