/**
 * Experiment files the CLI must refuse without harm: too large (checked
 * before reading; a pipe or device read only up to the limit), UTF-16,
 * not UTF-8, binary. Each refusal is short, printable, and one message per
 * problem — never megabytes of raw bytes and terminal control codes.
 */
import { spawn, spawnSync } from 'node:child_process'
import { truncateSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LIMITS } from '../src/shared/limits'
import { formatBytes } from '../src/shared/textSize'
import { BUILT_CLI, requireBuild, ROOT, tempDir } from './fixtures'

const dir = tempDir('hyperlab-input-')
beforeAll(requireBuild)
afterAll(dir.remove)
const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BUILT_CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, HYPERLAB_DATA_DIR: join(dir.path, 'data') }
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir.path, name)
  writeFileSync(path, content)
  return path
}

/** C0 controls but the line feed, DEL, C1 controls: none may reach the terminal raw. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/

/** Refused as bad input with exactly `lines` readable lines on stderr. */
function expectRefused(r: { code: number | null; stderr: string }, lines: number): string[] {
  expect(r.code, r.stderr).toBe(2)
  expect(r.stderr).not.toMatch(CONTROL)
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+/)
  const out = r.stderr.trimEnd().split('\n')
  expect(out, r.stderr).toHaveLength(lines)
  return out
}

/** Deterministic pseudo-random bytes (xorshift32): a binary file that is the same on every run. */
function noise(n: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(n)
  let x = seed >>> 0
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    out[i] = x & 0xff
  }
  return out
}

const VALID = `format: hyperlab/experiment@1
name: small
duration_s: 1
hosts: [{ id: h1, cpu: nehalem-x5570, hypervisor: native }]
vms: [{ id: os, host: h1, workload: cpu-int }]
`

describe('experiment files the CLI refuses', () => {
  it('refuses a 3 GB sparse file from its size alone, naming the size and the limit in bytes', () => {
    const huge = join(dir.path, 'huge.yaml')
    writeFileSync(huge, '')
    truncateSync(huge, 3_000_000_000)
    const [line] = expectRefused(cli('validate', huge), 1)
    expect(line).toBe(`${huge}: is 3000000000 bytes (3.0 GB); an experiment file may be at most ${LIMITS.textBytes} bytes (${formatBytes(LIMITS.textBytes)})`)
  })

  it('refuses a file one byte over the limit, and reads one at the limit', () => {
    const over = join(dir.path, 'over.yaml')
    writeFileSync(over, '')
    truncateSync(over, LIMITS.textBytes + 1)
    expect(expectRefused(cli('validate', over), 1)[0]).toContain(`is ${LIMITS.textBytes + 1} bytes (`)
    // Exactly at the limit it is read and judged on its content (here: one comment padded with spaces).
    const at = file('at.yaml', VALID + '#' + ' '.repeat(LIMITS.textBytes - VALID.length - 1))
    const r = cli('validate', at)
    expect(r.code, r.stderr).toBe(0)
  })

  it('stops reading a pipe that never ends once it passes the limit', async () => {
    const fifo = join(dir.path, 'endless.fifo')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const child = spawn(process.execPath, [BUILT_CLI, 'validate', fifo], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    cleanups.push(() => void child.kill('SIGKILL'))
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    // Write just over the limit and keep the pipe open: a reader that waits for the end waits forever.
    const writer = await open(fifo, 'w')
    cleanups.push(() => writer.close())
    const chunk = Buffer.alloc(1 << 16, 0x61)
    let written = 0
    while (written <= LIMITS.textBytes) written += (await writer.write(chunk)).bytesWritten
    const code = await exited
    expect(code).toBe(2)
    expect(stderr.trimEnd()).toBe(`${fifo}: is larger than ${LIMITS.textBytes} bytes (${formatBytes(LIMITS.textBytes)}), the most an experiment file may be`)
  })

  it('refuses /dev/zero after reading no more than the limit', () => {
    const [line] = expectRefused(cli('validate', '/dev/zero'), 1)
    expect(line).toBe(`/dev/zero: is larger than ${LIMITS.textBytes} bytes (${formatBytes(LIMITS.textBytes)}), the most an experiment file may be`)
  })

  it('says “the file is UTF-16; save it as UTF-8” for UTF-16 with or without a byte order mark', () => {
    const le = file('le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, 'utf16le')]))
    const be = file('be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(VALID, 'utf16le').swap16()]))
    const bare = file('bare.yaml', Buffer.from(VALID, 'utf16le'))
    for (const path of [le, be, bare]) expect(expectRefused(cli('validate', path), 1)).toEqual([`${path}: the file is UTF-16; save it as UTF-8`])
  })

  it('gives one clear message for text that is not UTF-8, with where it stops being UTF-8', () => {
    const latin1 = file('latin1.yaml', Buffer.concat([Buffer.from(VALID.replace('small', 'caf')), Buffer.from('# Gr\xfc\xdfe\n', 'latin1')]))
    expect(expectRefused(cli('validate', latin1), 1)).toEqual([
      `${latin1}: the file is not UTF-8 text (byte 0xfc at line 6, column 5); save it as UTF-8`
    ])
  })

  it('answers random bytes with a short message, not megabytes of them', () => {
    const binary = file('random.bin', noise(200_000))
    const [line] = expectRefused(cli('validate', binary), 1)
    expect(line!.length).toBeLessThan(200)
  })

  it('accepts a UTF-8 file that starts with a byte order mark', () => {
    const bom = file('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)]))
    const r = cli('validate', bom)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('valid — "small"')
  })

  it('never echoes terminal control codes from the file, and cuts what it quotes', () => {
    // Valid UTF-8 carrying a C1 CSI (clear screen) and an OSC title sequence, quoted back by the schema and the YAML parser.
    const hostile = file(
      'hostile.yaml',
      `format: hyperlab/experiment@1\nname: "\u009b2J\u001b]0;owned\u0007"\nduration_s: 1\nhosts: "${'\u009b'.repeat(5000)}"\nvms: []\n`
    )
    const h = cli('validate', hostile)
    expect(h.code).toBe(2)
    expect(h.stderr).not.toMatch(CONTROL)
    for (const line of h.stderr.trimEnd().split('\n')) expect(line.length).toBeLessThan(500)
    // A valid file whose name carries them: the name is shown escaped, on stdout too, as text and as JSON.
    const named = file('named.yaml', VALID.replace('name: small', 'name: "\u009b2J\u001b]0;owned\u0007 \u202eevil"'))
    const v = cli('validate', named)
    expect(v.code, v.stderr).toBe(0)
    expect(v.stdout).toContain('valid — "\\x9b2J\\x1b]0;owned\\x07 \\u202eevil"')
    const db = join(dir.path, 'named.db')
    expect(cli('run', named, '--db', db).code).toBe(0)
    for (const out of [cli('runs', 'list', '--db', db).stdout, cli('runs', 'list', '--json', '--db', db).stdout]) {
      expect(out).not.toMatch(CONTROL)
      expect(out).not.toContain('\u202e')
    }
    expect(JSON.parse(cli('runs', 'list', '--json', '--db', db).stdout)[0].experiment_name).toBe('\u009b2J\u001b]0;owned\u0007 \u202eevil')
    const broken = file('broken.yaml', `a: "\u009b[31m\n  - b: [\u001b[2J\n`)
    const r = cli('validate', broken)
    expect(r.code).toBe(2)
    expect(r.stderr).not.toMatch(CONTROL)
  })

  it('reports a YAML error repeated on every line once, and at most a screenful of problems', () => {
    const repeated = file('repeated.yaml', 'key: value: more\n'.repeat(2000))
    const r = cli('validate', repeated)
    expect(r.code).toBe(2)
    expect(r.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(21)
    expect(r.stderr).toMatch(/more like it/)
    const many = file(
      'many.yaml',
      VALID.replace('vms: [{ id: os, host: h1, workload: cpu-int }]', `vms: [${Array.from({ length: 60 }, (_, i) => `{ id: v${i}, host: nowhere, workload: cpu-int }`).join(', ')}]`)
    )
    const m = cli('validate', many)
    expect(m.code).toBe(2)
    const lines = m.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(21)
    expect(lines[20]).toBe(`${many}: and 40 more problems not shown`)
  })

  it('names a folder given as a file', () => {
    expect(expectRefused(cli('validate', dir.path), 1)).toEqual([`${dir.path}: is a folder, not a file`])
  })
})
