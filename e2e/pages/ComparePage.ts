/** The Compare view: the run picker, the runs compared, each arm against the reference, charts and breakdowns. */
import { expect, type Locator, type Page } from '@playwright/test'

export class ComparePage {
  readonly root: Locator
  readonly picker: Locator
  readonly compared: Locator
  readonly arms: Locator
  readonly charts: Locator
  readonly breakdowns: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('view-compare')
    this.picker = this.root.getByTestId('compare-picker')
    this.compared = this.root.getByTestId('compared-run')
    this.arms = this.root.getByTestId('compare-arm')
    this.charts = this.root.getByTestId('compare-charts')
    this.breakdowns = this.root.getByTestId('compare-breakdowns')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-compare').click()
    await expect(this.root).toBeVisible()
  }

  /** Ticks the runs in order (the first is the reference) and compares them. */
  async pick(runIds: readonly string[]): Promise<void> {
    if (!(await this.picker.isVisible())) await this.root.getByRole('button', { name: 'Choose the runs to compare' }).click()
    for (const id of runIds) await this.picker.locator(`[data-testid="compare-pick-row"][data-run-id="${id}"]`).getByRole('checkbox').check()
    await this.picker.getByRole('button', { name: 'Compare', exact: true }).click()
    await expect(this.compared).toHaveCount(runIds.length)
  }

  arm(label: string): Locator {
    return this.arms.and(this.page.locator(`[data-arm="${label}"]`))
  }

  delta(arm: Locator, vm: string, metric: string): Locator {
    return arm.locator(`[data-testid="delta-row"][data-vm="${vm}"][data-metric="${metric}"]`)
  }
}
