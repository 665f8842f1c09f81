/**
 * A raw WebSocket client for tests that must send what a well-behaved client
 * never would: over-size frames, invalid UTF-8, reserved opcodes, unmasked
 * frames, absurd lengths. It speaks the handshake by hand so nothing in
 * between can tidy the bytes up.
 */
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { MAX_FRAME_BYTES } from '../src/shared/wire'

export interface RawSocket {
  socket: Socket
  /** The HTTP status line of the handshake answer. */
  status: string
  /** Resolves when the server closes or resets the connection. */
  closed: Promise<void>
  /** Resolves when the server sends a close frame or the connection ends, whichever is first. */
  closing: Promise<void>
  /** Bytes received after the handshake. */
  received(): Buffer
}

/** Opens a TCP connection and performs the WebSocket handshake with the given token and origin. */
export function rawUpgrade(port: number, token: string, origin = `http://127.0.0.1:${port}`): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let head = Buffer.alloc(0)
    let rest = Buffer.alloc(0)
    const chunks: Buffer[] = []
    const received = (): Buffer => {
      if (chunks.length > 0) rest = Buffer.concat([rest, ...chunks.splice(0)])
      return rest
    }
    let status: string | null = null
    const closed = new Promise<void>((done) => {
      socket.once('close', () => done())
    })
    let sawCloseFrame: () => void = () => undefined
    const closing = Promise.race([closed, new Promise<void>((done) => (sawCloseFrame = done))])
    socket.on('error', () => undefined)
    socket.on('data', (chunk: Buffer) => {
      if (status !== null) {
        if (rest.length === 0 && chunks.length === 0 && ((chunk[0] ?? 0) & 0x0f) === 0x8) sawCloseFrame()
        chunks.push(chunk)
        return
      }
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      status = head.subarray(0, head.indexOf('\r\n')).toString('latin1')
      rest = head.subarray(end + 4)
      if (((rest[0] ?? 0) & 0x0f) === 0x8) sawCloseFrame()
      resolve({ socket, status, closed, closing, received })
    })
    socket.once('close', () => {
      if (status === null) reject(new Error('closed before the handshake answer'))
    })
    socket.write(
      [
        `GET /api?token=${encodeURIComponent(token)} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Origin: ${origin}`,
        '',
        ''
      ].join('\r\n')
    )
  })
}

/** One client frame: FIN set, the given opcode, masked unless told otherwise, with a declared length that may lie. */
export function frame(opcode: number, payload: Buffer, options: { masked?: boolean; declaredLength?: bigint } = {}): Buffer {
  const masked = options.masked ?? true
  const length = options.declaredLength ?? BigInt(payload.length)
  const parts: Buffer[] = [Buffer.from([0x80 | opcode])]
  const maskBit = masked ? 0x80 : 0
  if (length < 126n) parts.push(Buffer.from([maskBit | Number(length)]))
  else if (length < 65_536n) {
    const b = Buffer.alloc(3)
    b[0] = maskBit | 126
    b.writeUInt16BE(Number(length), 1)
    parts.push(b)
  } else {
    const b = Buffer.alloc(9)
    b[0] = maskBit | 127
    b.writeBigUInt64BE(length, 1)
    parts.push(b)
  }
  if (masked) {
    const mask = randomBytes(4)
    parts.push(mask)
    parts.push(Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!)))
  } else parts.push(payload)
  return Buffer.concat(parts)
}

/** The abuses the server must survive, each as the bytes a client sends after the handshake. */
export const abusiveFrames: Record<string, () => Buffer> = {
  'an over-size text frame (one byte over the frame limit)': () => frame(0x1, Buffer.alloc(MAX_FRAME_BYTES + 1, 0x61)),
  'a text frame that is not JSON': () => frame(0x1, Buffer.from('not json')),
  'a binary frame': () => frame(0x2, Buffer.from([1, 2, 3])),
  'invalid UTF-8 in a text frame': () => frame(0x1, Buffer.from([0xff, 0xfe, 0xfd])),
  'a reserved opcode': () => frame(0x3, Buffer.from('x')),
  'an unmasked client frame': () => frame(0x1, Buffer.from('{}'), { masked: false }),
  'a header claiming 2^62 bytes': () => frame(0x1, Buffer.alloc(0), { declaredLength: 2n ** 62n })
}
