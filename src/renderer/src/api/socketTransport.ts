/**
 * Browser-mode transport: one WebSocket to the lab server at
 * `ws(s)://<host>${WS_PATH}?token=<token>`. Calls go out as `ClientMessage`
 * and are matched to `reply` messages by id; `event` messages fan out to the
 * subscribers.
 *
 * Invariants:
 * 1. A call is pending on at most one socket; when that socket closes, every
 *    call still waiting on it is rejected (`unavailable`), never left hanging.
 * 2. A call made while a socket is connecting waits for it; a call made while
 *    there is no socket at all fails at once.
 * 3. After a close the transport retries with exponential backoff (capped),
 *    except when the server closed with a policy code (the token was refused)
 *    or there is no token to present.
 */
import {
  formatBytes,
  isEventName,
  LabError,
  MAX_FRAME_BYTES,
  utf8Length,
  serverMessageSchema,
  WS_PATH,
  type ClientMessage,
  type CommandName,
  type EventName,
  type Transport
} from './shared'
import { unwrapReply, type ConnectionStatus, type LabConnection } from './connection'


/** Close codes with which a server says "not you": policy violation and the 44xx auth range. */
const REFUSAL_CODES = new Set([1008, 4401, 4403])
const BACKOFF_MIN_MS = 500
const BACKOFF_MAX_MS = 10_000

const HINT = 'Open the URL printed by `npm start`, including its token.'

interface PendingCall {
  name: CommandName
  resolve(output: unknown): void
  reject(error: Error): void
}

/** The socket URL for this page, or null when the page URL carries no token. */
export function socketUrlFor(location: Pick<Location, 'protocol' | 'host' | 'search'>): string | null {
  const token = new URLSearchParams(location.search).get('token')
  if (!token) return null
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`
}

export class SocketConnection implements LabConnection {
  readonly kind = 'socket'
  readonly transport: Transport

  private socket: WebSocket | null = null
  private nextId = 1
  /** Sent, awaiting a reply (invariant 1). */
  private readonly pending = new Map<number, PendingCall>()
  /** Made while the socket was connecting; sent on open (invariant 2). */
  private outbox: { message: ClientMessage; call: PendingCall }[] = []
  private readonly eventListeners = new Set<(event: EventName, payload: unknown) => void>()
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>()
  private current: ConnectionStatus
  private failedAttempts = 0
  private everOpened = false
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private closed = false

  constructor(private readonly url: string | null) {
    this.transport = {
      invoke: (name, input) => this.invoke(name, input),
      subscribe: (listener) => {
        this.eventListeners.add(listener)
        return () => this.eventListeners.delete(listener)
      }
    }
    if (url === null) {
      this.current = {
        state: 'no-token',
        detail: `This page was opened without its access token. ${HINT}`
      }
    } else {
      this.current = { state: 'connecting', detail: 'Connecting to the lab server…' }
      this.connect()
    }
  }

  status(): ConnectionStatus {
    return this.current
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  close(): void {
    this.closed = true
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.socket?.close(1000)
    this.failAll(new LabError('unavailable', 'The connection to the lab server was closed'))
  }

  private invoke(name: CommandName, input: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const socket = this.socket
      if (socket === null || socket.readyState > WebSocket.OPEN) {
        reject(new LabError('unavailable', `Not connected to the lab server. ${this.current.detail}`.trim()))
        return
      }
      const message: ClientMessage = { kind: 'call', id: this.nextId++, name, input }
      const call: PendingCall = { name, resolve, reject }
      if (socket.readyState === WebSocket.CONNECTING) {
        this.outbox.push({ message, call })
      } else {
        this.send(socket, message, call)
      }
    })
  }

  private send(socket: WebSocket, message: ClientMessage, call: PendingCall): void {
    const frame = JSON.stringify(message)
    // The server closes a socket that sends more than a frame may hold; refuse the call here instead.
    if (frame.length > MAX_FRAME_BYTES || utf8Length(frame) > MAX_FRAME_BYTES) {
      call.reject(new LabError('invalid-request', `${message.name}: the request is too large to send (${formatBytes(utf8Length(frame))}; at most ${formatBytes(MAX_FRAME_BYTES)})`))
      return
    }
    this.pending.set(message.id, call)
    try {
      socket.send(frame)
    } catch (error) {
      this.pending.delete(message.id)
      call.reject(new LabError('unavailable', `Could not send ${message.name}: ${String(error)}`))
    }
  }

  private connect(): void {
    if (this.url === null || this.closed) return
    const socket = new WebSocket(this.url)
    this.socket = socket
    let opened = false

    socket.onopen = () => {
      if (this.socket !== socket) return
      opened = true
      this.everOpened = true
      this.failedAttempts = 0
      this.setStatus({ state: 'open', detail: '' })
      const queued = this.outbox
      this.outbox = []
      for (const { message, call } of queued) this.send(socket, message, call)
    }
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket === socket) this.receive(event.data)
    }
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return
      this.socket = null
      this.failAll(new LabError('unavailable', 'The connection to the lab server closed before it replied'))
      if (this.closed) return
      if (REFUSAL_CODES.has(event.code)) {
        this.setStatus({
          state: 'refused',
          detail: `The lab server refused this page${event.reason ? ` (${event.reason})` : ''}. ${HINT}`
        })
        return
      }
      this.failedAttempts += opened ? 0 : 1
      if (!this.everOpened || this.failedAttempts >= 3) {
        this.setStatus({
          state: this.everOpened ? 'reconnecting' : 'refused',
          detail: this.everOpened
            ? 'The lab server is not answering; retrying…'
            : `Cannot connect to the lab server: it is not running, or it refused this page's token. ${HINT}`
        })
      } else {
        this.setStatus({ state: 'reconnecting', detail: 'Connection to the lab server lost; reconnecting…' })
      }
      this.scheduleRetry()
    }
  }

  private scheduleRetry(): void {
    const exponent = Math.min(this.failedAttempts, 10)
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** exponent)
    const delay = base / 2 + Math.random() * (base / 2)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.connect()
    }, delay)
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return
    let json: unknown
    try {
      json = JSON.parse(data)
    } catch {
      return
    }
    const parsed = serverMessageSchema.safeParse(json)
    if (!parsed.success) return
    const message = parsed.data
    if (message.kind === 'reply') {
      const call = this.pending.get(message.id)
      if (!call) return
      this.pending.delete(message.id)
      try {
        call.resolve(unwrapReply(message.reply, call.name))
      } catch (error) {
        call.reject(error instanceof Error ? error : new Error(String(error)))
      }
      return
    }
    if (!isEventName(message.event)) return
    for (const listener of this.eventListeners) listener(message.event, message.payload)
  }

  private failAll(error: LabError): void {
    const calls = [...this.pending.values(), ...this.outbox.map((entry) => entry.call)]
    this.pending.clear()
    this.outbox = []
    for (const call of calls) call.reject(error)
  }

  private setStatus(status: ConnectionStatus): void {
    this.current = status
    for (const listener of this.statusListeners) listener(status)
  }
}
