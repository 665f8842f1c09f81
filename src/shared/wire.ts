/**
 * Envelopes that carry LabApi calls and events over a transport. Electron IPC
 * replies with `Reply`; browser mode sends `ClientMessage` over the WebSocket
 * and receives `ServerMessage`. A failed call is a reply with `ok: false`,
 * never a thrown transport error, so the error's code and issues survive.
 */
import { z } from 'zod'
import { wireErrorSchema } from './errors'
import { LIMITS } from './limits'
import { jsonStringBytesAtMost } from './textSize'

export const replySchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), output: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: wireErrorSchema })
])
export type Reply = z.infer<typeof replySchema>

/**
 * The largest WebSocket message a client may send: a call carrying the
 * largest experiment text the lab accepts, in the worst case of JSON
 * escaping, plus the envelope. Any text the editor accepts therefore travels
 * in one frame; a bigger frame closes that client's socket, never the server.
 */
export const MAX_FRAME_BYTES = jsonStringBytesAtMost(LIMITS.textBytes) + 64 * 1024

export const clientMessageSchema = z.strictObject({
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(64),
  input: z.unknown()
})
export type ClientMessage = z.infer<typeof clientMessageSchema>

export const serverMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('reply'), id: z.number(), reply: replySchema }),
  z.strictObject({ kind: z.literal('event'), event: z.string(), payload: z.unknown() })
])
export type ServerMessage = z.infer<typeof serverMessageSchema>

export { IPC_EVENT_CHANNEL, IPC_PREFIX, WS_PATH } from './channels'
