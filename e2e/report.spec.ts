/**
 * Exporting: a finished run's Export opens a preview of the report, other
 * formats preview their file, and Download hands over a self-contained HTML
 * file or a PDF; two runs ticked in the Runs list export as a comparison.
 */
import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { LabPage } from './pages/LabPage'
import { ReportDialogPart } from './pages/ReportDialogPart'
import { RunPage } from './pages/RunPage'
import { RunsPage } from './pages/RunsPage'

test('exports a run with a preview, and two runs as a comparison', async ({ page }, testInfo) => {
  // Two runs and a PDF printed by a Chromium of the server's: more than the default on a busy machine.
  test.setTimeout(300_000)
  const lab = new LabPage(page)
  const run = new RunPage(page)
  const runs = new RunsPage(page)
  const dialog = new ReportDialogPart(page)
  await lab.open()

  const ids: string[] = []
  await test.step('run an example twice, with two seeds', async () => {
    await run.pickExample('esx35-vs-native')
    await run.expectValid()
    for (const seed of [11, 12]) {
      await run.setSeed(seed)
      await run.run()
      await expect(run.progress).not.toHaveAttribute('data-run-id', ids[ids.length - 1] ?? '#none')
      ids.push(await run.runId())
      await run.waitForEnd('done')
    }
  })

  await test.step('Export shows the report itself as a preview', async () => {
    await run.root.getByTestId('run-export').click()
    await expect(dialog.root).toBeVisible()
    await expect(dialog.preview).toHaveAttribute('data-state', 'ready')
    // Opening the preview runs nothing and logs nothing (the frame is sandboxed without scripts).
    expect(lab.appProblems()).toEqual([])
    await expect(dialog.frame.locator('h1')).toHaveText('One VM alone on ESX 3.5 vs native')
    await expect(dialog.frame.locator('[data-table="vms"] tr[data-vm="build1"]')).toHaveCount(1)
    await expect(dialog.frame.locator('svg[aria-label^="Topology"]')).toHaveCount(1)
    await page.screenshot({ path: testInfo.outputPath('export-preview.png') })
  })

  await test.step('CSV previews its first lines; the series can be chosen', async () => {
    await dialog.chooseFormat('CSV')
    await expect(dialog.previewText).toContainText('run_id,arm,experiment,seed')
    await dialog.root.getByRole('radiogroup', { name: 'CSV table' }).getByText('Sample series', { exact: true }).click()
    await dialog.root.getByRole('checkbox', { name: 'CPU (%)' }).click()
    await expect(dialog.previewText).toContainText('run_id,arm,t_ms,vm,throughput_ops_s,latency_mean_ms,latency_p99_ms,disk_iops\n')
  })

  await test.step('HTML downloads as one self-contained file', async () => {
    await dialog.chooseFormat('HTML')
    const download = await dialog.download()
    expect(download.suggestedFilename()).toMatch(/^hyperlab-one-vm-alone-on-esx-3-5-vs-native-[0-9a-f]{8}\.html$/)
    const html = readFileSync((await download.path())!, 'utf8')
    expect(html).toContain('<h1>One VM alone on ESX 3.5 vs native</h1>')
    expect(html).not.toMatch(/https?:/)
    await expect(dialog.saved).toContainText('Downloaded')
  })

  await test.step('PDF downloads, printed on the server', async () => {
    await dialog.chooseFormat('PDF')
    const download = await dialog.download()
    const pdf = readFileSync((await download.path())!)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await dialog.close()
  })

  await test.step('two runs ticked in the Runs list export as a comparison', async () => {
    await lab.goTo('runs')
    for (const id of ids) await runs.row(id).getByTestId('runs-pick').click()
    const compare = runs.root.getByTestId('compare-export')
    await expect(compare).toHaveText('Compare & export (2)')
    await compare.click()
    await expect(dialog.preview).toHaveAttribute('data-state', 'ready')
    await expect(dialog.frame.locator('h1')).toHaveText('One VM alone on ESX 3.5 vs native (2 runs)')
    await expect(dialog.frame.locator('[data-table="replications"] tr[data-vm="build1"]')).toHaveCount(1)
    await page.screenshot({ path: testInfo.outputPath('export-comparison.png') })
    await dialog.close()
  })

  expect(lab.appProblems()).toEqual([])
})
