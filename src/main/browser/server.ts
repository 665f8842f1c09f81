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
import { clientMessageSchema, WS_PATH, type ServerMessage } from '../../shared/wire'
import { dispatch } from '../services/dispatch'
import type { Lab } from '../lab'
import { contentSecurityPolicy, serveStatic } from './static'

export interface BrowserServerOptions {
  lab: Lab
  rendererDir: string
  port?: number
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string
}

export interface BrowserServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const MAX_MESSAGE_BYTES = 8 * 1024 * 1024

export function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const { lab } = options
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

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const sockets = new Set<WebSocket>()

  http.on('upgrade', (req, socket, head) => {
    const refusal = checkUpgrade(req, token, allowedHosts(), allowedOrigins())
    if (refusal === TOKEN_REFUSED) {
      // Our own page with a stale or mistyped token: tell it in a way a browser can
      // read (an HTTP refusal looks like a network error), then hang up. Nothing
      // sent on this socket is ever read.
      wss.handleUpgrade(req, socket, head, (ws) => ws.close(4401, 'token refused'))
      return
    }
    if (refusal) {
      socket.write(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`)
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('message', (data) => void onMessage(ws, data.toString()))
    })
  })

  const send = (ws: WebSocket, message: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
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
