/**
 * The desktop app's rules, exercised without Electron: where the page comes
 * from, which navigations pass, the window's web preferences, the app's
 * scheme and the policy it sends, files handed over by the system, the
 * single-instance hand-over, the About text and the menu.
 */
import { EventEmitter } from 'node:events'
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { contentSecurityPolicy } from '../src/main/browser/static'
import { aboutText } from '../src/main/desktop/about'
import { PageInbox } from '../src/main/desktop/inbox'
import { menuTemplate } from '../src/main/desktop/menu'
import { sqliteBinding } from '../src/main/desktop/native'
import { experimentFileFromArgv, fileFromSecondInstance, readExperimentFile } from '../src/main/desktop/openFile'
import { APP_ENTRY, isOwnPage, mayNavigate, pageSource } from '../src/main/desktop/page'
import { appScheme, respondWithAppFile } from '../src/main/desktop/protocol'
import { lockDown, windowOptions, type GuardedContents } from '../src/main/desktop/window'
import { EVENT_NAMES } from '../src/shared/channels'
import { events } from '../src/shared/contract'
import { LIMITS } from '../src/shared/limits'
import { formatBytes } from '../src/shared/textSize'
import { ROOT, tempDir } from './fixtures'

const dir = tempDir('hyperlab-desktop-')
afterAll(() => dir.remove())

describe('page source', () => {
  it('is the app scheme when packaged, whatever the environment says', () => {
    const source = pageSource(true, 'http://localhost:5173')
    expect(source).toMatchObject({ url: APP_ENTRY, devServer: false })
    expect(source.refused).toMatch(/packaged/)
    expect(APP_ENTRY).toBe('hyperlab://app/index.html')
  })
  it('honours the development server only when not packaged, and only on this machine', () => {
    expect(pageSource(false, 'http://localhost:5173')).toMatchObject({ url: 'http://localhost:5173/', origin: 'http://localhost:5173', devServer: true, refused: null })
    expect(pageSource(false, 'http://example.com:5173')).toMatchObject({ url: APP_ENTRY, devServer: false })
    expect(pageSource(false, 'http://example.com:5173').refused).toMatch(/not on this machine/)
    expect(pageSource(false, 'file:///etc/passwd')).toMatchObject({ url: APP_ENTRY })
    expect(pageSource(false, 'not a url')).toMatchObject({ url: APP_ENTRY })
    expect(pageSource(false, undefined)).toMatchObject({ url: APP_ENTRY, refused: null })
  })
})

describe('navigation', () => {
  const built = pageSource(true, undefined)
  const dev = pageSource(false, 'http://localhost:5173')

  it('recognises only the lab page itself as its own', () => {
    expect(isOwnPage('hyperlab://app/index.html', built)).toBe(true)
    expect(isOwnPage('hyperlab://app/index.html#runs', built)).toBe(true)
    expect(isOwnPage('hyperlab://app/', built)).toBe(true)
    expect(isOwnPage('hyperlab://app/assets/index.js', built)).toBe(false)
    expect(isOwnPage('hyperlab://other/index.html', built)).toBe(false)
    expect(isOwnPage('file:///work/out/renderer/index.html', built)).toBe(false)
    expect(isOwnPage('https://example.com/', built)).toBe(false)
    expect(isOwnPage(undefined, built)).toBe(false)
    expect(isOwnPage('http://localhost:5173/anything', dev)).toBe(true)
    expect(isOwnPage('http://localhost:51730/', dev)).toBe(false)
  })

  it('lets the main frame reload the lab page, and nothing else go anywhere', () => {
    expect(mayNavigate('hyperlab://app/index.html', true, built)).toBe(true)
    expect(mayNavigate('hyperlab://app/index.html', false, built)).toBe(false)
    expect(mayNavigate('https://example.com/', true, built)).toBe(false)
    expect(mayNavigate('javascript:alert(1)', true, built)).toBe(false)
  })

  it('is enforced on will-frame-navigate, will-navigate, redirects, webviews and new windows', () => {
    const contents = new EventEmitter() as EventEmitter & { windowOpen?: () => { action: string } }
    const guarded = Object.assign(contents, {
      setWindowOpenHandler(handler: () => { action: 'deny' }) {
        contents.windowOpen = handler
      }
    }) as unknown as GuardedContents
    lockDown(guarded, built)
    const frameNavigation = (url: string, isMainFrame: boolean) => {
      const details = { url, isMainFrame, preventDefault: vi.fn() }
      contents.emit('will-frame-navigate', details)
      return details.preventDefault.mock.calls.length > 0
    }
    expect(frameNavigation('https://example.com/', true)).toBe(true)
    expect(frameNavigation('hyperlab://app/index.html', false)).toBe(true)
    expect(frameNavigation('hyperlab://app/index.html', true)).toBe(false)
    const navigation = { preventDefault: vi.fn() }
    contents.emit('will-navigate', navigation, 'https://example.com/')
    expect(navigation.preventDefault).toHaveBeenCalled()
    for (const event of ['will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() }
      contents.emit(event, e)
      expect(e.preventDefault, event).toHaveBeenCalled()
    }
    expect(contents.windowOpen?.()).toEqual({ action: 'deny' })
  })
})

describe('window', () => {
  it('is sandboxed, isolated and without Node or webviews', () => {
    const prefs = windowOptions('/p/preload.js').webPreferences
    expect(prefs).toMatchObject({
      preload: '/p/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
  })
})

describe('the app scheme', () => {
  const renderer = join(dir.path, 'renderer')
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Hyperlab</title>')
  writeFileSync(join(renderer, 'assets', 'app.js'), 'export {}')
  writeFileSync(join(dir.path, 'secret.txt'), 'outside')

  it('is standard and secure and never bypasses the page policy', () => {
    expect(appScheme.scheme).toBe('hyperlab')
    expect(appScheme.privileges).toMatchObject({ standard: true, secure: true })
    expect(appScheme.privileges?.bypassCSP).toBeFalsy()
    expect(appScheme.privileges?.allowServiceWorkers).toBeFalsy()
  })

  it('serves the renderer with the page policy attached', async () => {
    const page = await respondWithAppFile(renderer, new Request('hyperlab://app/index.html'))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Hyperlab</title>')
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy())
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    const script = await respondWithAppFile(renderer, new Request('hyperlab://app/assets/app.js'))
    expect(script.headers.get('content-type')).toMatch(/javascript/)
  })

  it('refuses anything outside the renderer folder, other hosts and other methods', async () => {
    for (const url of ['hyperlab://app/../secret.txt', 'hyperlab://app/..%2fsecret.txt', 'hyperlab://app/%2e%2e/secret.txt']) {
      const res = await respondWithAppFile(renderer, new Request(url))
      expect(res.status, url).toBe(404)
    }
    expect((await respondWithAppFile(renderer, new Request('hyperlab://other/index.html'))).status).toBe(403)
    expect((await respondWithAppFile(renderer, new Request('hyperlab://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405)
    expect((await respondWithAppFile(renderer, new Request('hyperlab://app/missing.js'))).status).toBe(404)
  })
})

describe('content security policy', () => {
  const directives = (policy: string) => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]))

  it('forbids plugins, base changes, form posts and framing', () => {
    for (const policy of [contentSecurityPolicy(), contentSecurityPolicy(41234)]) {
      const d = directives(policy)
      expect(d.get('object-src')).toEqual(["'none'"])
      expect(d.get('base-uri')).toEqual(["'none'"])
      expect(d.get('form-action')).toEqual(["'none'"])
      expect(d.get('frame-ancestors')).toEqual(["'none'"])
      expect(d.get('script-src')).toEqual(["'self'"])
    }
  })

  it('lets browser mode open sockets to its own port only, and the desktop page none', () => {
    expect(directives(contentSecurityPolicy(41234)).get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:41234', 'ws://localhost:41234'])
    expect(directives(contentSecurityPolicy()).get('connect-src')).toEqual(["'self'"])
    expect(contentSecurityPolicy(41234)).not.toMatch(/:\*/)
  })

  it('is also in the page itself, as built', () => {
    const sources = [join(ROOT, 'src', 'renderer', 'index.html'), join(ROOT, 'out', 'renderer', 'index.html')]
    for (const file of sources) {
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync(file, 'utf8'))
      expect(meta, file).not.toBeNull()
      const d = directives(meta![1]!)
      expect(d.get('object-src'), file).toEqual(["'none'"])
      expect(d.get('base-uri'), file).toEqual(["'none'"])
      expect(d.get('form-action'), file).toEqual(["'none'"])
    }
  })
})

describe('files handed over by the system', () => {
  it('finds the experiment file on a command line', () => {
    expect(experimentFileFromArgv(['/opt/Hyperlab/hyperlab', '/home/u/a.hyperlab.yaml'], '/tmp', true)).toBe('/home/u/a.hyperlab.yaml')
    expect(experimentFileFromArgv(['/opt/Hyperlab/hyperlab', '--no-sandbox', 'lab.yml'], '/home/u', true)).toBe('/home/u/lab.yml')
    expect(experimentFileFromArgv(['/opt/Hyperlab/hyperlab', 'file:///home/u/My%20Lab.hyperlab.yaml'], '/tmp', true)).toBe('/home/u/My Lab.hyperlab.yaml')
    expect(experimentFileFromArgv(['/opt/Hyperlab/hyperlab', 'file://remote-host/x.yaml'], '/tmp', true)).toBeNull()
    expect(experimentFileFromArgv(['/opt/Hyperlab/hyperlab'], '/tmp', true)).toBeNull()
    expect(experimentFileFromArgv(['/opt/Hyperlab/hyperlab', 'notes.txt'], '/tmp', true)).toBeNull()
    // Not packaged: `electron <app folder> [file]`; the app folder is no file to open.
    expect(experimentFileFromArgv(['electron', '/work/app.yaml'], '/tmp', false)).toBeNull()
    expect(experimentFileFromArgv(['electron', '/work', 'x.hyperlab.yaml'], '/tmp', false)).toBe('/tmp/x.hyperlab.yaml')
  })

  it('takes a second launch’s file from its data, checked, else from its command line', () => {
    expect(fileFromSecondInstance({ file: '/a/b.hyperlab.yaml' }, ['x'], '/', true)).toBe('/a/b.hyperlab.yaml')
    expect(fileFromSecondInstance({ file: null }, ['x', 'c.yaml'], '/d', true)).toBeNull()
    expect(fileFromSecondInstance({ file: 42 }, ['x', 'c.yaml'], '/d', true)).toBe('/d/c.yaml')
    expect(fileFromSecondInstance({ file: '/a', extra: 1 }, ['x'], '/d', true)).toBeNull()
    expect(fileFromSecondInstance(undefined, ['x', '/e/f.yml'], '/d', true)).toBe('/e/f.yml')
  })

  it('reads a UTF-8 experiment, and says what is wrong with anything else', async () => {
    const good = join(dir.path, 'good.hyperlab.yaml')
    writeFileSync(good, 'name: café\n')
    expect(await readExperimentFile(good)).toEqual({ ok: true, name: 'good.hyperlab.yaml', path: good, text: 'name: café\n' })

    const big = join(dir.path, 'big.yaml')
    writeFileSync(big, '')
    truncateSync(big, LIMITS.textBytes + 1) // sparse: refused by its size, never read
    expect(await readExperimentFile(big)).toMatchObject({ ok: false, reason: `it is ${formatBytes(LIMITS.textBytes + 1)}; an experiment may be at most ${formatBytes(LIMITS.textBytes)}` })

    const utf16 = join(dir.path, 'utf16.yaml')
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: x\n', 'utf16le')]))
    expect(await readExperimentFile(utf16)).toMatchObject({ ok: false, reason: 'the file is UTF-16; save it as UTF-8' })

    const binary = join(dir.path, 'binary.yaml')
    writeFileSync(binary, Buffer.from([0x6e, 0xc3, 0x28, 0xff]))
    expect(await readExperimentFile(binary)).toMatchObject({ ok: false, reason: 'it is not UTF-8 text' })

    expect(await readExperimentFile(join(dir.path, 'missing.yaml'))).toMatchObject({ ok: false, reason: 'there is no such file' })
    expect(await readExperimentFile(dir.path)).toMatchObject({ ok: false })
  })

  it('waits until the page listens, then arrives in order; a reload holds them again', () => {
    const delivered: string[] = []
    const inbox = new PageInbox<string>((item) => delivered.push(item))
    inbox.push('a')
    inbox.push('b')
    expect(delivered).toEqual([])
    inbox.pageReady()
    expect(delivered).toEqual(['a', 'b'])
    inbox.push('c')
    inbox.pageGone()
    inbox.push('d')
    expect(delivered).toEqual(['a', 'b', 'c'])
    expect(inbox.waiting).toBe(1)
    inbox.pageReady()
    expect(delivered).toEqual(['a', 'b', 'c', 'd'])
  })

  it('reaches the page as a contract event the preload forwards', () => {
    expect(EVENT_NAMES).toContain('experiment:opened')
    expect(events['experiment:opened'].safeParse({ name: 'a.yaml', path: '/a.yaml', text: 'x' }).success).toBe(true)
    expect(events['experiment:opened'].safeParse({ name: 'a.yaml', path: '/a.yaml', text: 'x'.repeat(LIMITS.textBytes + 1) }).success).toBe(false)
  })
})

describe('about and menu', () => {
  it('names the version, the engine and where the data is', () => {
    const { message, detail } = aboutText({
      version: '1.2.3',
      versions: { electron: '45.5.0', chrome: '142.0.7444.52', node: '22.20.0', v8: '14.2.231' },
      platform: 'linux',
      arch: 'x64',
      dataPath: '/home/u/.config/Hyperlab/hyperlab.db'
    })
    expect(message).toBe('Hyperlab 1.2.3')
    expect(detail).toContain('Version: 1.2.3')
    expect(detail).toContain('Engine: Electron 45.5.0 (Chromium 142.0.7444.52, Node.js 22.20.0, V8 14.2.231)')
    expect(detail).toContain('hyperlab/experiment@1')
    expect(detail).toContain('Data: /home/u/.config/Hyperlab/hyperlab.db')
  })

  it('offers About and Open on every system, and development tools only unpackaged', () => {
    const actions = { about: vi.fn(), openExperiment: vi.fn() }
    type Item = { label?: string; role?: string; click?: () => void; submenu?: Item[] }
    const flat = (items: Item[]): Item[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])])
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const items = flat(menuTemplate(platform, true, actions) as Item[])
      items.find((i) => i.label === 'About Hyperlab')!.click!()
      items.find((i) => i.label === 'Open Experiment…')!.click!()
      expect(items.some((i) => i.role === 'toggleDevTools'), platform).toBe(false)
    }
    expect(actions.about).toHaveBeenCalledTimes(3)
    expect(actions.openExperiment).toHaveBeenCalledTimes(3)
    expect(flat(menuTemplate('linux', false, actions) as Item[]).some((i) => i.role === 'toggleDevTools')).toBe(true)
  })
})

describe('database binding', () => {
  it('is the one packaged beside the app, and the environment’s only when not packaged', () => {
    expect(sqliteBinding(true, '/opt/Hyperlab/resources', { HYPERLAB_SQLITE_BINDING: '/tmp/evil.node' })).toBe('/opt/Hyperlab/resources/native/better_sqlite3.node')
    expect(sqliteBinding(false, '/x', { HYPERLAB_SQLITE_BINDING: '/cache/b.node' })).toBe('/cache/b.node')
    expect(sqliteBinding(false, '/x', {})).toBeUndefined()
  })
})
