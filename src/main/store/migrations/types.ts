/** A schema step: applied once, in id order, inside a transaction. */
import type { Database } from 'better-sqlite3'

export interface Migration {
  /** Date-prefixed, so lexical order is the order they were written in. */
  id: string
  up: string
  /**
   * What SQL alone cannot do (reading stored experiment text, packing
   * samples), run after `up` in the same transaction: it commits or rolls
   * back with the schema change.
   */
  data?: (db: Database) => void
  /**
   * Rebuilds a table others refer to: foreign keys are off while it runs (they
   * cannot change inside a transaction), and checked before it commits.
   */
  rebuildsTables?: boolean
}
