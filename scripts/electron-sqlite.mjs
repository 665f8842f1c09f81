/**
 * better-sqlite3 built for Electron's ABI, kept apart from the Node build in
 * node_modules that the CLI and the tests load. `npm start` uses it for the
 * desktop window, packaging puts it into the package (packaging/after-pack.mjs).
 *
 * A published build for that Electron, platform and architecture is fetched
 * first (prebuild-install); failing that, on this machine's own platform, it
 * is compiled from source (node-gyp, with Electron's headers). Either needs
 * the internet once; the result is kept in .cache/better-sqlite3/.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

function quiet(cmd, args, cwd) {
  // Quiet: where there is no internet the tools' own output is a stack trace;
  // the caller says in one line what happened instead.
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000, shell: process.platform === 'win32' && cmd === 'npx' })
}

/** Where the binding for this Electron, platform and architecture is kept. */
export function cachedBindingPath(root, electronVersion, platform = process.platform, arch = process.arch) {
  return join(root, '.cache', 'better-sqlite3', `electron-${electronVersion}-${platform}-${arch}`, 'better_sqlite3.node')
}

/** The binding's path, fetching or building it when it is not cached yet; null when neither works. */
export function sqliteForElectron({ root, electronVersion, platform = process.platform, arch = process.arch, log = console.log }) {
  const target = cachedBindingPath(root, electronVersion, platform, arch)
  if (existsSync(target)) return target
  log(`Preparing the database engine for Electron ${electronVersion} (${platform}-${arch}, once)…`)
  const src = dirname(require.resolve('better-sqlite3/package.json'))
  const work = join(root, '.cache', 'better-sqlite3', 'work')
  rmSync(work, { recursive: true, force: true })
  cpSync(src, work, { recursive: true, filter: (p) => !p.startsWith(join(src, 'build')) })
  const prebuild = require.resolve('prebuild-install/bin.js')
  let r = quiet(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--platform', platform, '--arch', arch], work)
  if (r.status !== 0 && platform === process.platform) {
    r = quiet('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], work)
  }
  const built = join(work, 'build', 'Release', 'better_sqlite3.node')
  if (r.status !== 0 || !existsSync(built)) return null
  mkdirSync(dirname(target), { recursive: true })
  cpSync(built, target)
  rmSync(work, { recursive: true, force: true })
  return target
}
