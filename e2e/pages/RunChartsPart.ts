/** The throughput and latency charts, wherever they are shown (Run view, reopened run). */
import type { Locator } from '@playwright/test'

export class RunChartsPart {
  readonly throughput: Locator
  readonly latency: Locator

  constructor(scope: Locator) {
    this.throughput = scope.getByTestId('chart-throughput')
    this.latency = scope.getByTestId('chart-latency')
  }

  /** Number of x values (sample windows) a chart has drawn. */
  static async points(chart: Locator): Promise<number> {
    return Number((await chart.getAttribute('data-points')) ?? '0')
  }

  /** Number of lines (series) a chart draws. */
  static async lines(chart: Locator): Promise<number> {
    return Number((await chart.getAttribute('data-lines')) ?? '0')
  }
}
