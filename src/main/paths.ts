/**
 * Where Hyperlab keeps things on disk. The data folder is the same for the
 * desktop app, browser mode and the CLI, so a run started anywhere shows up
 * everywhere: `HYPERLAB_DATA_DIR` when set, else the platform's user data
 * folder (the one Electron calls `userData`) under "Hyperlab".
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

export const APP_NAME = 'Hyperlab'
export const DB_FILE = 'hyperlab.db'

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HYPERLAB_DATA_DIR) return env.HYPERLAB_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}

export function defaultDbPath(dataDir: string = userDataDir()): string {
  return join(dataDir, DB_FILE)
}

/**
 * Why a database path given on a command line cannot be used as one, or
 * null. SQLite takes "" and ":memory:" for a temporary database that
 * vanishes with the process, taking the runs with it.
 */
export function databasePathProblem(path: string): string | null {
  if (path === '') return 'an empty path would keep the runs in a temporary database that vanishes; give a file path'
  if (path === ':memory:') return '":memory:" would keep the runs in a temporary database that vanishes; give a file path (./:memory: for a file of that name)'
  return null
}

/** Why a data folder given on a command line cannot be used, or null. */
export function dataDirProblem(dir: string): string | null {
  return dir === '' ? 'an empty path names no folder; give the folder for hyperlab.db' : null
}

/** The folder holding Hyperlab's package.json, found from the running file upwards. */
export function appRoot(from: string = __dirname): string {
  let dir = from
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'hyperlab') return dir
      } catch {
        // Not ours; keep looking upwards.
      }
    }
    const up = dirname(dir)
    if (up === dir) throw new Error(`cannot find Hyperlab's package.json above ${from}`)
    dir = up
  }
}

export function appVersion(root: string = appRoot()): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
}

export function examplesDir(root: string = appRoot()): string {
  return join(root, 'resources', 'examples')
}

export function rendererDir(root: string = appRoot()): string {
  return join(root, 'out', 'renderer')
}

export function workerPath(root: string = appRoot()): string {
  return join(root, 'out', 'main', 'worker.js')
}

export function readerPath(root: string = appRoot()): string {
  return join(root, 'out', 'main', 'reader.js')
}

export function reportThreadPath(root: string = appRoot()): string {
  return join(root, 'out', 'main', 'report.js')
}
