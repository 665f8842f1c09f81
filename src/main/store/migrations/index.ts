/** Every migration, oldest first. Append; never edit one that has shipped. */
import { initial } from './2026-11-27-initial'
import type { Migration } from './types'

export const migrations: readonly Migration[] = [initial]
export type { Migration }
