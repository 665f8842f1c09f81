/**
 * Broken experiments: the problems show up in a visible list, each naming
 * the field it is about, both while typing (validation) and when a run is
 * refused.
 */
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
  const text = await run.text()
  expect(text).toMatch(/^\s+host: h1$/m)
  await run.setText(text.replace(/^(\s+)host: h1$/m, '$1host: h9'))

  await expect(run.errors).toBeVisible()
  await expect(run.validationStatus).toHaveAttribute('data-state', 'invalid')
  await expect(run.issues.filter({ hasText: 'vms[0].host' })).toHaveCount(1)
  await expect(run.issues.filter({ hasText: 'vms[0].host' })).toContainText('h9')
})

test('malformed YAML is reported, and a refused run shows its issues in the same list', async ({ page }) => {
  const run = new RunPage(page)
  await run.setText('format: hyperlab/experiment@1\nname: broken\nhosts: [\n  - id: h1\n')
  await expect(run.errors).toBeVisible()
  await expect(run.issues.first()).toContainText('(file)')

  // Starting it anyway: the server refuses with the same issues.
  await run.run()
  await expect(run.errors).toContainText('The run was refused')
  await expect(run.issues.first()).toContainText('(file)')
  await expect(run.progress).toHaveCount(0)

  // Fixing the text clears the refusal.
  await run.pickExample(EXAMPLE)
  await run.expectValid()
  await expect(run.errors).toHaveCount(0)
})
