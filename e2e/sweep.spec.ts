/**
 * A sweep from the Run view: the bundled sweep example (shortened) runs as a
 * sweep, the Sweeps view charts a metric against the swept parameter with a
 * confidence bar at every point and lists its runs, which open in Runs; two
 * points are compared as a report; a second sweep is cancelled mid-way and
 * resumed to the end.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { LabPage } from './pages/LabPage'
import { ReportDialogPart } from './pages/ReportDialogPart'
import { RunPage } from './pages/RunPage'
import { RunsPage } from './pages/RunsPage'
import { SweepsPage } from './pages/SweepsPage'
import { attachShot } from './shots'

const EXAMPLE = 'sweep-disk-controller'

test('runs a sweep, charts it with confidence bars, opens its runs, cancels and resumes one', async ({ page }, testInfo) => {
  test.setTimeout(300_000)
  const lab = new LabPage(page)
  const run = new RunPage(page)
  const sweeps = new SweepsPage(page)

  await lab.open()
  await run.pickExample(EXAMPLE)
  // Shorter runs, same sweep: 2 controllers × 3 client counts × 3 replications.
  const text = readFileSync(join(__dirname, '..', 'resources', 'examples', `${EXAMPLE}.yaml`), 'utf8').replace(/^duration_s: \d+$/m, 'duration_s: 3').replace(/^warmup_s: \d+$/m, 'warmup_s: 1')
  await run.setText(text)
  await run.expectValid()
  await expect(run.validationStatus).toContainText('a sweep of 6 points × 3 replications')
  await expect(run.runButton).toHaveText('Run sweep')

  await test.step('run it: the Sweeps view opens on it and fills as its runs end', async () => {
    await run.run()
    await expect(sweeps.detail).toBeVisible()
    await sweeps.waitForStatus('done', 240_000)
    await expect(sweeps.detail.getByTestId('sweep-counts')).toContainText('18 of 18 runs done')
    await expect(sweeps.crnNote).toContainText('the same seed at every point')
  })

  await test.step('the chart: throughput against the clients, a line per controller, a 95 % bar at every point', async () => {
    await expect(sweeps.metric).toHaveValue('throughput_ops_s')
    await sweeps.parameter.selectOption({ label: 'vms[db1].workload.arrival.clients' })
    await expect(sweeps.chart).toHaveAttribute('data-lines', '2')
    await expect(sweeps.chart).toHaveAttribute('data-points', '6')
    await expect(sweeps.chart).toHaveAttribute('data-intervals', '6')
    await expect(sweeps.chartImage).toHaveAttribute('aria-label', /Throughput of db1 against clients.*2 lines, 6 points, 6 with a 95 % confidence interval/)
    await expect(sweeps.pointRows).toHaveCount(6)
    await expect(sweeps.pointRows.first().locator('[data-col="interval"]')).toHaveText(/^[\d,.]+ – [\d,.]+$/)
    await expect(sweeps.runRows).toHaveCount(18)
    await attachShot(page, testInfo, 'sweep-view', { fullPage: true })
  })

  await test.step('another metric and the other parameter on the x axis', async () => {
    await sweeps.metric.selectOption('overhead_pct')
    await expect(sweeps.chartImage).toHaveAttribute('aria-label', /Overhead vs native of db1/)
    await sweeps.parameter.selectOption({ label: 'vms[db1].disks[0].model' })
    await expect(sweeps.chart).toHaveAttribute('data-lines', '3')
    await expect(sweeps.vm).toHaveValue('db1')
  })

  await test.step('two points compared: the comparison report of their runs, paired by seed', async () => {
    await expect(sweeps.compareButton).toBeDisabled()
    await sweeps.detail.getByRole('checkbox', { name: /^Compare point 1 / }).check()
    await sweeps.detail.getByRole('checkbox', { name: /^Compare point 4 / }).check()
    await expect(sweeps.compareButton).toBeEnabled()
    await sweeps.compareButton.click()
    const dialog = new ReportDialogPart(page)
    await expect(dialog.preview).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
    await expect(dialog.frame.locator('body')).toContainText('lsilogic')
    await dialog.close()
  })

  await test.step("a sweep's run opens in Runs like any run", async () => {
    const first = sweeps.runRows.first()
    const runId = (await first.getAttribute('data-run-id')) ?? ''
    await first.getByRole('button', { name: /^Open the run of point 1, replication 1$/ }).click()
    const runs = new RunsPage(page)
    await expect(runs.detail).toHaveAttribute('data-run-id', runId)
    await expect(runs.summaryRows).toHaveCount(1)
  })

  await test.step('a second sweep is cancelled mid-way and resumed to the end', async () => {
    await lab.goTo('run')
    await run.setText(text.replace(/^name: .*$/m, 'name: Cancelled then resumed').replace(/^duration_s: \d+$/m, 'duration_s: 6'))
    await run.expectValid()
    await run.run()
    await sweeps.waitForStatus('running')
    await expect(sweeps.runRows.first()).toBeVisible()
    await sweeps.cancelButton.click()
    await sweeps.waitForStatus('cancelled')
    const counts = (await sweeps.detail.getByTestId('sweep-counts').textContent()) ?? ''
    expect(Number(/(\d+) of 18 runs done/.exec(counts)?.[1] ?? '18')).toBeLessThan(18)
    await expect(sweeps.resumeButton).toBeEnabled()
    await sweeps.resumeButton.click()
    await sweeps.waitForStatus('done', 240_000)
    await expect(sweeps.detail.getByTestId('sweep-counts')).toContainText('18 of 18 runs done')
    // Every point and replication once: 18 runs, none left cancelled.
    await expect(sweeps.runRows).toHaveCount(18)
    await expect(sweeps.runRows.and(page.locator('[data-status="done"]'))).toHaveCount(18)
    await expect(sweeps.rows.first()).toHaveAttribute('data-status', 'done')
  })

  // The report preview is a sandboxed document whose scripts are meant to be blocked (as in report.spec.ts).
  expect(lab.problems.filter((p) => !p.includes("Blocked script execution in 'about:srcdoc'")), 'the page logged no errors (CSP violations included)').toEqual([])
})
