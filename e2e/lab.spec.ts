/** Opening the lab the wrong way says how to open it the right way. */
import { expect, test } from '@playwright/test'
import { LabPage, labUrl } from './pages/LabPage'

test('without its token the lab says to open the printed URL', async ({ page }) => {
  const lab = new LabPage(page)
  const url = new URL(labUrl())
  url.search = ''
  await page.goto(url.toString())
  await expect(lab.banner).toBeVisible()
  await expect(lab.banner).toHaveAttribute('data-state', 'no-token')
  await expect(lab.banner).toContainText('npm start')
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled()
})

test('with a wrong token the lab says the server refused it, and stops retrying', async ({ page }) => {
  const lab = new LabPage(page)
  const url = new URL(labUrl())
  url.searchParams.set('token', 'not-the-token')
  let sockets = 0
  page.on('websocket', () => sockets++)
  await page.goto(url.toString())
  await expect(lab.banner).toBeVisible()
  await expect(lab.banner).toHaveAttribute('data-state', 'refused')
  await expect(lab.banner).toContainText('token refused')
  await expect(lab.banner).toContainText('including its token')
  await page.waitForTimeout(1500) // longer than the first retry's backoff
  expect(sockets).toBe(1)
})
