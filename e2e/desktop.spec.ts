/**
 * The desktop app in a real Electron window, through Playwright's Electron
 * support: the page comes from the app's own scheme with no Node in reach,
 * it cannot be navigated away, the file the app was started with opens in
 * the editor, About names the version and the engine, and a second launch
 * hands its file to the first window and ends. Runs where Electron can
 * (see electronRuntime.ts); elsewhere the global setup has said why in one
 * line and these are skipped.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { runtimeFromEnv } from './electronRuntime'

const ROOT = resolve(__dirname, '..')
const runtime = runtimeFromEnv()
const example = (id: string) => join(ROOT, 'resources', 'examples', `${id}.yaml`)

test.describe('desktop app', () => {
  test.skip(!runtime.ok, runtime.ok ? '' : runtime.reason)
  test.describe.configure({ mode: 'serial' })

  let dir: string
  let app: ElectronApplication
  let page: Page
  let env: Record<string, string>
  let args: string[]

  test.beforeAll(async () => {
    if (!runtime.ok) return
    dir = mkdtempSync(join(tmpdir(), 'hyperlab-desktop-'))
    copyFileSync(example('four-vms-one-disk'), join(dir, 'first.hyperlab.yaml'))
    const { ELECTRON_RENDERER_URL: _devServer, ...rest } = process.env
    env = { ...(rest as Record<string, string>), HYPERLAB_DATA_DIR: join(dir, 'data'), HYPERLAB_SQLITE_BINDING: runtime.binding }
    // Chromium will not start as root with its sandbox; the page's own sandbox (sandbox: true) still applies.
    args = process.getuid?.() === 0 ? ['--no-sandbox', ROOT] : [ROOT]
    app = await _electron.launch({ executablePath: runtime.binary, args: [...args, join(dir, 'first.hyperlab.yaml')], env, cwd: ROOT })
    page = await app.firstWindow()
  })

  test.afterAll(async () => {
    await app?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('serves the lab from its own scheme, with no Node in the page', async () => {
    await expect(page.getByTestId('app-mode')).toHaveAttribute('data-mode', 'desktop')
    expect(page.url()).toBe('hyperlab://app/index.html')
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined'])
    await expect(page.getByTestId('data-path')).toHaveText(join(dir, 'data', 'hyperlab.db'))
  })

  test('opens the experiment file it was started with', async () => {
    const text = readFileSync(example('four-vms-one-disk'), 'utf8')
    await expect(page.getByTestId('builder-origin')).toContainText('first.hyperlab.yaml')
    await expect(page.getByTestId('text-view')).toHaveAttribute('data-digest', new RegExp(`^${text.length}:`))
  })

  test('stays on its page when the page tries to leave', async () => {
    const seen = app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents
      return new Promise<string>((done) => contents.once('will-frame-navigate', (details) => done(details.url)))
    })
    await page.evaluate(() => {
      const page = globalThis as unknown as { labMarker: number; location: { href: string } }
      page.labMarker = 1
      page.location.href = 'https://example.com/'
    })
    expect(await seen).toBe('https://example.com/')
    expect(page.url()).toBe('hyperlab://app/index.html')
    expect(await page.evaluate(() => (globalThis as unknown as { labMarker?: number }).labMarker)).toBe(1)
  })

  test('About names the version and the engine', async () => {
    const shown = await app.evaluate(({ dialog, Menu }) => {
      type Item = { label: string; click: () => void; submenu?: { items: Item[] } | null }
      const find = (items: Item[]): Item | undefined => {
        for (const item of items) {
          if (item.label === 'About Hyperlab') return item
          const inner = item.submenu ? find(item.submenu.items) : undefined
          if (inner) return inner
        }
        return undefined
      }
      return new Promise<{ message: string; detail?: string }>((done) => {
        const stub = async (...callArgs: unknown[]) => {
          done(callArgs[callArgs.length - 1] as { message: string; detail?: string })
          return { response: 0, checkboxChecked: false }
        }
        dialog.showMessageBox = stub as typeof dialog.showMessageBox
        find(Menu.getApplicationMenu()!.items as unknown as Item[])!.click()
      })
    })
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
    expect(shown.message).toBe(`Hyperlab ${version}`)
    expect(shown.detail).toContain(`Engine: Electron ${runtime.ok ? runtime.version : ''}`)
  })

  test('a second launch hands its file to the running app and ends', async () => {
    copyFileSync(example('san-lun-fc'), join(dir, 'second.hyperlab.yaml'))
    const second = spawn(runtime.ok ? runtime.binary : '', [...args, join(dir, 'second.hyperlab.yaml')], { env, cwd: ROOT, stdio: 'ignore' })
    const code = await new Promise<number | null>((done) => second.once('exit', (c) => done(c)))
    expect(code).toBe(0)
    const text = readFileSync(example('san-lun-fc'), 'utf8')
    await expect(page.getByTestId('builder-origin')).toContainText('second.hyperlab.yaml')
    await expect(page.getByTestId('text-view')).toHaveAttribute('data-digest', new RegExp(`^${text.length}:`))
    expect(app.windows()).toHaveLength(1)
  })
})
