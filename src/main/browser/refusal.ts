/**
 * Refusing a WebSocket without ever reading from it. A page with a stale or
 * mistyped token must learn why it was refused, and a browser only shows a
 * page the close code of an open socket (an HTTP refusal looks like a network
 * error). So the refusal completes the handshake, sends one close frame with
 * the code, and hangs up: no frame parser is attached, so nothing the client
 * sends is ever parsed. Clients that are not pages (no Origin header) can read
 * an HTTP status, and get a plain 401 before any upgrade.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

/** RFC 6455 §1.3: the GUID appended to the client's key. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

/** Writes an HTTP status line and hangs up. */
export function refuseWithStatus(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy())
}

/** A server's close frame (unmasked, FIN set) carrying `code` and a short reason. */
export function closeFrame(code: number, reason: string): Buffer {
  const text = Buffer.from(reason, 'utf8').subarray(0, 123)
  const frame = Buffer.alloc(4 + text.length)
  frame[0] = 0x88
  frame[1] = 2 + text.length
  frame.writeUInt16BE(code, 2)
  text.copy(frame, 4)
  return frame
}

/**
 * Completes the handshake of `req` and closes at once with `code`; a request
 * that is not a valid WebSocket handshake gets 400 instead.
 */
export function refuseWithCloseCode(req: IncomingMessage, socket: Duplex, code: number, reason: string): void {
  const key = req.headers['sec-websocket-key']
  const version = req.headers['sec-websocket-version']
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(key) || version !== '13') {
    refuseWithStatus(socket, '400 Bad Request')
    return
  }
  const accept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64')
  const head = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${accept}`,
    '',
    ''
  ].join('\r\n')
  // Whatever the client sends meanwhile is dropped unread.
  socket.on('data', () => undefined)
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), closeFrame(code, reason)]), () => socket.destroy())
}
