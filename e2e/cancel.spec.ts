/**
 * A long run can be paused, resumed and cancelled from the Run view; the
 * library records it as cancelled.
 */
import { expect, test } from '@playwright/test'
import { BuildPage } from './pages/BuildPage'
import { LabPage } from './pages/LabPage'
import { RunChartsPart } from './pages/RunChartsPart'
import { RunPage } from './pages/RunPage'
import { RunsPage } from './pages/RunsPage'

test('pause holds a running run, resume continues it, cancel stops it', async ({ page }) => {
  const lab = new LabPage(page)
  const run = new RunPage(page)
  await lab.open()
  // The busiest example (a database on a SAN: ~10⁶ events per simulated minute)
  // stretched to two simulated hours, so it is still running when Cancel is pressed.
  await run.pickExample('san-lun-fc')
  const build = new BuildPage(page)
  await build.open()
  await build.root.getByRole('treeitem').first().click()
  await page.keyboard.press('Escape') // nothing selected: the panel shows the experiment's settings
  await build.setNumber('duration_s', 7200)
  await expect(build.textView).toHaveAttribute('data-digest', /./)
  await expect.poll(async () => (await build.field('duration_s').locator('input').inputValue()).replace(/\D/g, '')).toBe('7200')
  await build.expectValid()
  await run.show()
  await run.expectValid()

  await run.run()
  const runId = await run.runId()
  await expect.poll(() => RunChartsPart.points(run.charts.throughput)).toBeGreaterThan(0)

  await run.pauseButton.click()
  await expect(run.progress).toHaveAttribute('data-paused', 'true')
  await expect(run.pauseButton).toHaveText('Resume')
  // Paused: the simulated time stands still (after any batch already in flight).
  await page.waitForTimeout(500)
  const held = await RunChartsPart.points(run.charts.throughput)
  await page.waitForTimeout(1_000)
  expect(await RunChartsPart.points(run.charts.throughput)).toBe(held)
  await run.pauseButton.click()
  await expect(run.progress).toHaveAttribute('data-paused', 'false')
  await expect.poll(() => RunChartsPart.points(run.charts.throughput)).toBeGreaterThan(held)

  await expect(run.cancelButton).toBeEnabled()
  await run.cancelButton.click()
  await run.waitForEnd('cancelled', 20_000)
  expect(await run.progressPercent()).toBeLessThan(100)
  await expect(run.runButton).toBeEnabled()

  await lab.goTo('runs')
  await expect(new RunsPage(page).row(runId)).toHaveAttribute('data-status', 'cancelled')
})
