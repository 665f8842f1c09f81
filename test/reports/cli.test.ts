/** `hyperlab report`: a file is run first, a stored run is named by its id prefix, bad options are refused by name. */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resultExportSchema } from '../../src/shared/report'
import { BUILT_CLI, requireBuild, ROOT, tempDir } from '../fixtures'

const dir = tempDir('hyperlab-report-cli-')
beforeAll(requireBuild)
afterAll(dir.remove)

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BUILT_CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HYPERLAB_DATA_DIR: dir.path } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('hyperlab report', () => {
  it('runs an experiment file first, then writes its report; a stored run is named by its first characters', () => {
    const html = join(dir.path, 'report.html')
    const first = cli('report', 'resources/examples/esx35-vs-native.yaml', '--format', 'html', '--out', html, '--seed', '3')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toMatch(/saved as run ([0-9a-f-]{36})/)
    const runId = first.stderr.match(/saved as run ([0-9a-f-]{36})/)![1]!
    expect(first.stderr).toContain(`${html}: HTML report of run ${runId}`)
    expect(readFileSync(html, 'utf8')).toContain('<h1>One VM alone on ESX 3.5 vs native</h1>')

    const json = join(dir.path, 'run.json')
    const again = cli('report', runId.slice(0, 8), '--format', 'json', '--out', json)
    expect(again.code, again.stderr).toBe(0)
    const doc = resultExportSchema.parse(JSON.parse(readFileSync(json, 'utf8')))
    expect(doc).toMatchObject({ run_id: runId, seed: 3 })

    const csv = cli('report', runId.slice(0, 8), '--compare', 'resources/examples/esx35-vs-native.yaml', '--format', 'csv', '--table', 'deltas', '--out', '-', '--seed', '4')
    expect(csv.code, csv.stderr).toBe(0)
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^reference_arm,arm,vm,metric/)
    const samples = cli('report', runId.slice(0, 8), '--format', 'csv', '--series', 'cpu_pct,disk_iops', '--out', '-')
    expect(samples.code, samples.stderr).toBe(0)
    expect(samples.stdout.split('\r\n')[0]).toBe('run_id,arm,t_ms,vm,disk_iops,cpu_pct')
  })

  it('refuses bad options by name, with exit code 2, and writes nothing', () => {
    const out = join(dir.path, 'never.html')
    const format = cli('report', 'x', '--format', 'docx', '--out', out)
    expect(format.code).toBe(2)
    expect(format.stderr).toMatch(/--format <format>.*a format is one of html, pdf, csv, json/)
    const series = cli('report', 'x', '--format', 'csv', '--series', 'speed', '--out', out)
    expect(series.code).toBe(2)
    expect(series.stderr).toMatch(/unknown series "speed"/)
    const missing = cli('report', 'nosuchrun', '--format', 'html', '--out', out)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/"nosuchrun" is neither a file nor a stored run/)
    const table = cli('report', 'x', '--format', 'html', '--table', 'samples', '--out', out)
    expect(table.code).toBe(2)
    expect(table.stderr).toMatch(/--table and --series apply to --format csv only/)
    expect(existsSync(out)).toBe(false)
  })
})
