/**
 * The builder's surroundings: a catalog entry used in the experiment from its
 * own link, the canvas exported as SVG and PNG, an edge selected by a click,
 * the shortcuts overlay, the light and dark themes.
 */
import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { BuildPage } from './pages/BuildPage'
import { LabPage, labUrl } from './pages/LabPage'
import { PresetsPage } from './pages/PresetsPage'

test.beforeEach(async ({ page }) => {
  await new LabPage(page).open()
})

test('a catalog entry has its own link, and "Use in experiment" puts it on the host being built', async ({ page }) => {
  const build = new BuildPage(page)
  await new PresetsPage(page).open('san-lun-fc')
  const url = new URL(labUrl())
  url.hash = '#/catalog/cpus/westmere-x5670'
  await page.goto(url.toString())
  const detail = page.getByTestId('catalog-detail')
  await expect(detail).toHaveAttribute('data-id', 'westmere-x5670')
  await page.getByRole('button', { name: 'Use in experiment' }).click()
  await expect(build.root).toBeVisible()
  await expect(build.notice).toContainText('CPU westmere-x5670 on h1')
  await build.select('host:h1')
  await expect(build.field('hosts-0-cpu')).toContainText('westmere-x5670')
  await build.expectValid()
})

test('exports the canvas as an SVG and a PNG picture', async ({ page }) => {
  const build = new BuildPage(page)
  await new PresetsPage(page).open('hyperv-csv-cluster')
  // A browser without a save dialog downloads the file.
  await page.evaluate(() => {
    ;(globalThis as { showSaveFilePicker?: unknown }).showSaveFilePicker = undefined
  })
  for (const [kind, check] of [
    ['SVG', (bytes: Buffer) => expect(bytes.toString('utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*node1[\s\S]*csv1[\s\S]*<\/svg>$/)],
    ['PNG', (bytes: Buffer) => expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])]
  ] as const) {
    await build.button('Export').click()
    const download = page.waitForEvent('download')
    await page.getByText(`Canvas as ${kind}`).click()
    const file = await (await download).path()
    check(readFileSync(file))
  }
  await expect(build.notice).toContainText('Exported the topology')
})

test('a click on an edge, far outside the box its drawing is given, selects it in the builder', async ({ page }) => {
  const build = new BuildPage(page)
  await new PresetsPage(page).open('hyperv-csv-cluster')
  await build.button('Canvas only').click()
  // The preset's layout arrives after it opens, and fitting animates: click only once all is still.
  await build.still()
  await build.root.getByRole('button', { name: 'Fit to view' }).click()
  await build.still()
  // The middle of an edge that nothing covers, and that lies well outside the box its <svg> is
  // given (edges are drawn beyond that box, not clipped to it): a click there must reach the edge.
  const findSpot = () =>
    build.canvas.locator('.vue-flow__edge-interaction').evaluateAll((elements) => {
      // The page's own types, which this project's e2e files are not compiled with.
      interface Box { right: number; bottom: number }
      interface Shape { closest(selector: string): Shape | null; getAttribute(name: string): string | null }
      interface Path extends Shape {
        getTotalLength(): number
        getPointAtLength(at: number): { x: number; y: number }
        getScreenCTM(): { a: number; b: number; c: number; d: number; e: number; f: number } | null
        ownerSVGElement: { getBoundingClientRect(): Box } | null
      }
      const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): Shape | null } }).document
      for (const path of elements as unknown as Path[]) {
        const middle = path.getPointAtLength(path.getTotalLength() / 2)
        const m = path.getScreenCTM()
        const box = path.ownerSVGElement?.getBoundingClientRect()
        const edge = path.closest('.vue-flow__edge')
        if (!m || !box || !edge) continue
        const x = m.a * middle.x + m.c * middle.y + m.e
        const y = m.b * middle.x + m.d * middle.y + m.f
        const outside = x > box.right + 20 || y > box.bottom + 20
        if (outside && doc.elementFromPoint(x, y)?.closest('.vue-flow__edge') === edge) return { id: edge.getAttribute('data-id') ?? '', x, y }
      }
      return null
    })
  // A spot counts once the view holds still: found twice at the same place, with the canvas not moving.
  const findStillSpot = async () => {
    const first = await findSpot()
    const second = await findSpot()
    const moving = /\bis-moving\b/.test((await build.canvas.getAttribute('class')) ?? '')
    return first && second && !moving && first.x === second.x && first.y === second.y && first.id === second.id ? second : null
  }
  const found: { spot: Awaited<ReturnType<typeof findSpot>> } = { spot: null }
  await expect.poll(async () => (found.spot = await findStillSpot()), { message: 'an edge whose middle a click reaches, in a view that holds still' }).not.toBeNull()
  const spot = found.spot
  if (!spot) throw new Error('no edge whose middle a click reaches')
  await page.mouse.click(spot.x, spot.y)
  await expect(build.canvas.locator(`.vue-flow__edge[data-id="${spot.id}"]`)).toHaveClass(/\bselected\b/)
  // Selected in the builder too, not only drawn so: Delete now applies to it.
  await expect(build.root.getByRole('button', { name: 'Delete selection' })).toBeEnabled()
})

test('? shows the keyboard shortcuts, and the theme switches between light and dark', async ({ page }) => {
  const build = new BuildPage(page)
  await build.open()
  await build.canvas.click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('?')
  const overlay = page.getByRole('dialog')
  await expect(overlay).toContainText('Keyboard shortcuts')
  await expect(overlay).toContainText('Ctrl+Z')
  await page.keyboard.press('Escape')
  await expect(overlay).toHaveCount(0)

  const theme = page.getByTestId('theme-toggle')
  const html = page.locator('html')
  const body = page.locator('body')
  const colours = { dark: 'rgb(21, 24, 29)', light: 'rgb(244, 246, 249)' }
  const before = (await html.getAttribute('data-theme')) as 'light' | 'dark'
  await expect(body).toHaveCSS('background-color', colours[before])
  const other = before === 'dark' ? 'light' : 'dark'
  await theme.click()
  await expect(html).toHaveAttribute('data-theme', other)
  await expect(body).toHaveCSS('background-color', colours[other])
  await theme.click()
  await expect(html).toHaveAttribute('data-theme', before)
})
