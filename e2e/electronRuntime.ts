/**
 * Whether the desktop app can be driven on this machine: an Electron binary
 * (`npx electron --version` works), a display to open its window on, and
 * better-sqlite3 built for that Electron. The global setup finds this out
 * once, prints one line saying whether the desktop specs run or why not,
 * and hands the answer to them in HYPERLAB_ELECTRON.
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'

export type ElectronRuntime = { ok: true; binary: string; version: string; binding: string } | { ok: false; reason: string }

export async function findElectronRuntime(root: string): Promise<ElectronRuntime> {
  const require = createRequire(join(root, 'package.json'))
  // `npx electron --version`, run the way npx would; it fetches the binary where it can.
  const probe = spawnSync(process.execPath, [require.resolve('electron/cli.js'), '--version'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '' }
  })
  if (probe.status !== 0) return { ok: false, reason: '`npx electron --version` fails here (no Electron binary, and it cannot be downloaded)' }
  const version = (require('electron/package.json') as { version: string }).version
  const binary = require('electron') as unknown as string
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no display to open a window on (set DISPLAY, or run under xvfb-run)' }
  }
  const { sqliteForElectron } = await import('../scripts/electron-sqlite.mjs')
  const binding = sqliteForElectron({ root, electronVersion: version, log: () => undefined })
  if (!binding) return { ok: false, reason: `better-sqlite3 could not be fetched or built for Electron ${version}` }
  return { ok: true, binary, version, binding }
}

export function describeRuntime(runtime: ElectronRuntime): string {
  return runtime.ok ? `Desktop e2e: running against Electron ${runtime.version}.` : `Desktop e2e skipped: ${runtime.reason}.`
}

export function runtimeFromEnv(): ElectronRuntime {
  const raw = process.env.HYPERLAB_ELECTRON
  if (!raw) return { ok: false, reason: 'the global setup did not look for Electron' }
  return JSON.parse(raw) as ElectronRuntime
}
