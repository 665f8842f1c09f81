/**
 * The main path: open the lab, load a bundled example, run it, watch the
 * charts fill and the progress reach 100 %, read the summary and the
 * mechanisms behind each VM's response time (with their sources), then find the
 * run in the Runs list, reopen it with the same charts and summary, and
 * re-simulate it to the same checksum.
 */
import { expect, test } from '@playwright/test'
import { LabPage } from './pages/LabPage'
import { RunChartsPart } from './pages/RunChartsPart'
import { RunPage } from './pages/RunPage'
import { RunsPage } from './pages/RunsPage'
import { attachShot } from './shots'

/** Four VMs on one disk: several series per chart, a row per VM in the summary. */
const EXAMPLE = 'four-vms-one-disk'
const SEED = 1234

test('runs a bundled example live, then reopens it from the Runs list', async ({ page }, testInfo) => {
  const lab = new LabPage(page)
  const run = new RunPage(page)
  const runs = new RunsPage(page)

  await test.step('open the lab: header shows the mode and the data path', async () => {
    await lab.open()
    await expect(lab.mode).toHaveAttribute('data-mode', 'browser')
    const dataDir = process.env.HYPERLAB_E2E_DATA_DIR
    if (dataDir) await expect(lab.dataPath).toContainText(dataDir)
  })

  let vmCount = 0
  await test.step('load an example', async () => {
    await run.pickExample(EXAMPLE)
    await run.expectValid()
    vmCount = Number(/(\d+) VMs?/.exec((await run.validationStatus.textContent()) ?? '')?.[1] ?? '0')
    expect(vmCount).toBeGreaterThan(1)
    await expect(run.errors).toHaveCount(0)
  })

  let runId = ''
  let livePoints = 0
  await test.step('run it: charts receive points, progress reaches 100 %', async () => {
    await run.setSeed(SEED)
    await run.run()
    runId = await run.runId()
    await expect.poll(() => RunChartsPart.points(run.charts.throughput)).toBeGreaterThan(0)
    await run.waitForEnd('done')
    await expect(run.progress).toHaveAttribute('data-progress', '100')
    await expect.poll(() => RunChartsPart.lines(run.charts.throughput)).toBe(vmCount)
    await expect.poll(() => RunChartsPart.lines(run.charts.latency)).toBe(vmCount)
    livePoints = await RunChartsPart.points(run.charts.throughput)
    expect(livePoints).toBeGreaterThan(10)
    expect(await RunChartsPart.points(run.charts.latency)).toBe(livePoints)
  })

  await test.step('read the summary', async () => {
    await expect(run.summaryRows).toHaveCount(vmCount)
    const first = run.summaryRows.first()
    await expect(first.locator('[data-col="throughput"]')).toHaveText(/^\d[\d,]*\.\d$/)
  })

  await test.step('each VM has a response-time bar; hovering a mechanism names its source', async () => {
    await expect(run.breakdownBars).toHaveCount(vmCount)
    const segment = run.mechanismSegments.first()
    await expect(segment).toBeVisible()
    await segment.hover()
    await expect(run.breakdownTooltip).toBeVisible()
    await expect(run.breakdownTooltip).toContainText((await segment.getAttribute('data-mechanism')) ?? '')
    await expect(run.breakdownTooltip).toContainText('Source')
    await expect(run.breakdownTooltip.getByTestId('breakdown-tooltip-source').first()).toHaveText(/\S{3,}/)
    await page.mouse.move(0, 0)
    await expect(run.breakdownTooltip).toHaveCount(0)
  })

  await test.step('the mechanisms table lists what the bar is made of', async () => {
    await run.explainToggles.first().click()
    await expect(run.explainRows.first()).toBeVisible()
    expect(await run.explainRows.count()).toBeGreaterThan(1)
  })

  await test.step('save a screenshot of the run view', async () => {
    await attachShot(page, testInfo, 'run-view')
  })

  await test.step('find the run in the Runs list', async () => {
    await lab.goTo('runs')
    const row = runs.row(runId)
    await expect(row).toBeVisible()
    await expect(row).toHaveAttribute('data-status', 'done')
    await expect(row).toContainText(String(SEED))
  })

  await test.step('reopen it: the stored samples draw the same charts, and the summary is back', async () => {
    await runs.reopen(runId)
    await expect.poll(() => RunChartsPart.points(runs.charts.throughput)).toBe(livePoints)
    await expect.poll(() => RunChartsPart.lines(runs.charts.latency)).toBe(vmCount)
    await expect(runs.summaryRows).toHaveCount(vmCount)
  })

  await test.step('re-simulate it: same experiment and seed give the same checksum', async () => {
    await runs.verifyButton.click()
    await expect(runs.verifyResult).toHaveAttribute('data-identical', 'true', { timeout: 60_000 })
    await attachShot(page, testInfo, 'runs-view')
  })

  expect(lab.problems, 'the page logged no errors (CSP violations included)').toEqual([])
})
