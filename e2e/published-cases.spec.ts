/**
 * The Validation view: the published cases run on an engine thread when the
 * view opens; each shows its literature value, band and the model's value, is
 * marked fitted or validation, and a selected case shows its source (and, when
 * it misses, why). The group filter shows one group at a time.
 */
import { expect, test } from '@playwright/test'
import { LabPage } from './pages/LabPage'
import { ValidationPage } from './pages/ValidationPage'

test('read how the model fares against published measurements, fitted and held-out cases apart', async ({ page }) => {
  test.setTimeout(180_000)
  const lab = new LabPage(page)
  const v = new ValidationPage(page)

  await lab.open()
  await lab.goTo('validation')

  await test.step('the cases run and every one lands in the table with a value', async () => {
    await expect(v.summary).toContainText(/Validation cases: \d+ of \d+ in band · Fitted cases: \d+ of \d+ in band/, { timeout: 150_000 })
    const rows = await v.shown()
    expect(rows.length).toBeGreaterThan(10)
    expect(rows.some((r) => r.group === 'fitted')).toBe(true)
    expect(rows.some((r) => r.group === 'validation')).toBe(true)
    for (const value of await v.rows.getByTestId('validation-value').allTextContents()) expect(value).toMatch(/\d/)
  })

  await test.step('a fitted case names the inputs tuned to it and its source', async () => {
    await v.show('Fitted')
    await expect.poll(async () => (await v.shown()).every((r) => r.group === 'fitted')).toBe(true)
    const first = (await v.shown())[0]!
    await v.row(first.id).click()
    await expect(v.detail).toHaveAttribute('data-id', first.id)
    await expect(v.detail.getByTestId('validation-group')).toContainText('catalog inputs were tuned')
    await expect(v.detail).toContainText('Inputs fitted to it')
    await expect(v.detail.getByTestId('validation-source')).toHaveText(/.{20,}/)
  })

  await test.step('a validation case outside its band says why, and the keyboard selects too', async () => {
    await v.show('Validation')
    await expect.poll(async () => (await v.shown()).every((r) => r.group === 'validation')).toBe(true)
    const miss = (await v.shown()).find((r) => !r.within)
    expect(miss, 'at least one validation case misses its band, visibly').toBeDefined()
    await v.row(miss!.id).focus()
    await page.keyboard.press('Enter')
    await expect(v.detail).toHaveAttribute('data-id', miss!.id)
    await expect(v.detail.getByTestId('validation-group')).toContainText('nothing was tuned')
    await expect(v.detail.getByTestId('validation-note')).toHaveText(/.{40,}/)
  })

  await page.screenshot({ path: 'test-results/validation-view.png', fullPage: true })
  expect(lab.problems, 'the page logged no errors').toEqual([])
})
