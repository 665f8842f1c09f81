/**
 * The desktop app: one window onto the lab. The renderer is sandboxed with
 * context isolation and no Node; it may not navigate away or open windows;
 * every IPC call is checked to come from our own page and is parsed with the
 * contract's schema before a handler sees it.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { commandNames } from '../shared/contract'
import { IPC_EVENT_CHANNEL, IPC_PREFIX } from '../shared/channels'
import { errorMessage } from '../shared/errors'
import { dispatch } from './services/dispatch'
import { openLab, type Lab } from './lab'
import { userDataDir } from './paths'
import { contentSecurityPolicy } from './browser/static'

// One data folder for the app, browser mode and the CLI.
app.setPath('userData', userDataDir())

const rendererUrl = process.env.ELECTRON_RENDERER_URL
const rendererFile = join(__dirname, '../renderer/index.html')
const pageUrl = rendererUrl ?? pathToFileURL(rendererFile).href

let lab: Lab | undefined
let mainWindow: BrowserWindow | undefined

function isOurPage(url: string | undefined): boolean {
  if (!url) return false
  if (rendererUrl) {
    // Development server: same origin exactly (a prefix test would let localhost:51730 pass for :5173).
    try {
      return new URL(url).origin === new URL(rendererUrl).origin
    } catch {
      return false
    }
  }
  return url.split('#')[0] === pageUrl
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Hyperlab',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  if (rendererUrl) void win.loadURL(rendererUrl)
  else void win.loadFile(rendererFile)
  return win
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOurPage(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  // The lab has one window and links nowhere: every attempt to open another is refused.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

function registerIpc(current: Lab): void {
  for (const name of commandNames) {
    ipcMain.handle(IPC_PREFIX + name, (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isOurPage(event.senderFrame?.url)) {
        return { ok: false, error: { name: 'LabError', code: 'invalid-request', message: 'call from an unknown page refused' } }
      }
      return dispatch(current.services.handlers, name, input)
    })
  }
  current.services.subscribe((event, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, { event, payload })
  })
}

app.on('web-contents-created', (_e, contents) => lockDown(contents))

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] }
    })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  const binding = process.env.HYPERLAB_SQLITE_BINDING
  lab = openLab({ mode: 'desktop', ...(binding ? { nativeBinding: binding } : {}) })
  registerIpc(lab)
  mainWindow = createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
  })
}).catch((err: unknown) => {
  const message = errorMessage(err)
  console.error(`Hyperlab could not start: ${message}`)
  dialog.showErrorBox('Hyperlab could not start', message)
  app.exit(1)
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

let quitting = false
app.on('before-quit', (event) => {
  if (quitting || !lab) return
  event.preventDefault()
  quitting = true
  void lab.close().finally(() => app.quit())
})
