/**
 * A connection is a `Transport` (the two primitives `buildLabApi` needs) plus
 * its state, so the UI can say when the lab is unreachable instead of
 * failing silently. The Electron bridge is always connected; the WebSocket
 * of browser mode comes and goes.
 */
import { LabError, replySchema, type Transport } from './shared'

export type ConnectionState =
  /** First attempt in progress. */
  | 'connecting'
  | 'open'
  /** Was open, lost, retrying with backoff. */
  | 'reconnecting'
  /** Never opened, or closed by the server's policy: most likely a wrong or stale token. */
  | 'refused'
  /** The page URL carries no `?token=`: nothing to try. */
  | 'no-token'

export interface ConnectionStatus {
  state: ConnectionState
  /** A sentence for the user; empty when open. */
  detail: string
}

export interface LabConnection {
  readonly kind: 'bridge' | 'socket'
  readonly transport: Transport
  status(): ConnectionStatus
  onStatus(listener: (status: ConnectionStatus) => void): () => void
  close(): void
}

/**
 * Unwraps a `Reply` envelope: its output, or the `LabError` it carries (code
 * and issues intact). Anything else is a broken peer, reported as such.
 */
export function unwrapReply(raw: unknown, name: string): unknown {
  const parsed = replySchema.safeParse(raw)
  if (!parsed.success) throw new LabError('internal', `Malformed reply to ${name}`)
  if (!parsed.data.ok) throw LabError.fromWire(parsed.data.error)
  return parsed.data.output
}
