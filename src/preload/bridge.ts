/** The shape of `window.hyperlabBridge`, derived from the contract's names. */
import type { COMMAND_NAMES } from '../shared/channels'

type Name = (typeof COMMAND_NAMES)[number]
type Domain<K extends string> = K extends `${infer D}:${string}` ? D : never
type Verb<K extends string, D extends string> = K extends `${D}:${infer V}` ? V : never

/** Each call resolves to a `Reply` envelope (src/shared/wire.ts), never rejects for a handler's error. */
export type HyperlabBridge = {
  [D in Domain<Name>]: { [K in Name as Verb<K, D>]: (input: unknown) => Promise<unknown> }
} & {
  subscribe(listener: (event: string, payload: unknown) => void): () => void
}
