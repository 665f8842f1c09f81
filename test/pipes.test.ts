/**
 * Output to a pipe nobody reads any more (`hyperlab catalog --json | head -1`)
 * ends quietly: no stack trace, and the exit status of the command itself.
 *
 * The closed pipe is made before the process starts, so nothing depends on
 * timing: a FIFO opened for reading and writing, whose read end is closed
 * before the child gets the write end.
 */
import { spawn, spawnSync, type StdioOptions } from 'node:child_process'
import { closeSync, constants, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUILT_CLI, requireBuild, ROOT, tempDir } from './fixtures'

const BUILT_SERVER = join(ROOT, 'out', 'main', 'server.js')
const dir = tempDir('hyperlab-pipes-')
beforeAll(requireBuild)
afterAll(dir.remove)

let fifos = 0
/** A write end whose every reader has already gone: writing to it fails with EPIPE. */
function closedPipe(): number {
  const fifo = join(dir.path, `fifo-${fifos++}`)
  const made = spawnSync('mkfifo', [fifo])
  if (made.status !== 0) throw new Error(`mkfifo failed: ${String(made.stderr)}`)
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
  const writer = openSync(fifo, constants.O_WRONLY)
  closeSync(reader)
  return writer
}

/** Runs a built entry point with the given stdio; resolves with its exit code and what it wrote to the pipes we read. */
function run(script: string, args: string[], stdio: StdioOptions): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      stdio,
      env: { ...process.env, HYPERLAB_DATA_DIR: join(dir.path, 'data') }
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

async function withClosedPipe(script: string, args: string[], which: 'stdout' | 'stderr') {
  const fd = closedPipe()
  try {
    return await run(script, args, which === 'stdout' ? ['ignore', fd, 'pipe'] : ['ignore', 'pipe', fd])
  } finally {
    closeSync(fd)
  }
}

describe('output to a closed pipe', () => {
  it('`hyperlab catalog --json | head -1`: the CLI ends quietly with 0', async () => {
    const r = await withClosedPipe(BUILT_CLI, ['catalog', '--json'], 'stdout')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })

  it('keeps the exit status of the command when stderr is a closed pipe (bad input stays 2)', async () => {
    const bad = join(dir.path, 'bad.yaml')
    writeFileSync(bad, 'format: hyperlab/experiment@1\nname: x\n')
    const r = await withClosedPipe(BUILT_CLI, ['validate', bad], 'stderr')
    expect(r.code).toBe(2)
  })

  it('reports a full disk on stdout in one line instead of a stack trace', async () => {
    const full = openSync('/dev/full', 'w')
    try {
      const r = await run(BUILT_CLI, ['catalog', '--json'], ['ignore', full, 'pipe'])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/^hyperlab: cannot write the output: .*ENOSPC.*\n$/)
    } finally {
      closeSync(full)
    }
  })

  it('browser mode, whose address nobody can read any more, stops quietly with 0', async () => {
    const r = await withClosedPipe(BUILT_SERVER, ['--port', '0', '--no-open', '--print-json'], 'stdout')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })
})
