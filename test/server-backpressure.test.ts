/**
 * A client that never reads its replies must not grow the server: it stops
 * being read from past one bound, and is closed past another; a client that
 * catches up gets every reply, in order.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBrowserServer, type BrowserServer } from '../src/main/browser/server'
import { openLab, type Lab } from '../src/main/lab'
import { requireBuild, tempDir } from './fixtures'
import { frame, rawUpgrade } from './wsAbuse'

let lab: Lab
let server: BrowserServer | null = null
const dir = tempDir()

beforeEach(() => {
  requireBuild()
  mkdirSync(join(dir.path, 'renderer'), { recursive: true })
  writeFileSync(join(dir.path, 'renderer', 'index.html'), '<!doctype html>')
  lab = openLab({ mode: 'browser', dbPath: join(dir.path, `${Math.random()}.db`), batchWallMs: 5 })
})
afterEach(async () => {
  await server?.close()
  await lab.close()
})

const call = (id: number, name: string, input: unknown = {}): Buffer =>
  frame(0x1, Buffer.from(JSON.stringify({ kind: 'call', id, name, input })))

/** Reply ids in the server's frames (unmasked, text), as far as they are complete. */
function replyIds(bytes: Buffer): number[] {
  const ids: number[] = []
  let at = 0
  while (at + 2 <= bytes.length) {
    let len = bytes[at + 1]! & 0x7f
    let head = 2
    if (len === 126) {
      if (at + 4 > bytes.length) break
      len = bytes.readUInt16BE(at + 2)
      head = 4
    } else if (len === 127) {
      if (at + 10 > bytes.length) break
      len = Number(bytes.readBigUInt64BE(at + 2))
      head = 10
    }
    if (at + head + len > bytes.length) break
    const msg = JSON.parse(bytes.subarray(at + head, at + head + len).toString()) as { kind: string; id?: number }
    if (msg.kind === 'reply' && msg.id !== undefined) ids.push(msg.id)
    at += head + len
  }
  return ids
}

/** Many VMs sampled every 10 ms: a run whose sample events outpace any socket buffer. */
function chattyExperiment(): string {
  const vms = Array.from(
    { length: 32 },
    (_, i) => `  - { id: vm${i}, host: h1, workload: { kind: custom, arrival: { process: poisson, rate_per_s: 100 }, per_op: { instructions: 1000 } } }`
  )
  return `format: hyperlab/experiment@1
name: chatty
duration_s: 600
sample_ms: 10
baseline: none
hosts: [{ id: h1, cpu: nehalem-x5570, hypervisor: esx-4.0, sockets: 2, memory_gb: 512 }]
vms:
${vms.join('\n')}
`
}

describe('backpressure in browser mode', () => {
  it('stops reading from a client that does not read, then answers every call in order once it does', async () => {
    server = await startBrowserServer({ lab, rendererDir: join(dir.path, 'renderer'), sendPauseBytes: 64 * 1024 })
    const raw = await rawUpgrade(server.port, server.token)
    raw.socket.pause() // this client reads nothing
    const calls = 300
    raw.socket.write(Buffer.concat(Array.from({ length: calls }, (_, i) => call(i + 1, 'catalog:get'))))
    await expect.poll(() => server!.clients().paused, { timeout: 30_000 }).toBe(1)
    // What waits for this client stays near the bound: one catalog reply past it at most, never all 400.
    const oneReply = JSON.stringify(await lab.services.handlers['catalog:get']({})).length
    expect(server.clients().maxBuffered).toBeLessThan(64 * 1024 + 2 * oneReply + 1024 * 1024)
    expect(oneReply * calls).toBeGreaterThan(20 * 1024 * 1024)

    raw.socket.resume()
    await expect.poll(() => replyIds(raw.received()).length, { timeout: 60_000 }).toBe(calls)
    expect(replyIds(raw.received())).toEqual(Array.from({ length: calls }, (_, i) => i + 1))
    expect(server.clients().paused).toBe(0)
    raw.socket.destroy()
  })

  it('closes a client whose unread messages pass the second bound', async () => {
    server = await startBrowserServer({
      lab,
      rendererDir: join(dir.path, 'renderer'),
      sendPauseBytes: 16 * 1024,
      sendCloseBytes: 256 * 1024
    })
    const raw = await rawUpgrade(server.port, server.token)
    raw.socket.pause()
    // A run streams its samples and progress to every client, read or not.
    raw.socket.write(call(1, 'runs:start', { text: chattyExperiment() }))
    await expect.poll(() => lab.store.listRuns(1).length, { timeout: 30_000 }).toBe(1)
    // (A paused socket never reports its own close; the server's count does.)
    await expect.poll(() => server!.clients().connected, { timeout: 170_000 }).toBe(0)
    const run = lab.store.listRuns(1)[0]!
    await lab.runner.cancel(run.id)
  }, 180_000)

  it('closes a client with more calls waiting than the backlog holds', async () => {
    server = await startBrowserServer({ lab, rendererDir: join(dir.path, 'renderer'), sendPauseBytes: 1024, backlogMax: 50 })
    const raw = await rawUpgrade(server.port, server.token)
    raw.socket.pause()
    raw.socket.write(Buffer.concat(Array.from({ length: 2000 }, (_, i) => call(i + 1, 'catalog:get'))))
    await expect.poll(() => server!.clients().connected, { timeout: 30_000 }).toBe(0)
  })
})
