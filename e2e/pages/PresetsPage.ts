/** The Presets view: the gallery of bundled example experiments. */
import { expect, type Locator, type Page } from '@playwright/test'

export class PresetsPage {
  readonly root: Locator
  readonly cards: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('view-presets')
    this.cards = this.root.getByTestId('preset-card')
  }

  card(id: string): Locator {
    return this.root.locator(`[data-testid="preset-card"][data-example-id="${id}"]`)
  }

  /** Opens a preset (its file name without extension) in Build. */
  async open(id: string): Promise<void> {
    await this.page.getByTestId('nav-presets').click()
    await expect(this.card(id)).toBeVisible()
    await this.card(id).getByTestId('open-preset').click()
    await expect(this.page.getByTestId('view-build')).toBeVisible()
  }
}
