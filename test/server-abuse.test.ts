/**
 * The browser-mode server as a separate process, attacked the way a hostile
 * page or local process could: whatever a client sends, that client's socket
 * closes and the server keeps answering everyone else.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, requireBuild, tempDir } from './fixtures'
import { abusiveFrames, rawUpgrade } from './wsAbuse'

const dir = tempDir()
let child: ChildProcess
let port = 0
let token = ''
let exited: { code: number | null; stderr: string } | null = null

beforeAll(async () => {
  requireBuild()
  child = spawn(process.execPath, [join(ROOT, 'out', 'main', 'server.js'), '--port', '0', '--data-dir', dir.path, '--no-open', '--print-json'], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  child.once('exit', (code) => (exited = { code, stderr }))
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', () => reject(new Error(`server exited: ${stderr}`)))
  })
  ;({ port, token } = JSON.parse(line) as { port: number; token: string })
})

afterAll(() => {
  child.kill('SIGKILL')
  dir.remove()
})

/** A well-behaved client's call, to prove the server still answers. */
function appInfo(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: `http://127.0.0.1:${port}` })
    ws.once('error', reject)
    ws.once('open', () => ws.send(JSON.stringify({ kind: 'call', id: 1, name: 'app:info', input: {} })))
    ws.once('message', (data) => {
      resolve(JSON.parse(data.toString()))
      ws.close()
    })
  })
}

/** The close code in the first server frame, when it is a close frame. */
function closeCodeOf(bytes: Buffer): number | null {
  if (bytes.length < 4 || (bytes[0]! & 0x0f) !== 0x8) return null
  return bytes.readUInt16BE(2)
}

describe('the browser-mode server under protocol abuse', () => {
  for (const [what, bytes] of Object.entries(abusiveFrames)) {
    it(`survives ${what} from a client with the token, and closes only that client`, async () => {
      const raw = await rawUpgrade(port, token)
      expect(raw.status).toContain('101')
      raw.socket.write(bytes())
      await raw.closing
      expect(exited).toBeNull()
      await expect(appInfo()).resolves.toMatchObject({ kind: 'reply', reply: { ok: true } })
    })
  }

  it('tells our own page its token is wrong with close code 4401, then hangs up without reading', async () => {
    const raw = await rawUpgrade(port, 'x'.repeat(32))
    expect(raw.status).toContain('101')
    // Whatever follows is never parsed: the server has already hung up.
    raw.socket.write(abusiveFrames['a header claiming 2^62 bytes']!())
    await raw.closed
    expect(closeCodeOf(raw.received())).toBe(4401)
    expect(exited).toBeNull()
  })

  it('refuses a wrong token from a client that is not a page (no Origin) before the upgrade', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=wrong`)
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.once('open', () => reject(new Error('upgraded')))
      ws.once('error', () => undefined)
    })
    expect(status).toBe(401)
  })

  it('is still alive after all of it', async () => {
    expect(exited).toBeNull()
    await expect(appInfo()).resolves.toMatchObject({ reply: { ok: true } })
  })
})
