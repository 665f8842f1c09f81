/**
 * Which better-sqlite3 binding the desktop app loads. Electron needs one
 * built for its own ABI: a package carries it in resources/native (put there
 * at packaging, outside the ASAR, since a native module cannot load from
 * inside one); `npm start` prepares one and names it in
 * HYPERLAB_SQLITE_BINDING. An installed app ignores that variable.
 */
import { join } from 'node:path'

export const PACKAGED_SQLITE_BINDING = join('native', 'better_sqlite3.node')

export function sqliteBinding(isPackaged: boolean, resourcesPath: string, env: NodeJS.ProcessEnv): string | undefined {
  if (isPackaged) return join(resourcesPath, PACKAGED_SQLITE_BINDING)
  return env.HYPERLAB_SQLITE_BINDING || undefined
}
