/** The Catalog view: sections, the search box, a section's entries, and the selected entry's fields and sources. */
import type { Locator, Page } from '@playwright/test'

export class CatalogPage {
  readonly root: Locator
  readonly search: Locator
  readonly sections: Locator
  readonly rows: Locator
  readonly detail: Locator
  readonly fields: Locator
  readonly sources: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('view-catalog')
    this.search = this.root.getByTestId('catalog-search').locator('input')
    this.sections = this.root.getByTestId('catalog-section')
    this.rows = this.root.getByTestId('catalog-table').getByTestId('catalog-row')
    this.detail = this.root.getByTestId('catalog-detail')
    this.fields = this.detail.getByTestId('catalog-field')
    this.sources = this.detail.getByTestId('catalog-source')
  }

  section(name: string): Locator {
    return this.root.locator(`[data-testid="catalog-section"][data-section="${name}"]`)
  }

  row(id: string): Locator {
    return this.rows.and(this.page.locator(`[data-id="${id}"]`))
  }

  /** Names of the sections shown, in order (`cpus`, `hypervisors`, …). */
  async sectionNames(): Promise<string[]> {
    const names = await this.sections.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-section') ?? ''))
    return names.filter(Boolean)
  }

  async find(text: string): Promise<void> {
    await this.search.fill(text)
  }
}
