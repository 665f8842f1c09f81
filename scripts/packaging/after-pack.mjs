/**
 * electron-builder's afterPack hook: puts better-sqlite3's native binding,
 * built for the Electron being packaged and the package's platform and
 * architecture, into the package's resources/native/ (outside the ASAR: a
 * native module cannot be loaded from inside one; src/main/desktop/native.ts
 * loads it from there). HYPERLAB_SQLITE_BINDING may name a ready-made
 * binding instead. Packaging fails, saying why, when there is none.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqliteForElectron } from '../electron-sqlite.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const { Arch } = createRequire(import.meta.url)('electron-builder')

export default async function afterPack(context) {
  const { appOutDir, packager } = context
  // A Mac App Store build is a macOS build to better-sqlite3.
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName
  const arch = Arch[context.arch]
  const electronVersion = packager.info.framework.version
  const given = process.env.HYPERLAB_SQLITE_BINDING
  if (given && !existsSync(given)) throw new Error(`HYPERLAB_SQLITE_BINDING names ${given}, which does not exist`)
  const binding = given || sqliteForElectron({ root, electronVersion, platform, arch })
  if (!binding) {
    throw new Error(
      `better-sqlite3 could not be fetched or built for Electron ${electronVersion} (${platform}-${arch}); ` +
        'packaging needs the internet once for it, or HYPERLAB_SQLITE_BINDING naming a binding built for that Electron'
    )
  }
  const target = join(packager.getResourcesDir(appOutDir), 'native', 'better_sqlite3.node')
  mkdirSync(dirname(target), { recursive: true })
  copyFileSync(binding, target)
}
