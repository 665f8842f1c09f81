/** The lab window as a whole: opening it, the header, the left rail, the connection banner. */
import { expect, type Locator, type Page } from '@playwright/test'

export function labUrl(): string {
  const url = process.env.HYPERLAB_URL
  if (!url) throw new Error('HYPERLAB_URL is not set: run the specs through playwright.config.ts (its global setup starts the server)')
  return url
}

export class LabPage {
  readonly mode: Locator
  readonly dataPath: Locator
  readonly linkState: Locator
  readonly banner: Locator

  /** Console errors and uncaught exceptions of the page (CSP violations show up here too). */
  readonly problems: string[] = []

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console: ${message.text()}`)
    })
    page.on('pageerror', (error) => this.problems.push(`exception: ${error.message}`))
    this.mode = page.getByTestId('app-mode')
    this.dataPath = page.getByTestId('data-path')
    this.linkState = page.getByTestId('link-state')
    this.banner = page.getByTestId('connection-banner')
  }

  /** Opens the lab at its tokened URL and waits until it is connected. */
  async open(url: string = labUrl()): Promise<void> {
    await this.page.goto(url)
    await expect(this.linkState).toHaveClass(/is-open/)
    await expect(this.mode).toBeVisible()
  }

  /**
   * The page's problems, less the one Playwright causes itself: it probes
   * every frame with a script, which a sandboxed frame without scripts (the
   * report preview) refuses and logs. That line shows the sandbox works.
   */
  appProblems(): string[] {
    return this.problems.filter((p) => !p.includes("Blocked script execution in 'about:srcdoc'"))
  }

  async goTo(view: 'build' | 'presets' | 'library' | 'run' | 'runs' | 'compare' | 'catalog' | 'validation'): Promise<void> {
    await this.page.getByTestId(`nav-${view}`).click()
    await expect(this.page.getByTestId(`view-${view}`)).toBeVisible()
  }
}
