/**
 * The Catalog view: every section the lab serves is listed, a search by id
 * or name finds an entry, and the selected entry shows its fields with the
 * source each number cites.
 */
import { expect, test } from '@playwright/test'
import { CatalogPage } from './pages/CatalogPage'
import { LabPage } from './pages/LabPage'

const SECTIONS = ['cpus', 'hypervisors', 'disks', 'devices', 'formats', 'workloads', 'techniques']

test('search the catalog for a CPU and read where its numbers come from', async ({ page }) => {
  const lab = new LabPage(page)
  const catalog = new CatalogPage(page)

  await lab.open()
  await lab.goTo('catalog')

  await test.step('every section is listed, the first one open with its entries', async () => {
    await expect(catalog.rows.first()).toBeVisible()
    const names = await catalog.sectionNames()
    for (const name of SECTIONS) expect(names).toContain(name)
  })

  let id = ''
  await test.step('searching "nehalem" leaves only matching entries', async () => {
    await catalog.find('nehalem')
    await expect(catalog.section('cpus')).toHaveAttribute('aria-current', 'true')
    await expect(catalog.rows.first()).toBeVisible()
    for (const row of await catalog.rows.all()) await expect(row).toContainText(/nehalem/i)
    id = (await catalog.rows.first().getAttribute('data-id')) ?? ''
    expect(id).toMatch(/nehalem/i)
  })

  await test.step('selecting it shows its fields, each number with its source', async () => {
    await catalog.row(id).click()
    await expect(catalog.detail).toHaveAttribute('data-id', id)
    await expect(catalog.detail).toContainText(/Nehalem/)
    await expect(catalog.fields.and(page.locator('[data-field="ghz"]'))).toBeVisible()
    const ghzSource = catalog.detail.locator('[data-field="ghz"]').getByTestId('catalog-source')
    await expect(ghzSource).toHaveText(/\S{3,}/)
    expect(await catalog.sources.count()).toBeGreaterThan(3)
  })

  await test.step('clearing the search brings every entry back', async () => {
    await catalog.find('')
    await expect.poll(() => catalog.rows.count()).toBeGreaterThan(1)
  })

  expect(lab.problems, 'the page logged no errors').toEqual([])
})
