/**
 * End-to-end tests of the renderer in browser mode: a global setup starts
 * the built lab server (`npm run build` first), the specs drive a Chromium
 * against it. The browser is found without downloading anything:
 * Playwright's own Chromium where installed, else $CHROMIUM_PATH, else
 * /usr/bin/chromium.
 */
import { existsSync } from 'node:fs'
import { chromium, defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS } from './src/main/reports/pdf'

function findChromium(): string {
  const candidates: string[] = []
  try {
    candidates.push(chromium.executablePath())
  } catch {
    // No Playwright browser registered: try the others.
  }
  if (process.env.CHROMIUM_PATH) candidates.push(process.env.CHROMIUM_PATH)
  candidates.push('/usr/bin/chromium')
  const found = candidates.find((path) => path !== '' && existsSync(path))
  if (found) return found
  process.stderr.write(
    'No Chromium for the e2e tests: install one with `apt-get install chromium` or `npx playwright install chromium`, or set CHROMIUM_PATH.\n'
  )
  process.exit(1)
}

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    actionTimeout: 15_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: findChromium(),
      // The flags the lab's own PDF printing uses too.
      args: CHROMIUM_ARGS
    }
  }
})
