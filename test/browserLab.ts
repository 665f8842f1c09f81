/**
 * A lab as browser mode opens it, over a fresh database in a fresh folder, for
 * tests that call its handlers as plain functions: `useBrowserLab()` opens it
 * before the file's tests and closes it, and removes the folder, after them.
 */
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { openLab, type Lab } from '../src/main/lab'
import { requireBuild, tempDir } from './fixtures'

export interface BrowserLab {
  /** The open lab (from the file's first test on). */
  readonly lab: Lab
  /** The folder the database is in, for other files a test needs beside it. */
  readonly dir: string
  readonly dbPath: string
}

export function useBrowserLab(prefix?: string): BrowserLab {
  const dir = tempDir(prefix)
  const dbPath = join(dir.path, 'lab.db')
  let lab: Lab | undefined
  beforeAll(() => {
    requireBuild()
    lab = openLab({ mode: 'browser', dbPath })
  })
  afterAll(async () => {
    await lab?.close()
    dir.remove()
  })
  return {
    get lab(): Lab {
      if (!lab) throw new Error('the lab opens before the first test: use it inside a test or a hook')
      return lab
    },
    dir: dir.path,
    dbPath
  }
}
