/**
 * Broken experiments: the problems show up in a visible list, each naming
 * the field it is about, both while typing (validation) and when a run is
 * refused.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { LabPage } from './pages/LabPage'
import { RunPage } from './pages/RunPage'

const EXAMPLE = 'esx35-vs-native'

test.beforeEach(async ({ page }) => {
  await new LabPage(page).open()
})

test('a VM on a host that does not exist is named by its path', async ({ page }) => {
  const run = new RunPage(page)
  await run.pickExample(EXAMPLE)
  await run.expectValid()
  const text = readFileSync(join(__dirname, '..', 'resources', 'examples', `${EXAMPLE}.yaml`), 'utf8')
  expect(text).toMatch(/^\s+host: h1$/m)
  await run.setText(text.replace(/^(\s+)host: h1$/m, '$1host: h9'))

  await expect(run.errors).toBeVisible()
  await expect(run.validationStatus).toHaveAttribute('data-state', 'invalid')
  // The path names the VM as well as its index.
  await expect(run.issues.filter({ hasText: 'vms[0] (build1).host' })).toHaveCount(1)
  await expect(run.issues.filter({ hasText: 'vms[0] (build1).host' })).toContainText('h9')
  await expect(run.runButton).toBeDisabled()
  await expect(run.root.getByTestId('run-blocked')).toContainText('Fix the problems')
})

test('malformed YAML is reported with its line, Run stays disabled, and a good file clears it', async ({ page }) => {
  const run = new RunPage(page)
  await run.setText('format: hyperlab/experiment@1\nname: broken\nhosts: [\n  - id: h1\n')
  await expect(run.errors).toBeVisible()
  await expect(run.issues.first()).toContainText('(file)')
  await expect(run.issues.first()).toContainText(/line \d+/)
  await expect(run.runButton).toBeDisabled()
  await expect(run.progress).toHaveCount(0)

  await run.pickExample(EXAMPLE)
  await run.expectValid()
  await expect(run.errors).toHaveCount(0)
})
