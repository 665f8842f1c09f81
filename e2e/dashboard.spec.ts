/**
 * The dashboard as a user drives it: a live run paced for watching, paused
 * and resumed with one progress figure throughout; the event inspector
 * moving every chart's marker; the run replayed from the store with the
 * scrubber and at full speed; re-simulated and "reproduced exactly"; then the
 * 64-VM datacenter grouped by host, narrowed to its top 10 by p99; a SAN
 * run's array utilization and queue depth charts, live and replayed.
 * Screenshots of the 64-VM dashboard and of a replay go to docs/.
 */
import { expect, test, type Page } from '@playwright/test'
import { DashboardPart } from './pages/DashboardPart'
import { LabPage } from './pages/LabPage'
import { RunChartsPart } from './pages/RunChartsPart'
import { RunPage } from './pages/RunPage'
import { RunsPage } from './pages/RunsPage'
import { docShot } from './shots'

/** The lab open on the Run view with a bundled example loaded and valid, and the parts a dashboard test drives. */
async function openExample(page: Page, example: string): Promise<{ lab: LabPage; run: RunPage; runs: RunsPage; live: DashboardPart }> {
  const lab = new LabPage(page)
  const run = new RunPage(page)
  const runs = new RunsPage(page)
  const live = new DashboardPart(page, run.root)
  await lab.open()
  await run.pickExample(example)
  await run.expectValid()
  return { lab, run, runs, live }
}

test('watch a paced run, pause and resume it, inspect its events, replay and re-simulate it', async ({ page }) => {
  test.setTimeout(240_000)
  const { lab, run, runs, live } = await openExample(page, 'four-vms-one-disk')

  let runId = ''
  await test.step('run it at real time × 10 and pause it: one progress figure, in the tag and the label alike', async () => {
    runId = await live.runPacedAndPause(run, 0)
    const percent = await run.progress.getAttribute('data-progress')
    await expect(run.liveStatus).toHaveText(`paused ${percent} %`)
    await expect(run.progress).toContainText(`paused · ${percent} % · `)
    await expect(run.progress).toContainText('s simulated')
  })

  await test.step('resume it and watch it end', async () => {
    await run.pauseButton.click()
    await expect(run.progress).toHaveAttribute('data-paused', 'false')
    await run.waitForEnd('done', 120_000)
    await expect(run.progress).toContainText('done · 100 % · 60.0 of 60 s simulated')
  })

  await test.step('per host: CPU busy and its split, disk IOPS and MB/s, network Gb/s, each drawn with a line saying what it shows', async () => {
    for (const chart of [live.hostCpu, live.hostCpuSplit, live.hostIops, live.hostDiskMbs, live.hostNet]) {
      await expect.poll(() => RunChartsPart.points(chart)).toBeGreaterThan(10)
      await expect(chart).toHaveAttribute('aria-describedby', /.+/)
    }
    // One host: guest and hypervisor lines for the split, one line for the others.
    await expect(live.hostCpuSplit).toHaveAttribute('data-lines', '2')
    await expect(live.hostDiskMbs).toHaveAttribute('data-lines', '1')
    await expect(live.hostCpuSplit).toContainText("Guest: the guests' own instructions")
    await expect(live.hostDiskMbs).toContainText('IOPS times')
  })

  await test.step('the event inspector lists the pause and the saturated disk; picking one marks every chart there', async () => {
    await expect(live.eventItems.filter({ hasText: 'run paused' })).toHaveCount(1)
    await expect(live.events.locator('[data-kind="queue-saturated"]').first()).toBeVisible()
    await live.choose(live.eventFilter, 'Queue saturated')
    await page.keyboard.press('Escape')
    await expect(live.events.locator('[data-kind="paused"]')).toHaveCount(0)
    const first = live.eventItems.first()
    const tMs = Number(await first.getAttribute('data-t-ms'))
    await first.click()
    await live.expectMarkersAt(tMs / 1000)
    await expect(first).toHaveAttribute('aria-current', 'true')
  })

  const replayed = new DashboardPart(page, runs.detail)
  let whole = 0
  await test.step('replay it from the store: the scrubber puts the charts and the summary at that moment', async () => {
    await lab.goTo('runs')
    await runs.reopen(runId)
    await expect(replayed.replayTime).toHaveText('60.0 of 60 s simulated')
    // Windows are evenly spaced: half the run is half the points.
    whole = await RunChartsPart.points(replayed.throughput)
    expect(whole).toBeGreaterThan(10)
    await replayed.scrubber.fill('30000')
    await expect(replayed.replayTime).toHaveText('30.0 of 60 s simulated')
    await expect.poll(() => RunChartsPart.points(replayed.throughput)).toBe(whole / 2)
    // The per-host charts replay from the store too, cut at the playhead like the rest.
    await expect.poll(() => RunChartsPart.points(replayed.hostDiskMbs)).toBe(whole / 2)
    await expect.poll(() => RunChartsPart.points(replayed.hostCpuSplit)).toBe(whole / 2)
    await expect(replayed.summaryNote).toContainText('as it stood at 30.0 s')
    await replayed.expectMarkersAt(30)
    await docShot(page, 'replay')
  })

  await test.step('play it as fast as possible to the end: the stored summary is back', async () => {
    await replayed.choose(replayed.replaySpeed, 'As fast as possible')
    await replayed.replayPlay.click()
    await expect(replayed.replay).toHaveAttribute('data-playing', 'false', { timeout: 60_000 })
    await expect(replayed.replay).toHaveAttribute('data-playhead', '60000')
    await expect.poll(() => RunChartsPart.points(replayed.throughput)).toBe(whole)
    await expect(replayed.summaryNote).toContainText('after warm-up')
  })

  await test.step('picking an event during a replay seeks there', async () => {
    await replayed.scrubber.fill('10000')
    const event = replayed.eventItems.filter({ hasText: 'run resumed' })
    const tMs = Number(await event.getAttribute('data-t-ms'))
    await event.click()
    await expect(replayed.replay).toHaveAttribute('data-playhead', String(tMs))
    await expect(replayed.summaryNote).toContainText(`as it stood at ${(tMs / 1000).toFixed(1)} s`)
  })

  await test.step('re-simulate it: reproduced exactly', async () => {
    await runs.verifyButton.click()
    await expect(runs.verifyResult).toHaveAttribute('data-identical', 'true', { timeout: 120_000 })
    await expect(runs.verifyResult).toContainText('Reproduced exactly.')
  })

  expect(lab.problems, 'the page logged no errors').toEqual([])
})

test('a SAN run charts its array utilization and queue depth live, and replays them from the store', async ({ page }) => {
  test.setTimeout(240_000)
  const { lab, run, runs, live } = await openExample(page, 'san-lun-fc')

  let runId = ''
  await test.step('while it runs (paused to look), both array charts draw its windows, each named and described', async () => {
    runId = await live.runPacedAndPause(run, 2)
    for (const chart of [live.arrayUtilization, live.arrayQueue]) {
      await expect(chart).toBeVisible()
      await expect(chart).toHaveAttribute('aria-describedby', /.+/)
      // One array: one line, as many windows as the VMs' charts.
      await expect(chart).toHaveAttribute('data-lines', '1')
      await expect.poll(() => RunChartsPart.points(chart)).toBe(await RunChartsPart.points(live.throughput))
    }
    await expect(live.arrayUtilization).toContainText("mean of its spindles' busy time")
    await expect(live.arrayQueue).toContainText("Little's law")
    await run.pauseButton.click()
    await run.waitForEnd('done', 120_000)
    await expect.poll(() => RunChartsPart.points(live.arrayQueue)).toBe(await RunChartsPart.points(live.throughput))
  })

  await test.step('reopened from the store, they replay cut at the scrubber like every chart', async () => {
    const replayed = new DashboardPart(page, runs.detail)
    await lab.goTo('runs')
    await runs.reopen(runId)
    const whole = await RunChartsPart.points(replayed.throughput)
    expect(whole).toBeGreaterThan(10)
    await expect.poll(() => RunChartsPart.points(replayed.arrayUtilization)).toBe(whole)
    await expect.poll(() => RunChartsPart.points(replayed.arrayQueue)).toBe(whole)
    await replayed.scrubber.fill('30000')
    await expect(replayed.replayTime).toHaveText('30.0 of 60 s simulated')
    await expect.poll(() => RunChartsPart.points(replayed.arrayUtilization)).toBe(whole / 2)
    await expect.poll(() => RunChartsPart.points(replayed.arrayQueue)).toBe(whole / 2)
    await replayed.arrayUtilization.scrollIntoViewIfNeeded()
    await docShot(page, 'dashboard-arrays')
  })

  expect(lab.problems, 'the page logged no errors').toEqual([])
})

test('a 64-VM run reads grouped by host, and narrows to its top 10 by p99', async ({ page }) => {
  test.setTimeout(420_000)
  const { lab, run, live: board } = await openExample(page, 'datacenter-64')
  await run.run()

  await test.step('it opens grouped by host: eight groups of eight, one hue each', async () => {
    await expect(board.root).toHaveAttribute('data-group-by', 'host')
    await expect(board.groupChips).toHaveCount(8)
    await expect(board.groupChips.first()).toContainText('h1')
    await run.waitForEnd('done', 360_000)
    await expect(board.summaryGroups).toHaveCount(8)
    for (const g of await board.summaryGroups.all()) await expect(g).toContainText('8 VMs')
    // Groups of eight start collapsed: the summary fits on a screen.
    await expect(board.summaryRows).toHaveCount(0)
    await expect(board.shown).toHaveText('64 of 64 VMs drawn')
  })

  await test.step('open one host, sort it by p99, and screenshot the dashboard', async () => {
    await board.root.getByRole('button', { name: 'Expand host h1' }).click()
    await expect(board.summaryRows).toHaveCount(8)
    await board.root.getByRole('button', { name: 'Sort by p99' }).click()
    const p99s = await board.summaryRows.evaluateAll((rows) => rows.map((r) => Number((r.children[3]?.textContent ?? '').replace(/,/g, ''))))
    expect(p99s).toEqual([...p99s].sort((a, b) => b - a))
    // An open workload's headline is its response time, a closed loop's its throughput.
    await expect(board.summaryRows.filter({ hasText: 'h1-web1' }).locator('[data-col="overhead"]')).toContainText('mean response time')
    await expect(board.summaryRows.filter({ hasText: 'h1-db1' }).locator('[data-col="overhead"]')).toContainText('throughput')
    await docShot(page, 'dashboard-64')
  })

  await test.step('hide a host from its legend chip, then show only the top 10 by p99', async () => {
    await board.root.getByRole('button', { name: 'Show host h8 (8 VMs)' }).click()
    await expect(board.shown).toHaveText('56 of 64 VMs drawn')
    await expect.poll(() => RunChartsPart.lines(board.throughput)).toBe(56)
    await board.choose(board.show, 'Top N by p99')
    await expect(board.shown).toHaveText('10 of 64 VMs drawn')
    await expect.poll(() => RunChartsPart.lines(board.latency)).toBe(10)
  })

  expect(lab.problems, 'the page logged no errors').toEqual([])
})
