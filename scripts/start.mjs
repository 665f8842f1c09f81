#!/usr/bin/env node
/**
 * `npm start`: builds Hyperlab when its sources changed, then opens the
 * desktop app. The desktop app needs the Electron binary (fetched on first
 * start) and better-sqlite3 built for Electron's ABI (prepared once into
 * .cache/, by electron-sqlite.mjs). Where either cannot be had — no internet, say — it says so in one
 * line and starts browser mode instead: the same lab served on 127.0.0.1.
 *
 *   npm start                 desktop app, or browser mode as a fallback
 *   npm start -- --browser    browser mode directly
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqliteForElectron } from './electron-sqlite.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const args = process.argv.slice(2)
const wantBrowser = args.includes('--browser') || process.env.HYPERLAB_BROWSER === '1'
const passThrough = args.filter((a) => a !== '--browser')

function newestMtime(path) {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

function ensureBuilt() {
  const built = join(root, 'out', 'main', 'server.js')
  const inputs = ['src', 'resources', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p))
  if (existsSync(built) && Math.max(...inputs.map(newestMtime)) <= statSync(built).mtimeMs) return
  console.log('Building Hyperlab…')
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

function quiet(cmd, cmdArgs, options = {}) {
  return spawnSync(cmd, cmdArgs, { cwd: root, encoding: 'utf8', timeout: 300_000, ...options })
}

/** The Electron executable, downloading it on first use; null when it cannot be had. */
function electronBinary() {
  const pkgDir = dirname(require.resolve('electron/package.json'))
  const pathFile = join(pkgDir, 'path.txt')
  const installed = () =>
    existsSync(pathFile) && existsSync(join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()))
  if (!installed()) {
    // Quiet: where there is no internet the downloader's own output is a stack
    // trace; the caller says in one line what happened instead.
    quiet(process.execPath, [join(pkgDir, 'install.js')])
    if (installed()) console.log('Fetched the Electron binary (first start only).')
  }
  return installed() ? join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null
}

function run(cmd, cmdArgs, env) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  // Ctrl+C reaches the child from the terminal itself; forwarding it again would
  // interrupt the child's own orderly shutdown. A SIGTERM sent to us alone is passed on.
  process.on('SIGINT', () => undefined)
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
}

function browserMode() {
  run(process.execPath, [join(root, 'out', 'main', 'server.js'), ...passThrough])
}

ensureBuilt()
if (wantBrowser) {
  browserMode()
} else {
  const electron = electronBinary()
  const binding = electron ? sqliteForElectron({ root, electronVersion: require('electron/package.json').version }) : null
  if (!electron) {
    console.log('The Electron binary is not available here (it could not be downloaded): starting browser mode instead.')
    browserMode()
  } else if (!binding) {
    console.log('better-sqlite3 could not be built for Electron here: starting browser mode instead.')
    browserMode()
  } else {
    run(electron, [root, ...passThrough], { HYPERLAB_SQLITE_BINDING: binding })
  }
}
