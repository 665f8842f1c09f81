/** Every migration, oldest first. Append; never edit one that has shipped. */
import { initial } from './2026-11-27-initial'
import { queuedRuns } from './2026-12-01-queued-runs'
import { drafts } from './2026-12-02-drafts'
import { library } from './2026-12-02-library'
import { sampleBlocks } from './2026-12-02-sample-blocks'
import { sweeps } from './2026-12-02-sweeps'
import { windowArrays } from './2026-12-02-window-arrays'
import type { Migration } from './types'

export const migrations: readonly Migration[] = [initial, queuedRuns, drafts, library, sampleBlocks, sweeps, windowArrays]
export type { Migration }
