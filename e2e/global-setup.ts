/**
 * Starts the built browser-mode server for the whole e2e run, on a free port
 * and a fresh data folder, and hands its URL (token included) to the specs
 * in HYPERLAB_URL. The returned function stops it and removes the folder.
 * Also finds out whether the desktop specs can run here (electronRuntime.ts)
 * and says so in one line.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { describeRuntime, findElectronRuntime } from './electronRuntime'

const ROOT = resolve(__dirname, '..')
const SERVER = join(ROOT, 'out', 'main', 'server.js')
const READY_TIMEOUT_MS = 30_000

interface Ready {
  url: string
  port: number
  token: string
}

function waitForReady(child: ChildProcess, stderr: () => string): Promise<Ready> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the lab server printed no URL within ${READY_TIMEOUT_MS / 1000} s\n${stderr()}`))
    }, READY_TIMEOUT_MS)
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        return
      }
      const ready = parsed as Partial<Ready>
      if (typeof ready.url === 'string' && typeof ready.port === 'number' && typeof ready.token === 'string') {
        clearTimeout(timer)
        lines.close()
        child.stdout!.resume() // keep draining, so later output never blocks the server
        resolvePromise(ready as Ready)
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`the lab server exited (${signal ?? `code ${code}`}) before it was ready\n${stderr()}`))
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(force)
      done()
    })
    child.kill('SIGTERM')
  })
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(SERVER)) {
    throw new Error(`${SERVER} does not exist: run \`npm run build\` before the e2e tests (\`npm test\` does both).`)
  }
  const electron = await findElectronRuntime(ROOT)
  process.env.HYPERLAB_ELECTRON = JSON.stringify(electron)
  console.log(describeRuntime(electron))
  const dataDir = mkdtempSync(join(tmpdir(), 'hyperlab-e2e-'))
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--data-dir', dataDir, '--no-open', '--print-json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HYPERLAB_DATA_DIR: dataDir }
  })
  let errors = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    errors = (errors + chunk).slice(-8_000)
  })

  let ready: Ready
  try {
    ready = await waitForReady(child, () => errors)
  } catch (error) {
    await stop(child)
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  // The specs (in workers started after this) read these.
  process.env.HYPERLAB_URL = ready.url
  process.env.HYPERLAB_E2E_DATA_DIR = dataDir

  return async () => {
    await stop(child)
    rmSync(dataDir, { recursive: true, force: true })
  }
}
