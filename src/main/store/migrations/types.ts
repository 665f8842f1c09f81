/** A schema step: applied once, in id order, inside a transaction. */
export interface Migration {
  /** Date-prefixed, so lexical order is the order they were written in. */
  id: string
  up: string
  /**
   * Rebuilds a table others refer to: foreign keys are off while it runs (they
   * cannot change inside a transaction), and checked before it commits.
   */
  rebuildsTables?: boolean
}
