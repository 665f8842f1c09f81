/** A schema step: applied once, in id order, inside a transaction. */
export interface Migration {
  /** Date-prefixed, so lexical order is the order they were written in. */
  id: string
  up: string
}
