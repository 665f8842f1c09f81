/**
 * Browser mode: the lab's services behind a server on 127.0.0.1. A random
 * token in the URL authorizes the WebSocket that carries LabApi calls; the
 * Host header (against DNS rebinding) and the Origin (against other sites in
 * the same browser) are checked on every request.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { clientMessageSchema, MAX_FRAME_BYTES, WS_PATH, type ServerMessage } from '../../shared/wire'
import { dispatch } from '../services/dispatch'
import type { Lab } from '../lab'
import { refuseWithCloseCode, refuseWithStatus } from './refusal'
import { contentSecurityPolicy, serveStatic } from './static'

export interface BrowserServerOptions {
  lab: Lab
  rendererDir: string
  port?: number
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string
  /** Backpressure bounds (tests); SEND_PAUSE_BYTES and SEND_CLOSE_BYTES otherwise. */
  sendPauseBytes?: number
  sendCloseBytes?: number
  backlogMax?: number
}

export interface BrowserServer {
  url: string
  port: number
  token: string
  /** Connected clients, how many are not read from until they catch up, and the most bytes waiting for one of them. */
  clients(): { connected: number; paused: number; maxBuffered: number }
  close(): Promise<void>
}

/**
 * Backpressure: a client that does not read its replies and events is not
 * read from once this much waits to be sent to it, and is closed past the
 * second bound, so a stalled page can never grow the server without end.
 */
export const SEND_PAUSE_BYTES = 8 * 1024 * 1024
export const SEND_CLOSE_BYTES = 64 * 1024 * 1024
/** Calls a client may have waiting before it is closed, and calls of one client answered at a time. */
export const BACKLOG_MAX = 1000
export const IN_FLIGHT_MAX = 16

export function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const { lab } = options
  const pauseBytes = options.sendPauseBytes ?? SEND_PAUSE_BYTES
  const closeBytes = options.sendCloseBytes ?? SEND_CLOSE_BYTES
  let port = 0
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`]
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`)

  const http: Server = createServer((req, res) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Hyperlab answers only to 127.0.0.1 and localhost')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET' }).end()
      return
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    void serveStatic(options.rendererDir, path, res, contentSecurityPolicy(port))
  })
  // A client that resets mid-request must not reach the process as an unhandled error.
  http.on('clientError', (_err, socket) => socket.destroy())

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const sockets = new Set<WebSocket>()
  /**
   * Per client: calls read but not yet started, and calls being answered.
   * Pausing a socket stops reading, but frames already read still arrive, and
   * each could ask for a large reply; so at most IN_FLIGHT_MAX calls of one
   * client are answered at a time, and the rest wait here, in order, while
   * the client keeps up.
   */
  const clients = new Map<WebSocket, { backlog: string[]; inFlight: number }>()
  const backlogMax = options.backlogMax ?? BACKLOG_MAX

  const receive = (ws: WebSocket, raw: string): void => {
    const state = clients.get(ws)
    if (!state) return
    if (state.backlog.length >= backlogMax) {
      ws.close(1008, 'too many calls waiting')
      ws.terminate()
      return
    }
    state.backlog.push(raw)
    pump(ws)
  }

  /** Starts waiting calls while the client keeps up; reads from it again once nothing waits. */
  const pump = (ws: WebSocket): void => {
    const state = clients.get(ws)
    if (!state || ws.readyState !== ws.OPEN) return
    while (state.backlog.length > 0 && state.inFlight < IN_FLIGHT_MAX && ws.bufferedAmount <= pauseBytes) {
      state.inFlight++
      void onMessage(ws, state.backlog.shift()!).finally(() => {
        state.inFlight--
        pump(ws)
      })
    }
    if (ws.isPaused && state.backlog.length === 0 && ws.bufferedAmount <= pauseBytes) ws.resume()
  }

  http.on('upgrade', (req, socket, head) => {
    // Every socket has an error handler from its first byte: a broken client closes itself, never the server.
    socket.on('error', () => socket.destroy())
    const refusal = checkUpgrade(req, token, allowedHosts(), allowedOrigins())
    if (refusal === TOKEN_REFUSED && req.headers.origin !== undefined) {
      // Our own page with a stale or mistyped token: it can only read a close code.
      refuseWithCloseCode(req, socket, 4401, 'token refused')
      return
    }
    if (refusal) {
      refuseWithStatus(socket, refusal)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      clients.set(ws, { backlog: [], inFlight: 0 })
      // Protocol errors (over-size or malformed frames, invalid UTF-8) end this client only.
      ws.on('error', () => ws.terminate())
      ws.on('close', () => {
        sockets.delete(ws)
        clients.delete(ws)
      })
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'messages must be JSON text')
        receive(ws, data.toString())
      })
    })
  })

  /** Sends, pausing reads from a client that is not keeping up and closing one that has stopped reading. */
  const send = (ws: WebSocket, message: ServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > closeBytes) {
      ws.close(1008, 'not reading its messages')
      ws.terminate()
      return
    }
    ws.send(JSON.stringify(message), () => {
      if (ws.bufferedAmount <= pauseBytes) pump(ws)
    })
    if (ws.bufferedAmount > pauseBytes && !ws.isPaused) ws.pause()
  }

  async function onMessage(ws: WebSocket, raw: string): Promise<void> {
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      return ws.close(1003, 'messages must be JSON')
    }
    const msg = clientMessageSchema.safeParse(json)
    if (!msg.success) return ws.close(1003, 'malformed message')
    const reply = await dispatch(lab.services.handlers, msg.data.name, msg.data.input)
    send(ws, { kind: 'reply', id: msg.data.id, reply })
  }

  const unsubscribe = lab.services.subscribe((event, payload) => {
    for (const ws of sockets) send(ws, { kind: 'event', event, payload })
  })

  return new Promise((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.port ?? 0, '127.0.0.1', () => {
      port = (http.address() as AddressInfo).port
      resolve({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        clients: () => ({
          connected: sockets.size,
          paused: [...sockets].filter((ws) => ws.isPaused).length,
          maxBuffered: Math.max(0, ...[...sockets].map((ws) => ws.bufferedAmount))
        }),
        close: () =>
          new Promise<void>((done) => {
            unsubscribe()
            for (const ws of sockets) ws.terminate()
            wss.close()
            http.close(() => done())
            http.closeAllConnections()
          })
      })
    })
  })
}

/** The refusal for a request from our own origin that carries the wrong token. */
export const TOKEN_REFUSED = '401 Unauthorized'

/** Why an upgrade is refused (an HTTP status line), or null to accept it. */
export function checkUpgrade(req: IncomingMessage, token: string, hosts: string[], origins: string[]): string | null {
  if (!hosts.includes(req.headers.host ?? '')) return '403 Forbidden'
  const origin = req.headers.origin
  if (origin !== undefined && !origins.includes(origin)) return '403 Forbidden'
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  if (url.pathname !== WS_PATH) return '404 Not Found'
  const given = Buffer.from(url.searchParams.get('token') ?? '')
  const expected = Buffer.from(token)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return TOKEN_REFUSED
  return null
}
