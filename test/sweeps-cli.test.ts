/** The CLI's sweep commands on this machine: output keys, exit codes, and what they refuse. */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUILT_CLI, requireBuild, ROOT, sweepExperimentYaml, tempDir } from './fixtures'

const dir = tempDir()
beforeAll(requireBuild)
afterAll(dir.remove)

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BUILT_CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HYPERLAB_DATA_DIR: dir.path } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('hyperlab sweep', () => {
  const file = join(dir.path, 'sweep.yaml')
  beforeAll(() => writeFileSync(file, sweepExperimentYaml({ durationS: 2, clients: [1, 8], replications: 2 })))

  it('runs a sweep here and prints hyperlab/sweep@1: points, runs, seeds, and per VM the mean with its 95 % interval', () => {
    const { code, stdout, stderr } = cli('sweep', file, '--json', '--workers', '2')
    expect(code, stderr).toBe(0)
    const out = JSON.parse(stdout)
    expect(Object.keys(out)).toEqual([
      'format', 'sweep_id', 'experiment', 'status', 'mode', 'seed', 'replications', 'seeds', 'common_random_numbers',
      'confidence', 'parameters', 'runs_total', 'runs_done', 'runs_failed', 'points'
    ])
    expect(out).toMatchObject({ format: 'hyperlab/sweep@1', status: 'done', mode: 'local', seed: 7, replications: 2, common_random_numbers: true, confidence: 0.95, runs_done: 4 })
    expect(out.points[1]).toMatchObject({ point: 2, label: 'clients=8', values: { 'vms[db1].workload.arrival.clients': 8 } })
    expect(out.points[1].runs.map((r: { seed: number }) => r.seed)).toEqual(out.seeds)
    const t = out.points[1].vms.db1.throughput_ops_s
    expect(t.n).toBe(2)
    expect(t.ci95[0]).toBeLessThanOrEqual(t.mean)
    expect(t.ci95[1]).toBeGreaterThanOrEqual(t.mean)
    expect(stderr).toMatch(/4\/4 runs done/)

    const list = cli('sweeps', 'list', '--json')
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ id: out.sweep_id, status: 'done', runs_done: 4, runs_total: 4 })
    const show = cli('sweeps', 'show', out.sweep_id.slice(0, 8))
    expect(show.code, show.stderr).toBe(0)
    expect(show.stdout).toMatch(/Common random numbers: replication r uses the same seed at every point/)
    expect(show.stdout).toMatch(/^clients=8\s+2\s+[\d.,]+ ± [\d.,]+/m)
    const runs = JSON.parse(cli('runs', 'list', '--json').stdout) as { experiment_name: string }[]
    expect(runs.filter((r) => r.experiment_name === 'clients sweep [clients=8]')).toHaveLength(2)
    const cancel = cli('sweeps', 'cancel', out.sweep_id)
    expect(cancel.code).toBe(2)
    expect(cancel.stderr).toMatch(/is done: nothing to cancel/)
  })

  it('refuses a sweep as one run, a plain file as a sweep, and a bad Redis URL, as bad input', () => {
    const run = cli('run', file)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/has a sweep block \(2 points × 2 replications\): run it with `hyperlab sweep/)
    expect(cli('validate', file).stdout).toMatch(/valid — "clients sweep".*a sweep of 2 point\(s\) × 2 replication\(s\)/)
    const plain = join(dir.path, 'plain.yaml')
    writeFileSync(plain, sweepExperimentYaml().split('sweep:')[0]!)
    const sweep = cli('sweep', plain)
    expect(sweep.code).toBe(2)
    expect(sweep.stderr).toMatch(/has no sweep block, so it is one run/)
    const bad = cli('sweep', file, '--redis', 'http://example.invalid')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/is not a redis:\/\/ or rediss:\/\/ URL/)
    const worker = cli('worker')
    expect(worker.code).toBe(2)
    expect(worker.stderr).toMatch(/--redis/)
    const invalid = join(dir.path, 'invalid.yaml')
    writeFileSync(invalid, sweepExperimentYaml().replace('vms[db1].workload', 'vms[db9].workload'))
    const refused = cli('sweep', invalid)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/sweep\.parameters\[0\]\.path: "vms\[db9\]\.workload\.arrival\.clients" matches nothing: vms has no item with id "db9"/)
  })

  it('says plainly when Redis cannot be reached', () => {
    const { code, stderr } = cli('sweep', file, '--redis', 'redis://127.0.0.1:1')
    expect(code).toBe(1)
    expect(stderr).toMatch(/cannot use Redis at redis:\/\/127\.0\.0\.1:1/)
  })
})
