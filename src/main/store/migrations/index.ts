/** Every migration, oldest first. Append; never edit one that has shipped. */
import { initial } from './2026-11-27-initial'
import { queuedRuns } from './2026-12-01-queued-runs'
import { sweeps } from './2026-12-01-sweeps'
import type { Migration } from './types'

export const migrations: readonly Migration[] = [initial, queuedRuns, sweeps]
export type { Migration }
