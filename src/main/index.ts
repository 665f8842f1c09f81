/**
 * The desktop app: one window onto the lab. The page is served over the
 * app's own scheme (desktop/protocol.ts) and sandboxed with context
 * isolation and no Node; it may not navigate away or open windows
 * (desktop/window.ts); every IPC call is checked to come from that page and
 * is parsed with the contract's schema before a handler sees it. One
 * instance runs at a time: a second launch hands its experiment file to the
 * first and quits.
 */
import { join } from 'node:path'
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, protocol, session, type IpcMainInvokeEvent } from 'electron'
import { commandNames, type EventPayload } from '../shared/contract'
import { IPC_EVENT_CHANNEL, IPC_PREFIX } from '../shared/channels'
import { errorMessage } from '../shared/errors'
import { dispatch } from './services/dispatch'
import { migrationNotice, openLab, type Lab } from './lab'
import { appRoot, appVersion, userDataDir } from './paths'
import { contentSecurityPolicy } from './browser/static'
import { aboutText } from './desktop/about'
import { PageInbox } from './desktop/inbox'
import { menuTemplate } from './desktop/menu'
import { sqliteBinding } from './desktop/native'
import { reportPrinter } from './desktop/reportPdf'
import { reportSaveDialog } from './desktop/saveDialog'
import { experimentFileFromArgv, fileFromSecondInstance, readExperimentFile, type SecondInstanceData } from './desktop/openFile'
import { APP_SCHEME, isOwnPage, pageSource } from './desktop/page'
import { appScheme, respondWithAppFile } from './desktop/protocol'
import { lockDown, windowOptions } from './desktop/window'

// Before `ready`: the scheme's privileges can only be granted now.
protocol.registerSchemesAsPrivileged([appScheme])

// One data folder for the app, browser mode and the CLI.
app.setPath('userData', userDataDir())

const source = pageSource(app.isPackaged, process.env.ELECTRON_RENDERER_URL)
if (source.refused) console.warn(`Hyperlab ignores ELECTRON_RENDERER_URL: ${source.refused}.`)
const rendererDir = join(__dirname, '..', 'renderer')
const initialFile = experimentFileFromArgv(process.argv, process.cwd(), app.isPackaged)

let lab: Lab | undefined
let mainWindow: BrowserWindow | undefined

function send(event: string, payload: unknown): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, { event, payload })
}

const opened = new PageInbox<EventPayload<'experiment:opened'>>((file) => send('experiment:opened', file))

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

async function openExperiment(path: string): Promise<void> {
  const file = await readExperimentFile(path)
  if (!file.ok) {
    await app.whenReady()
    const options = { type: 'error' as const, message: `Hyperlab cannot open ${path}`, detail: `${file.reason[0]!.toUpperCase()}${file.reason.slice(1)}.` }
    if (mainWindow && !mainWindow.isDestroyed()) await dialog.showMessageBox(mainWindow, options)
    else await dialog.showMessageBox(options)
    return
  }
  opened.push({ name: file.name, path: file.path, text: file.text })
  showWindow()
}

async function chooseExperiment(): Promise<void> {
  if (!mainWindow) return
  const choice = await dialog.showOpenDialog(mainWindow, {
    title: 'Open Experiment',
    properties: ['openFile'],
    filters: [
      { name: 'Hyperlab experiments', extensions: ['yaml', 'yml'] },
      { name: 'All files', extensions: ['*'] }
    ]
  })
  const path = choice.filePaths[0]
  if (!choice.canceled && path) await openExperiment(path)
}

async function showAbout(): Promise<void> {
  const { message, detail } = aboutText({
    version: appVersion(),
    versions: process.versions,
    platform: process.platform,
    arch: process.arch,
    dataPath: lab?.dbPath ?? userDataDir()
  })
  const options = { type: 'info' as const, title: 'About Hyperlab', message, detail, buttons: ['OK', 'Copy'], defaultId: 0, cancelId: 0 }
  const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options)
  if (response === 1) clipboard.writeText(`${message}\n${detail}`)
}

function createWindow(): BrowserWindow {
  const icon = process.platform === 'linux' ? join(appRoot(), 'resources', 'icons', '256x256.png') : undefined
  const win = new BrowserWindow(windowOptions(join(__dirname, '..', 'preload', 'index.js'), icon))
  win.once('ready-to-show', () => win.show())
  // A reloading page listens again only once it has called in; files wait until then.
  win.webContents.on('did-start-loading', () => opened.pageGone())
  void win.loadURL(source.url)
  return win
}

function registerIpc(current: Lab): void {
  for (const name of commandNames) {
    ipcMain.handle(IPC_PREFIX + name, (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isOwnPage(event.senderFrame?.url, source)) {
        return { ok: false, error: { name: 'LabError', code: 'invalid-request', message: 'call from an unknown page refused' } }
      }
      opened.pageReady()
      return dispatch(current.services.handlers, name, input)
    })
  }
  current.services.subscribe(send)
}

function start(): void {
  app.on('web-contents-created', (_e, contents) => lockDown(contents, source))

  app.on('second-instance', (_event, argv, cwd, data) => {
    showWindow()
    const file = fileFromSecondInstance(data, argv, cwd, app.isPackaged)
    if (file) void openExperiment(file)
  })
  // macOS hands files over as events, also the one that launched the app.
  app.on('open-file', (event, path) => {
    event.preventDefault()
    void openExperiment(path)
  })

  app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, (request) => respondWithAppFile(rendererDir, request))
    // The app's scheme sends the policy itself; this covers the development server.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] }
      })
    })
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(process.platform, app.isPackaged, { openExperiment: () => void chooseExperiment(), about: () => void showAbout() })
      )
    )
    const binding = sqliteBinding(app.isPackaged, process.resourcesPath, process.env)
    lab = openLab({
      mode: 'desktop',
      printPdf: reportPrinter(),
      chooseSavePath: reportSaveDialog(() => mainWindow),
      ...(binding ? { nativeBinding: binding } : {})
    })
    const notice = migrationNotice(lab.dbPath, lab.migration)
    if (notice) console.log(`Hyperlab ${notice}`)
    registerIpc(lab)
    mainWindow = createWindow()
    if (initialFile) void openExperiment(initialFile)
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
}

// A second launch hands its file (if any) to the running app, which comes to the front, and ends here.
const handOver: SecondInstanceData = { file: initialFile }
if (app.requestSingleInstanceLock(handOver)) start()
else app.quit()
