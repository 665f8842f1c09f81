/**
 * The timeline as a user drives it: the "pass-through NIC against vmxnet3"
 * preset opens with its two migrations on the Build view's timeline; one is
 * dragged to a later time (the text follows, undo puts it back, the arrow
 * keys move it too); the run then shows, in the event inspector, the
 * pass-through migration refused with the engine's reason and the vmxnet3 one
 * moved with its rounds and downtime, and every chart marks both; the
 * stored run, reopened from Runs, shows the same.
 * Screenshots of the timeline and of the outcomes go to docs/.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { BuildPage } from './pages/BuildPage'
import { DashboardPart } from './pages/DashboardPart'
import { LabPage } from './pages/LabPage'
import { PresetsPage } from './pages/PresetsPage'
import { RunChartsPart } from './pages/RunChartsPart'
import { RunPage } from './pages/RunPage'
import { RunsPage } from './pages/RunsPage'
import { docShot } from './shots'

test('drag a migration on the timeline, run it, and read each migration\'s outcome in the inspector', async ({ page }) => {
  test.setTimeout(240_000)
  const lab = new LabPage(page)
  const build = new BuildPage(page)
  const run = new RunPage(page)
  await lab.open()
  await new PresetsPage(page).open('passthrough-vs-vmxnet3-mobility')

  const timeline = page.getByRole('region', { name: 'Timeline' })
  const direct = timeline.getByRole('slider', { name: /^migrate direct → esx2 at/ })
  const mobile = timeline.getByRole('slider', { name: /^migrate mobile → esx2 at/ })

  await test.step('the preset\'s two migrations are on the timeline at 15 s', async () => {
    await expect(timeline.getByRole('slider')).toHaveCount(2)
    await expect(direct).toHaveAttribute('aria-valuenow', '15')
    await expect(mobile).toHaveAttribute('aria-valuenow', '15')
    await expect(timeline).toContainText('0–40 s')
  })

  await test.step('drag the vmxnet3 migration to 25 s: the text follows, undo puts it back', async () => {
    const track = timeline.locator('.builder-timeline__track')
    const box = await track.boundingBox()
    const from = await mobile.boundingBox()
    if (!box || !from) throw new Error('the timeline is not on screen')
    await page.mouse.move(from.x + 4, from.y + from.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * (20 / 40), from.y + from.height / 2, { steps: 4 })
    await page.mouse.move(box.x + box.width * (25 / 40), from.y + from.height / 2, { steps: 4 })
    await page.mouse.up()
    await expect(mobile).toHaveAttribute('aria-valuenow', '25')
    await expect(direct).toHaveAttribute('aria-valuenow', '15')
    await expect(build.notice).toHaveText('Moved migrate mobile → esx2 to 25 s')
    // The text view draws the lines in sight: go to the end, where the events are.
    await build.textView.locator('.cm-content').click()
    await page.keyboard.press('Control+End')
    await expect(build.textView).toContainText('{ at_s: 25, do: migrate, vm: mobile, to: esx2 }')
    await build.button('Undo').click()
    await expect(mobile).toHaveAttribute('aria-valuenow', '15')
    await expect(build.textView).toContainText('{ at_s: 15, do: migrate, vm: mobile, to: esx2 }')
    await build.button('Redo').click()
    await expect(mobile).toHaveAttribute('aria-valuenow', '25')
  })

  await test.step('the arrow keys move it too; the editor names what it acts on', async () => {
    await mobile.focus()
    await page.keyboard.press('ArrowRight')
    await expect(mobile).toHaveAttribute('aria-valuenow', '26')
    await page.keyboard.press('ArrowLeft')
    await expect(mobile).toHaveAttribute('aria-valuenow', '25')
    await page.keyboard.press('Shift+ArrowRight')
    await expect(mobile).toHaveAttribute('aria-valuenow', '35')
    await page.keyboard.press('Shift+ArrowLeft')
    await expect(mobile).toHaveAttribute('aria-valuenow', '25')
    // Alt+← is the browser's "back" elsewhere: here it moves the event a tenth, and Build stays.
    await page.keyboard.press('Alt+ArrowLeft')
    await expect(mobile).toHaveAttribute('aria-valuenow', '24.9')
    await page.keyboard.press('Alt+ArrowRight')
    await expect(mobile).toHaveAttribute('aria-valuenow', '25')
    await expect(build.root).toBeVisible()
    const editor = timeline.getByRole('group', { name: /migrate mobile → esx2/ })
    await expect(editor.getByTestId('timeline-field-vm')).toContainText('mobile')
    await expect(editor.getByTestId('timeline-field-to')).toContainText('esx2')
    await build.expectValid()
    await docShot(timeline, 'builder-timeline')
  })

  await test.step('add a snapshot from the menu at the selected event\'s time, then delete it: the timeline is as before', async () => {
    const before = await build.digest()
    await timeline.getByRole('button', { name: 'Add event' }).click()
    await page.getByText('snapshot — take a snapshot', { exact: false }).click()
    const snapshot = timeline.getByRole('slider', { name: /^snapshot direct at 25 s$/ })
    await expect(snapshot).toHaveCount(1)
    await expect(timeline.getByRole('slider')).toHaveCount(3)
    await expect(timeline.getByRole('group', { name: /snapshot direct/ })).toBeVisible()
    await timeline.getByRole('button', { name: 'Delete event' }).click()
    await expect(timeline.getByRole('slider')).toHaveCount(2)
    await expect.poll(() => build.digest()).toBe(before)
  })

  await test.step('run it: the pass-through migration is refused with its reason, the vmxnet3 one moves with its downtime', async () => {
    await build.runButton.click()
    await expect(run.root).toBeVisible()
    await run.waitForEnd('done', 180_000)
    const outcomes = run.root.getByRole('region', { name: 'Timeline outcomes' })
    const refused = outcomes.locator('[data-testid="timeline-outcome"][data-subject="direct → esx2"]')
    const moved = outcomes.locator('[data-testid="timeline-outcome"][data-subject="mobile → esx2"]')
    await expect(refused).toHaveAttribute('data-status', 'refused')
    await expect(refused).toContainText('15 s')
    await expect(refused).toContainText(/refused: NIC 0 is a pass-through device \(VMDirectPath I\/O\)/)
    await expect(moved).toHaveAttribute('data-status', 'done')
    await expect(moved).toContainText('25 s')
    await expect(moved).toContainText(/\d+ rounds? · [\d,]+ MB sent · total [\d.]+ s · downtime [\d.]+ ms · (pre-copy converged|did not converge)/)
    // Every chart marks both: the refused one at 15 s, the migration from 25 s.
    const chart = run.root.getByTestId('chart-throughput')
    await expect(chart).toHaveAttribute('data-spans', /15:refused/)
    await expect(chart).toHaveAttribute('data-spans', /25:done/)
    // Picking an outcome marks its moment on every chart.
    await moved.click()
    await expect(chart).toHaveAttribute('data-marker', '25')
    await docShot(run.root.getByTestId('event-inspector'), 'timeline-outcomes')
  })

  await test.step('the per-host charts draw both hosts, and say the migrated VM counts on esx2 once it has moved', async () => {
    const charts = new DashboardPart(page, run.root)
    await expect.poll(() => RunChartsPart.points(charts.hostNet)).toBeGreaterThan(10)
    // Guest and hypervisor lines for each of the two hosts.
    await expect(charts.hostCpuSplit).toHaveAttribute('data-lines', '4')
    await expect(charts.hostCpu).toHaveAttribute('data-lines', '2')
    await expect(charts.hostCpu).toContainText('A VM counts on its new host from the window in which its live migration completed')
    await expect(charts.hostNet).toHaveAttribute('data-spans', /25:done/)
    await charts.hostCpu.scrollIntoViewIfNeeded()
    await docShot(page, 'dashboard-hosts')
  })

  await test.step('the stored run, reopened from Runs, lists the same outcomes', async () => {
    const runId = await run.runId()
    const runs = new RunsPage(page)
    await lab.goTo('runs')
    await runs.reopen(runId)
    const outcomes = runs.detail.getByRole('region', { name: 'Timeline outcomes' })
    await expect(outcomes.locator('[data-testid="timeline-outcome"][data-subject="direct → esx2"]')).toContainText(/refused: NIC 0 is a pass-through device/)
    await expect(outcomes.locator('[data-testid="timeline-outcome"][data-subject="mobile → esx2"]')).toContainText(/downtime [\d.]+ ms/)
    await expect(runs.detail.getByTestId('chart-throughput')).toHaveAttribute('data-spans', /25:done/)
  })

  expect(lab.appProblems()).toEqual([])
})

test('an event the checks refuse is marked on the timeline, with the problem at its field', async ({ page }) => {
  const lab = new LabPage(page)
  const build = new BuildPage(page)
  await lab.open()
  await new PresetsPage(page).open('passthrough-vs-vmxnet3-mobility')
  const text = readFileSync(join(__dirname, '..', 'resources', 'examples', 'passthrough-vs-vmxnet3-mobility.yaml'), 'utf8')
  await build.setText(text.replace('{ at_s: 15, do: migrate, vm: mobile, to: esx2 }', '{ at_s: 15, do: migrate, vm: mobile, to: esx9 }'))
  const timeline = page.getByRole('region', { name: 'Timeline' })
  const mobile = timeline.getByRole('slider', { name: /^migrate mobile → esx9 at 15 s$/ })
  await expect(mobile).toHaveAttribute('aria-invalid', 'true')
  await expect(timeline.getByRole('slider', { name: /^migrate direct/ })).not.toHaveAttribute('aria-invalid', 'true')
  await mobile.click()
  const editor = timeline.getByRole('group', { name: /migrate mobile → esx9/ })
  await expect(editor.getByRole('alert')).toContainText('esx9')
  // Picking the real destination from the experiment's hosts clears it.
  await build.choose(editor.getByTestId('timeline-field-to'), /^esx2$/)
  await expect(timeline.getByRole('slider', { name: /^migrate mobile → esx2 at 15 s$/ })).not.toHaveAttribute('aria-invalid', 'true')
  await build.expectValid()
  expect(lab.appProblems()).toEqual([])
})
