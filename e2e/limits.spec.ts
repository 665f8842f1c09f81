/**
 * Limits agree end to end: a text too large for an experiment is said to be
 * so in the editor, and never breaks the connection that carries the calls.
 */
import { expect, test } from '@playwright/test'
import { LabPage } from './pages/LabPage'
import { RunPage } from './pages/RunPage'

test.beforeEach(async ({ page }) => {
  await new LabPage(page).open()
})

// (That every text within the limit fits one frame, whatever its characters, is test/shared/limits.test.ts.)
for (const [what, text] of [['2.9 M euro signs (8.7 MB in UTF-8)', `name: "${'€'.repeat(2_900_000)}"`]] as const) {
  test(`${what}: the editor says "too large" and the lab stays connected`, async ({ page }) => {
    const lab = new LabPage(page)
    const run = new RunPage(page)
    await run.editor.evaluate((el, value) => {
      const area = el as unknown as { value: string; dispatchEvent(e: Event): boolean }
      area.value = value
      area.dispatchEvent(new Event('input', { bubbles: true }))
    }, text)
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

test('the example picker says it is loading until the examples are there, then opens them all', async ({ page }) => {
  const run = new RunPage(page)
  await expect(run.examplePicker).toHaveAttribute('data-ready', 'true')
  await run.examplePicker.click()
  await expect(page.locator('[data-example-id]')).not.toHaveCount(0)
})

test('a UTF-16 file is named as such when opened, not read as garbage', async ({ page }) => {
  const run = new RunPage(page)
  const text = 'format: hyperlab/experiment@1\nname: saved by Notepad\n'
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
  await run.fileInput.setInputFiles({ name: 'notepad.yaml', mimeType: 'text/yaml', buffer: utf16 })
  await expect(run.errors).toContainText('notepad.yaml: the file is UTF-16; save it as UTF-8.')
  await expect(run.editor).toHaveValue('')
})
