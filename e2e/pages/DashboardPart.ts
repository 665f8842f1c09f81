/** The run dashboard (grouping, top N, charts, grouped summary), the event inspector and the replay bar, wherever they are shown. */
import { expect, type Locator, type Page } from '@playwright/test'
import { RunChartsPart } from './RunChartsPart'
import type { RunPage } from './RunPage'

export class DashboardPart {
  readonly root: Locator
  readonly groupBy: Locator
  readonly show: Locator
  readonly shown: Locator
  readonly groupChips: Locator
  readonly summaryGroups: Locator
  readonly summaryRows: Locator
  readonly summaryNote: Locator
  readonly throughput: Locator
  readonly latency: Locator
  /** The per-host charts, each a figure named by its title and unit. */
  readonly hostCpu: Locator
  readonly hostCpuSplit: Locator
  readonly hostIops: Locator
  readonly hostDiskMbs: Locator
  readonly hostNet: Locator
  /** The per-array charts, each a figure named by its title and unit. */
  readonly arrayUtilization: Locator
  readonly arrayQueue: Locator
  readonly events: Locator
  readonly eventItems: Locator
  readonly eventFilter: Locator
  readonly replay: Locator
  readonly replayPlay: Locator
  readonly replaySpeed: Locator
  readonly scrubber: Locator
  readonly replayTime: Locator

  constructor(
    readonly page: Page,
    scope: Locator
  ) {
    this.root = scope.getByTestId('run-dashboard')
    this.groupBy = this.root.getByRole('combobox', { name: 'Group by' })
    this.show = this.root.getByRole('combobox', { name: 'Show' })
    this.shown = this.root.getByTestId('dashboard-shown')
    this.groupChips = this.root.getByTestId('group-chip')
    this.summaryGroups = this.root.getByTestId('summary-group')
    this.summaryRows = this.root.getByTestId('dashboard-row')
    this.summaryNote = this.root.getByTestId('dashboard-summary-note')
    this.throughput = this.root.getByTestId('chart-throughput')
    this.latency = this.root.getByTestId('chart-latency')
    this.hostCpu = this.root.getByRole('figure', { name: /^Host CPU busy/ })
    this.hostCpuSplit = this.root.getByRole('figure', { name: /^Host CPU split/ })
    this.hostIops = this.root.getByRole('figure', { name: /^Host disk IOPS/ })
    this.hostDiskMbs = this.root.getByRole('figure', { name: /^Host disk MB\/s/ })
    this.hostNet = this.root.getByRole('figure', { name: /^Host network Gb\/s/ })
    this.arrayUtilization = this.root.getByRole('figure', { name: /^Array utilization/ })
    this.arrayQueue = this.root.getByRole('figure', { name: /^Array queue depth/ })
    this.events = scope.getByTestId('event-inspector')
    this.eventItems = this.events.getByTestId('event-item')
    this.eventFilter = this.events.getByTestId('event-filter')
    this.replay = scope.getByTestId('replay-bar')
    this.replayPlay = this.replay.getByTestId('replay-play')
    this.replaySpeed = this.replay.getByTestId('replay-speed')
    this.scrubber = this.replay.getByRole('slider', { name: 'Scrubber' })
    this.replayTime = this.replay.getByTestId('replay-time')
  }

  /** Picks an option of one of the dashboard's naive-ui selects by its visible label. */
  async choose(select: Locator, option: string): Promise<void> {
    await select.click()
    await this.page.locator('.n-base-select-option:visible').filter({ hasText: option }).first().click()
  }

  /**
   * Runs what the Run view holds at real time × 10 and pauses it once the
   * throughput chart has drawn more than `windows` windows: a live run held
   * still to look at. Returns the run's id.
   */
  async runPacedAndPause(run: RunPage, windows: number): Promise<string> {
    await this.choose(run.root.getByRole('combobox', { name: 'Pace' }), 'Real time × 10')
    await run.run()
    const id = await run.runId()
    await expect.poll(() => RunChartsPart.points(this.throughput)).toBeGreaterThan(windows)
    await run.pauseButton.click()
    await expect(run.progress).toHaveAttribute('data-paused', 'true')
    return id
  }

  /** Every chart's marker, simulated seconds ('' when none). */
  async markers(): Promise<string[]> {
    return this.root.locator('figure[data-marker]').evaluateAll((figures) => figures.map((f) => f.getAttribute('data-marker') ?? ''))
  }

  /** Every chart (two per VM, five per host) marks the moment. */
  async expectMarkersAt(seconds: number): Promise<void> {
    await expect.poll(() => this.markers()).toEqual(Array(7).fill(String(seconds)))
  }
}
