/**
 * The lab notebook on the command line, through the built CLI: runs shown,
 * exported, compared and deleted; experiments listed by tag and status,
 * shown with their versions, exported and imported. Bad input exits 2 naming
 * the option or the name that could not be used; output to a closed pipe
 * ends quietly.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, constants, openSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { Store } from '../src/main/store/store'
import { BUILT_CLI, requireBuild, ROOT, tempDir } from './fixtures'
import { baseExperiment, toYaml } from './helpers'

const dir = tempDir('hyperlab-clinb-')
const db = join(dir.path, 'lab.db')

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BUILT_CLI, ...args, '--db', db], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HYPERLAB_DATA_DIR: dir.path } })
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) }
}

function file(name: string, hypervisor: string): string {
  const e = baseExperiment()
  e.name = name
  e.duration_s = 2
  e.hosts[0]!.hypervisor = hypervisor
  const path = join(dir.path, `${name.replace(/\W+/g, '-')}.yaml`)
  writeFileSync(path, toYaml(e))
  return path
}

/** Run ids as `runs list --json` gives them, newest first. */
const runIds = (): string[] => (JSON.parse(cli('runs', 'list', '--json').stdout) as { id: string }[]).map((r) => r.id)

let a: string
let b: string
beforeAll(() => {
  requireBuild()
  expect(cli('run', file('Consolidation A', 'esx-4.0')).code).toBe(0)
  expect(cli('run', file('Consolidation B', 'esx-4.1')).code).toBe(0)
  ;[b, a] = runIds() as [string, string]
})
afterAll(dir.remove)

/** Bad input: exit 2 and one readable message, no stack trace. */
function expectBadInput(r: { code: number | null; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2)
  expect(r.stderr).toMatch(message)
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+/)
}

describe('hyperlab runs show|export|compare|delete', () => {
  it("exports a SAN run with its arrays' samples, each array every window", () => {
    const cluster = parse(readFileSync(join(ROOT, 'resources/examples/hyperv-csv-cluster.yaml'), 'utf8')) as { duration_s: number; warmup_s: number; arrays: { id: string }[] }
    cluster.duration_s = 2
    cluster.warmup_s = 0
    const path = join(dir.path, 'cluster.yaml')
    writeFileSync(path, toYaml(cluster))
    // A database of its own, so that the library the other cases list is left as it is.
    const own = (...args: string[]) => spawnSync(process.execPath, [BUILT_CLI, ...args, '--db', join(dir.path, 'san.db')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HYPERLAB_DATA_DIR: dir.path } })
    expect(own('run', path).status).toBe(0)
    const id = (JSON.parse(own('runs', 'list', '--json').stdout) as { id: string }[])[0]!.id
    const doc = JSON.parse(own('runs', 'export', id).stdout) as { samples: { t_ms: number }[]; array_samples: { t_ms: number; array: string; utilization_pct: number }[] }
    const windows = [...new Set(doc.samples.map((s) => s.t_ms))]
    expect(windows.length).toBeGreaterThan(1)
    expect(doc.array_samples).toHaveLength(windows.length * cluster.arrays.length)
    expect(new Set(doc.array_samples.map((s) => s.array))).toEqual(new Set(cluster.arrays.map((a) => a.id)))
    expect(doc.array_samples.some((s) => s.utilization_pct > 0)).toBe(true)
  })

  it('shows a run by the first characters of its id: record, summary and events', () => {
    const r = cli('runs', 'show', a.slice(0, 8))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`run         ${a}`)
    expect(r.stdout).toMatch(/experiment +Consolidation A \(\w{8}, version 1\)/)
    expect(r.stdout).toMatch(/checksum [0-9a-f]{16}/)
    const json = JSON.parse(cli('runs', 'show', a, '--json').stdout) as { run: { id: string }; result: { vms: object }; events: unknown[] }
    expect(json.run.id).toBe(a)
    expect(Object.keys(json.result.vms)).toEqual(['vm1'])
    expectBadInput(cli('runs', 'show', 'zzzz'), /no run "zzzz"/)
  })

  it('exports a run as JSON or YAML, with or without its samples', () => {
    const json = JSON.parse(cli('runs', 'export', a).stdout) as { format: string; samples: unknown[]; experiment_text: string }
    expect(json.format).toBe('hyperlab/run@1')
    expect(json.samples.length).toBeGreaterThan(0)
    expect(json.experiment_text).toContain('Consolidation A')
    const out = join(dir.path, 'run.yaml')
    expect(cli('runs', 'export', a, '--format', 'yaml', '--no-samples', '--out', out).code).toBe(0)
    const yaml = parse(readFileSync(out, 'utf8')) as Record<string, unknown>
    expect(yaml.format).toBe('hyperlab/run@1')
    expect(yaml).not.toHaveProperty('samples')
    expectBadInput(cli('runs', 'export', a, '--format', 'xml'), /--format.*one of json, yaml/)
  })

  it('compares runs: what changed by id, and per VM the deltas', () => {
    const r = cli('runs', 'compare', a, b)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('hosts[h1].hypervisor: esx-4.0 → esx-4.1')
    expect(r.stdout).toMatch(/vm1 +throughput_ops_s/)
    const json = JSON.parse(cli('runs', 'compare', a, b, '--json').stdout) as { comparisons: { what_changed: unknown[] }[] }
    expect(json.comparisons[0]!.what_changed).toEqual(expect.arrayContaining([{ path: 'hosts[h1].hypervisor', kind: 'changed', from: 'esx-4.0', to: 'esx-4.1' }]))
    expectBadInput(cli('runs', 'compare', a), /at least two runs/)
  })

  it('deletes a run with its samples, checking every name before deleting any', () => {
    expectBadInput(cli('runs', 'delete', b, 'nope'), /no run "nope"/)
    expect(runIds()).toContain(b)
    const r = cli('runs', 'delete', b)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^deleted run ${b} \\(\\d+ samples\\)\\n$`))
    expect(runIds()).not.toContain(b)
    // Purged when the command's store closed: nothing of it is left.
    const store = Store.open(db)
    expect(store.countSamples(b)).toBe(0)
    expect(store.getRun(b)).toBeUndefined()
    store.close()
  })
})

describe('hyperlab experiments list|show|export|import', () => {
  it('lists experiments filtered by tag, hypervisor and status, and refuses a bad filter naming its option', () => {
    const store = Store.open(db)
    const first = store.listExperiments().experiments.find((e) => e.name === 'Consolidation A')!
    store.updateExperiment(first.id, { tags: ['baseline', 'esx'] })
    store.close()
    const byTag = JSON.parse(cli('experiments', 'list', '--tag', 'ESX', '--json').stdout) as { experiments: { name: string }[] }
    expect(byTag.experiments.map((e) => e.name)).toEqual(['Consolidation A'])
    const table = cli('experiments', 'list', '--hypervisor', 'esx-4.1,esx-4.0', '--sort', 'name')
    expect(table.stdout.split('\n').filter((l) => l.includes('Consolidation')).map((l) => /Consolidation \w/.exec(l)![0])).toEqual([
      'Consolidation A',
      'Consolidation B'
    ])
    const never = JSON.parse(cli('experiments', 'list', '--status', 'none', '--json').stdout) as { experiments: { name: string }[] }
    expect(never.experiments.map((e) => e.name)).toEqual(['Consolidation B'])
    expectBadInput(cli('experiments', 'list', '--status', 'finished'), /^--status "finished": a status is one of queued, running, done, failed, cancelled, interrupted, none\n$/)
    expectBadInput(cli('experiments', 'list', '--from', 'last week'), /^--from: a date is YYYY-MM-DD/)
    expectBadInput(cli('experiments', 'list', '--tag', 'x'.repeat(41)), new RegExp(`^--tag "x{41}": a tag is at most 40 characters\n$`))
  })

  it('shows an experiment by name with its versions and runs, a version’s text, and a diff', () => {
    const r = cli('experiments', 'show', 'Consolidation A')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^experiment  Consolidation A\n/)
    expect(r.stdout).toContain('tags        baseline, esx')
    expect(r.stdout).toContain(a.slice(0, 8))
    expect(cli('experiments', 'show', 'Consolidation A', '--version', '1').stdout).toContain('name: Consolidation A')
    expect(cli('experiments', 'show', 'Consolidation A', '--diff', '1..1').stdout).toBe('--- version 1\n+++ version 1\n')
    expectBadInput(cli('experiments', 'show', 'Consolidation A', '--diff', '1-2'), /--diff: give two version numbers as a\.\.b/)
    expectBadInput(cli('experiments', 'show', 'Nobody'), /no experiment "Nobody"/)
  })

  it('exports as stored or as JSON, and imports a file once', () => {
    const stored = cli('experiments', 'export', 'Consolidation A')
    expect(parse(stored.stdout)).toMatchObject({ name: 'Consolidation A' })
    const out = join(dir.path, 'a.json')
    const written = cli('experiments', 'export', 'Consolidation A', '--format', 'json', '--out', out)
    expect(written.stderr).toBe(`${out}: JSON of "Consolidation A"\n`)
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(parse(stored.stdout))
    const path = file('Imported', 'esx-4.0')
    expect(cli('experiments', 'import', path).stdout).toMatch(/: kept as experiment [0-9a-f-]{36} \("Imported"\)\n$/)
    expect(cli('experiments', 'import', path).stdout).toMatch(/: already kept as experiment/)
    const bad = join(dir.path, 'bad.yaml')
    writeFileSync(bad, 'format: hyperlab/experiment@1\nname: x\n')
    expectBadInput(cli('experiments', 'import', bad), /bad\.yaml: duration_s: /)
  })

  it('ends quietly with 0 when its output goes to a closed pipe', async () => {
    const fifo = join(dir.path, 'fifo')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
    const writer = openSync(fifo, constants.O_WRONLY)
    closeSync(reader)
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BUILT_CLI, 'runs', 'export', a, '--db', db], { cwd: ROOT, stdio: ['ignore', writer, 'pipe'] })
      let stderr = ''
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, stderr }))
    })
    closeSync(writer)
    expect(r).toEqual({ code: 0, stderr: '' })
  })
})
