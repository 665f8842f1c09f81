/**
 * The desktop window and the rules every web contents of the app lives by:
 * a sandboxed page with context isolation and no Node; no navigation except
 * to the lab's own page, in the main frame; no redirects, webviews, new
 * windows or permissions. Written against the few members of Electron's
 * objects it uses, so the rules can be exercised without Electron.
 */
import type { BrowserWindowConstructorOptions } from 'electron'
import { mayNavigate, type PageSource } from './page'

export function windowOptions(preload: string, icon?: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Hyperlab',
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#15181d',
    ...(icon ? { icon } : {}),
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false
    }
  }
}

/** A cancellable Electron event, as far as these rules need it. */
interface Cancellable {
  preventDefault(): void
}

/** The part of Electron's WebContents the rules use. */
export interface GuardedContents {
  on(event: 'will-frame-navigate', listener: (details: Cancellable & { url: string; isMainFrame: boolean }) => void): unknown
  on(event: 'will-navigate', listener: (event: Cancellable, url: string) => void): unknown
  on(event: 'will-redirect', listener: (event: Cancellable) => void): unknown
  on(event: 'will-attach-webview', listener: (event: Cancellable) => void): unknown
  setWindowOpenHandler(handler: () => { action: 'deny' }): void
}

export function lockDown(contents: GuardedContents, source: PageSource): void {
  // will-frame-navigate sees the main frame and every subframe; will-navigate
  // (main frame only) is kept as a second line should the first ever not fire.
  contents.on('will-frame-navigate', (details) => {
    if (!mayNavigate(details.url, details.isMainFrame, source)) details.preventDefault()
  })
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url, true, source)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  // The lab has one window and links nowhere: every attempt to open another is refused.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}
