/**
 * Limits agree end to end: a text too large for an experiment is said to be
 * so in the editor, and never breaks the connection that carries the calls.
 */
import { expect, test } from '@playwright/test'
import { BuildPage } from './pages/BuildPage'
import { LabPage } from './pages/LabPage'
import { PresetsPage } from './pages/PresetsPage'
import { RunPage } from './pages/RunPage'

test.beforeEach(async ({ page }) => {
  await new LabPage(page).open()
})

// (That every text within the limit fits one frame, whatever its characters, is test/shared/limits.test.ts.)
for (const [what, text] of [['2.9 M euro signs (8.7 MB in UTF-8)', `name: "${'€'.repeat(2_900_000)}"`]] as const) {
  test(`${what}: the editor says "too large" and the lab stays connected`, async ({ page }) => {
    const lab = new LabPage(page)
    const run = new RunPage(page)
    const build = new BuildPage(page)
    await build.open()
    await build.paste(text)
    await expect(build.problems.first()).toContainText(/\(file\).*is too large: 8\.\d MB; an experiment may be at most 2\.0 MB/)
    await expect(build.runButton).toBeDisabled()
    await run.show()
    await expect(run.validationStatus).toHaveAttribute('data-state', 'invalid')
    await expect(run.issues.first()).toContainText(/\(file\).*is too large: 8\.\d MB; an experiment may be at most 2\.0 MB/)
    await expect(run.runButton).toBeDisabled()
    await expect(lab.linkState).toHaveClass(/is-open/)

    // The same connection still answers.
    await run.pickExample('esx35-vs-native')
    await run.expectValid()
    await expect(lab.linkState).toHaveClass(/is-open/)
  })
}

test('the presets gallery says it is loading until the presets are there, then shows them all', async ({ page }) => {
  const presets = new PresetsPage(page)
  await page.getByTestId('nav-presets').click()
  await expect(presets.root).toHaveAttribute('data-ready', 'true')
  await expect(presets.cards).not.toHaveCount(0)
  await expect(presets.root.getByTestId('presets-loading')).toHaveCount(0)
})

test('a UTF-16 file is named as such when opened, not read as garbage', async ({ page }) => {
  const build = new BuildPage(page)
  await build.open()
  const before = await build.digest()
  const text = 'format: hyperlab/experiment@1\nname: saved by Notepad\n'
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
  await build.root.getByTestId('builder-file-input').setInputFiles({ name: 'notepad.yaml', mimeType: 'text/yaml', buffer: utf16 })
  await expect(build.notice).toContainText('notepad.yaml: the file is UTF-16; save it as UTF-8.')
  // The experiment being built is left as it was.
  expect(await build.digest()).toBe(before)
})
