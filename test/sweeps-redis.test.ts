/**
 * A sweep through a real Redis: the CLI coordinator enqueues the points, two
 * `hyperlab worker` processes run them, one is killed mid-point, and the
 * coordinator's store ends up with every point and replication exactly once,
 * the killed worker's point run again by the other.
 *
 * Needs a Redis: HYPERLAB_TEST_REDIS_URL (e.g. redis://127.0.0.1:6390/0);
 * `.ci/run` starts one. Without it these tests are skipped with one line,
 * except in CI, where its absence is a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Queue } from 'bullmq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLab } from '../src/main/lab'
import { Store } from '../src/main/store/store'
import { BUILT_CLI, requireBuild, ROOT, sweepExperimentYaml, tempDir } from './fixtures'

const REDIS = process.env.HYPERLAB_TEST_REDIS_URL

if (!REDIS) {
  if (process.env.CI) throw new Error('HYPERLAB_TEST_REDIS_URL is not set: in CI, .ci/run starts Redis for the sweep tests, so it must be there')
  console.warn('sweeps through Redis: skipped — set HYPERLAB_TEST_REDIS_URL (e.g. redis://127.0.0.1:6390/0) to run them')
}

interface Child {
  process: ChildProcess
  lines: string[]
  /** Resolves with the first line (past or future) that matches. */
  waitFor(pattern: RegExp): Promise<string>
  exited: Promise<number | null>
}

function start(args: string[]): Child {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = []
  const take = (line: string): void => {
    lines.push(line)
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (waiting[i]!.pattern.test(line)) waiting.splice(i, 1)[0]!.resolve(line)
    }
  }
  createInterface({ input: child.stderr! }).on('line', take)
  let stdout = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    process: child,
    lines,
    waitFor(pattern) {
      const seen = lines.find((l) => pattern.test(l))
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ pattern, resolve }))
    },
    exited: exited.then((code) => {
      lines.push(`stdout:${stdout}`)
      return code
    })
  }
}

function stdoutOf(child: Child): string {
  return child.lines.find((l) => l.startsWith('stdout:'))?.slice('stdout:'.length) ?? ''
}

describe.skipIf(!REDIS)('sweeps through Redis', () => {
  const dir = tempDir()
  const queue = `hyperlab-test-${randomUUID()}`
  const children: Child[] = []

  beforeAll(requireBuild)
  afterAll(async () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL')
    const q = new Queue(queue, { connection: { url: REDIS! } })
    await q.obliterate({ force: true }).catch(() => undefined)
    await q.close()
    dir.remove()
  })

  it('runs every point exactly once with two workers, one of them killed mid-point', async () => {
    const file = join(dir.path, 'sweep.yaml')
    const db = join(dir.path, 'lab.db')
    writeFileSync(file, sweepExperimentYaml({ durationS: 6, clients: [1, 2, 4, 8], replications: 2, name: 'through redis' }))
    const worker = () => start(['worker', '--redis', REDIS!, '--queue', queue, '--concurrency', '1', '--lost-after', '2'])
    const a = worker()
    const b = worker()
    children.push(a, b)
    await Promise.all([a.waitFor(/listening on queue/), b.waitFor(/listening on queue/)])
    const coordinator = start(['sweep', file, '--redis', REDIS!, '--queue', queue, '--db', db, '--json'])
    children.push(coordinator)

    // Kill worker a while it holds a point: that point must be run again by b.
    const started = await a.waitFor(/point \d+ replication \d+: started/)
    a.process.kill('SIGKILL')
    await a.exited
    const lost = /point (\d+) replication (\d+)/.exec(started)!
    const [point, replication] = [Number(lost[1]), Number(lost[2])]
    expect(a.lines.some((l) => l.includes(`point ${point} replication ${replication}: done`))).toBe(false)

    const code = await coordinator.exited
    expect(code, coordinator.lines.join('\n')).toBe(0)
    expect(b.lines.some((l) => l.includes(`point ${point} replication ${replication}: done`))).toBe(true)

    const report = JSON.parse(stdoutOf(coordinator)) as {
      sweep_id: string
      status: string
      mode: string
      runs_done: number
      points: { point: number; runs: { replication: number; status: string; run_id: string }[] }[]
    }
    expect(report).toMatchObject({ status: 'done', mode: 'distributed', runs_done: 8 })
    expect(report.points.map((p) => p.runs.map((r) => `${r.replication}:${r.status}`))).toEqual(Array(4).fill(['1:done', '2:done']))

    // The store holds each (point, replication) once, as an ordinary finished run with its samples.
    const store = Store.open(db)
    let retried: string
    try {
      const rows = store.sweeps.runs(report.sweep_id)
      expect(rows).toHaveLength(8)
      expect(new Set(rows.map((r) => `${r.point}:${r.replication}`)).size).toBe(8)
      retried = rows.find((r) => r.point === point && r.replication === replication)!.run_id
      expect(store.getRun(retried)?.status).toBe('done')
      expect(store.countSamples(retried)).toBeGreaterThan(0)
    } finally {
      store.close()
    }

    // The retried point reproduces on this machine: same checksum from its stored document and seed.
    const lab = openLab({ mode: 'cli', dbPath: db })
    try {
      expect((await lab.services.handlers['runs:verify']({ run_id: retried })).identical).toBe(true)
    } finally {
      await lab.close()
    }

    // Nothing of the sweep is left in Redis: each job went once its run was stored.
    const q = new Queue(queue, { connection: { url: REDIS! } })
    try {
      const counts = await q.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed')
      expect(counts).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 })
    } finally {
      await q.close()
    }
    b.process.kill('SIGTERM')
    expect(await b.exited).toBe(0)
  })
})
