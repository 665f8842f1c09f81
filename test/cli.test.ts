import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runResultSchema } from '../src/shared/result'
import { validationReportSchema } from '../src/shared/validation'
import { cases } from '../src/main/validation/cases'
import { BUILT_CLI, requireBuild, ROOT, tempDir } from './fixtures'

const dir = tempDir()
beforeAll(requireBuild)
afterAll(dir.remove)

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BUILT_CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, HYPERLAB_DATA_DIR: dir.path }
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('hyperlab CLI', () => {
  it('lists its commands', () => {
    const { code, stdout } = cli('--help')
    expect(code).toBe(0)
    for (const c of ['run', 'explain', 'validate', 'validation', 'catalog', 'runs']) expect(stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'))
    expect(stdout).toMatch(/--version/)
  })

  it('runs the published cases and reports each with its group, band and value', () => {
    const { code, stdout, stderr } = cli('validation', '--json')
    expect(code, stderr).toBe(0)
    const report = validationReportSchema.parse(JSON.parse(stdout))
    expect(report.cases.map((c) => c.id)).toEqual(cases.map((c) => c.id))
    expect(report.cases.some((c) => c.group === 'fitted' && c.fitted_inputs.length > 0)).toBe(true)
    expect(report.cases.some((c) => c.group === 'validation')).toBe(true)
    for (const c of report.cases) expect(c.within || c.note !== null, c.id).toBe(true)
    const text = cli('validation')
    expect(text.stdout).toMatch(/^Fitted cases \(\d+ of \d+ in band\)/m)
    expect(text.stdout).toMatch(/^Validation cases \(\d+ of \d+ in band\)/m)
  }, 120_000)

  it('prints what each timeline event did: a refused migration with its reason, and a migration\'s rounds and downtime', () => {
    const { code, stdout, stderr } = cli('run', 'resources/examples/passthrough-vs-vmxnet3-mobility.yaml')
    expect(code, stderr).toBe(0)
    expect(stdout).toMatch(/^Timeline$/m)
    expect(stdout).toMatch(/15 s {2}migrate +refused: NIC 0 is a pass-through device \(VMDirectPath I\/O\)/)
    expect(stdout).toMatch(/15 s {2}migrate +moved from "esx1" to "esx2" in [\d.]+ s: \d+ pre-copy rounds?, \d+ MB sent, [\d.]+ ms paused/)
    expect(stdout).toMatch(/^migration +from +to +rounds +MB sent +total s +downtime ms/m)
    expect(stdout).toMatch(/^mobile at 15 s +esx1 +esx2 +\d+/m)
  }, 120_000)

  it('prints its version', () => {
    const { code, stdout } = cli('--version')
    expect(code).toBe(0)
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('runs an example and prints a hyperlab/result@1 document, storing the run', () => {
    const { code, stdout, stderr } = cli('run', 'resources/examples/esx35-vs-native.yaml', '--json', '--seed', '5')
    expect(code, stderr).toBe(0)
    const result = runResultSchema.parse(JSON.parse(stdout))
    expect(result.seed).toBe(5)
    expect(Object.keys(result.vms)).toEqual(['build1'])
    expect(result.vms.build1?.overhead_pct).not.toBeNull()
    const list = cli('runs', 'list', '--json')
    const stored = JSON.parse(list.stdout)[0]
    expect(stored).toMatchObject({ status: 'done', seed: 5, checksum: result.checksum })
    const verify = cli('runs', 'verify', stored.id.slice(0, 8))
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.stdout).toContain(`reproduced exactly, checksum ${result.checksum}`)
  })

  it('explains each VM: mechanisms with count per operation, cost each, share and source', () => {
    const { code, stdout, stderr } = cli('explain', 'resources/examples/four-vms-one-disk.yaml', '--vm', 'vm2')
    expect(code, stderr).toBe(0)
    expect(stdout).toMatch(/^vm2 on h1 /)
    expect(stdout).not.toMatch(/^vm1 /m)
    expect(stdout).toMatch(/pts virtualization tax \+ [\d.]+ pts contention/)
    expect(stdout).toMatch(/^mechanism\s+category\s+per op\s+each\s+exits\s+share %\s+source/m)
    expect(stdout).toMatch(/waiting for disk h1\/d0\s+queueing\s+.*measured in the simulation/)
    const json = cli('explain', 'resources/examples/esx35-vs-native.yaml', '--json')
    expect(json.code, json.stderr).toBe(0)
    const doc = JSON.parse(json.stdout)
    const items = doc.vms.build1.explain as { category: string; share_pct: number; source: string }[]
    expect(items.some((e) => e.category === 'vm_exits' && /Adams & Agesen/.test(e.source))).toBe(true)
    expect(items.reduce((s, e) => s + e.share_pct, 0)).toBeCloseTo(100, 0)
  })

  it('explain refuses a VM the file does not have, naming the ones it has', () => {
    const { code, stderr } = cli('explain', 'resources/examples/esx35-vs-native.yaml', '--vm', 'nope')
    expect(code).toBe(2)
    expect(stderr).toContain('--vm: VM "nope" is not in resources/examples/esx35-vs-native.yaml (VMs: build1)')
  })

  it('refuses a bad file with exit code 2 and the field path', () => {
    const bad = join(dir.path, 'bad.yaml')
    writeFileSync(
      bad,
      'format: hyperlab/experiment@1\nname: bad\nduration_s: 10\nhosts: [{ id: h1, cpu: nehalem-x5570, hypervisor: esx-4.0 }]\nvms: [{ id: a, host: h2, workload: oltp }]\n'
    )
    for (const cmd of ['validate', 'run']) {
      const { code, stderr } = cli(cmd, bad)
      expect(code).toBe(2)
      expect(stderr).toContain('bad.yaml: vms[0] (a).host: host "h2" does not exist')
      expect(stderr).not.toMatch(/at .+\.js:\d+/) // no stack trace
    }
  })

  it('refuses a missing file and a bad option with exit code 2', () => {
    expect(cli('validate', join(dir.path, 'nope.yaml'))).toMatchObject({ code: 2 })
    expect(cli('run', 'resources/examples/esx35-vs-native.yaml', '--seed', '-4')).toMatchObject({ code: 2 })
    expect(cli('catalog', 'gpus')).toMatchObject({ code: 2 })
  })

  it('shows each catalog section', () => {
    const { code, stdout } = cli('catalog', 'cpus')
    expect(code).toBe(0)
    expect(stdout).toContain('nehalem-x5570')
    const json = JSON.parse(cli('catalog', '--json').stdout) as Record<string, unknown[]>
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['cpus', 'hypervisors', 'devices', 'disks', 'workloads', 'storage']))
  })

  it('lists the storage section: RAID levels, fabrics and the array controller, with sources in JSON', () => {
    const { code, stdout } = cli('catalog', 'storage')
    expect(code).toBe(0)
    for (const id of ['raid5', 'raid10', 'fc-4', 'fc-8', 'iscsi-10g', 'midrange']) expect(stdout).toMatch(new RegExp(`^${id}\\s`, 'm'))
    const json = JSON.parse(cli('catalog', 'storage', '--json').stdout) as { storage: { id: string; sources: Record<string, string> }[] }
    const fc4 = json.storage.find((e) => e.id === 'fc-4')!
    expect(fc4).toMatchObject({ kind: 'fabric', protocol: 'fc', hopNs: 500 })
    expect(fc4.sources.hopNs).toMatch(/McDATA/)
  })

  it('shows which techniques auto picks per hypervisor and CPU', () => {
    const { code, stdout } = cli('catalog', 'defaults')
    expect(code).toBe(0)
    const unmodified = stdout.split('paravirtualized guest')[0]!
    // ESX 3.5 used AMD's RVI but not Intel's EPT; ESX 4.0 uses both.
    const esx35 = unmodified.split('\n').find((l) => l.startsWith('esx-3.5'))!.trim().split(/\s{2,}/)
    const header = unmodified.split('\n')[1]!.trim().split(/\s{2,}/)
    expect(esx35[header.indexOf('opteron-barcelona')]).toBe('hw + nested')
    expect(esx35[header.indexOf('nehalem-x5570')]).toBe('bt + shadow')
    const json = JSON.parse(cli('catalog', 'defaults', '--json').stdout) as { defaults: { id: string; paravirtualized: Record<string, string> }[] }
    expect(json.defaults.find((d) => d.id === 'xen-3.0')!.paravirtualized['core2-penryn']).toBe('pv + direct')
  })
})
