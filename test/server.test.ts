import { request } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserServer, type BrowserServer } from '../src/main/browser/server'
import { openLab, type Lab } from '../src/main/lab'
import type { ServerMessage } from '../src/shared/wire'
import { requireBuild, tempDir } from './fixtures'

let server: BrowserServer
let lab: Lab
const dir = tempDir()

beforeAll(async () => {
  requireBuild()
  const renderer = join(dir.path, 'renderer')
  mkdirSync(renderer)
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Hyperlab</title>')
  writeFileSync(join(dir.path, 'secret.txt'), 'outside')
  lab = openLab({ mode: 'browser', dbPath: join(dir.path, 'lab.db') })
  server = await startBrowserServer({ lab, rendererDir: renderer })
})
afterAll(async () => {
  await server.close()
  await lab.close()
  dir.remove()
})

function get(path: string, host: string): Promise<{ status: number; body: string; csp: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { Host: host } }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, csp: res.headers['content-security-policy'] as string }))
    })
    req.on('error', reject)
    req.end()
  })
}

function connect(token: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(token)}`, origin ? { origin } : {})
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** Resolves with the close code when the server hangs up before any reply. */
function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)))
}

function call(ws: WebSocket, id: number, name: string, input: unknown): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(data.toString()) as ServerMessage
      if (msg.kind === 'reply' && msg.id === id) {
        ws.off('message', onMessage)
        resolve(msg)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ kind: 'call', id, name, input }))
  })
}

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 with a long random token in the URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
  })

  it('serves the app with a CSP, and refuses other Host headers (DNS rebinding)', async () => {
    const ok = await get('/', `127.0.0.1:${server.port}`)
    expect(ok.status).toBe(200)
    expect(ok.csp).toMatch(/default-src 'self'/)
    expect((await get('/', `localhost:${server.port}`)).status).toBe(200)
    expect((await get('/', `evil.example:${server.port}`)).status).toBe(403)
  })

  it('never serves files outside the app folder', async () => {
    const res = await get('/..%2fsecret.txt', `127.0.0.1:${server.port}`)
    expect(res.body).not.toContain('outside')
  })

  it('refuses a socket without the token, with a wrong token, or from another origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`
    for (const token of ['', 'x'.repeat(32)]) {
      const ws = await connect(token, origin)
      const closed = closeCode(ws)
      ws.send(JSON.stringify({ kind: 'call', id: 1, name: 'runs:list', input: {} }))
      let replied = false
      ws.on('message', () => (replied = true))
      expect(await closed).toBe(4401)
      expect(replied).toBe(false)
    }
    await expect(connect(server.token, 'http://evil.example')).rejects.toThrow(/403/)
    await expect(connect(server.token, 'null')).rejects.toThrow(/403/)
  })

  it('answers calls through the contract, and returns structured errors for bad ones', async () => {
    const ws = await connect(server.token, `http://127.0.0.1:${server.port}`)
    const info = await call(ws, 1, 'app:info', {})
    expect(info).toMatchObject({ kind: 'reply', reply: { ok: true, output: { mode: 'browser' } } })

    const unknown = await call(ws, 2, 'runs:explode', {})
    expect(unknown).toMatchObject({ reply: { ok: false, error: { code: 'invalid-request' } } })

    const malformed = await call(ws, 3, 'runs:get', { run_id: 42 })
    expect(malformed).toMatchObject({ reply: { ok: false, error: { code: 'invalid-request', issues: [{ path: 'run_id' }] } } })

    const bad = await call(ws, 4, 'runs:start', { text: 'format: hyperlab/experiment@1\nname: x\nduration_s: -1\n' })
    expect(bad).toMatchObject({ reply: { ok: false, error: { code: 'invalid-experiment' } } })
    const issues = bad.kind === 'reply' && !bad.reply.ok ? (bad.reply.error.issues ?? []) : []
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['duration_s', 'hosts', 'vms']))
    ws.close()
  })
})
