/**
 * Playing back a stored run through its handlers, without simulating: the
 * events in time order, series over a range decimated to a chart's width,
 * the summary at a moment (equal to the engine's own at the end, where the
 * contract says it is exact), and a re-simulation that says what differs.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../src/main/services/dispatch'
import { differences, seriesRounding, summarizeAt } from '../src/main/services/replay'
import { decodeBlocks, encodeBlock } from '../src/main/store/sampleBlocks'
import type { RunResult } from '../src/shared/result'
import { useBrowserLab } from './browserLab'

const browser = useBrowserLab('hyperlab-replay-')

/** A disk kept busy by `load` until it stops at 3 s; `late` starts at 2 s; a migration the engine refuses. */
const BUSY_DISK = `format: hyperlab/experiment@1
name: busy disk
seed: 4
duration_s: 6
warmup_s: 1
sample_ms: 250
baseline: none
hosts:
  - id: h1
    cpu: nehalem-x5570
    hypervisor: kvm
    disks: [{ id: d0, model: custom, servers: 1, service_ms: { dist: exponential, mean: 5 } }]
  - id: h2
    cpu: nehalem-x5570
    hypervisor: kvm
volumes:
  - { id: v0, kind: ext3, on: h1/d0 }
vms:
  - id: load
    host: h1
    disks: [{ model: virtio-blk, on: v0, format: raw }]
    workload: { kind: custom, arrival: { process: closed, clients: 8 }, per_op: { instructions: 1000, disk: [{ kind: read, kb: 4, count: 1 }] } }
  - id: late
    host: h1
    workload: { kind: custom, arrival: { process: closed, clients: 1, think_ms: 1 }, per_op: { instructions: 100000 } }
events:
  - { at_s: 2, do: start, vm: late }
  - { at_s: 3, do: stop, vm: load }
  - { at_s: 4, do: migrate, vm: late, to: h2 }
`

const h = () => browser.lab.services.handlers

async function finishedRun(): Promise<{ id: string; result: RunResult }> {
  const run = await h()['runs:start']({ text: BUSY_DISK })
  const ended = await browser.lab.runner.wait(run.id)
  expect(ended?.status).toBe('done')
  const detail = await h()['runs:get']({ run_id: run.id })
  return { id: run.id, result: detail.result! }
}

let stored: Promise<{ id: string; result: RunResult }> | undefined
const run = () => (stored ??= finishedRun())

describe('replaying a stored run', () => {
  it('lists its notable events in time order, in words, filterable by kind', async () => {
    const { id } = await run()
    const events = await h()['runs:events']({ run_id: id })
    expect(events.map((e) => e.t_ms)).toEqual([...events.map((e) => e.t_ms)].sort((a, b) => a - b))
    expect(events.filter((e) => e.kind === 'vm-started' || e.kind === 'vm-stopped').map((e) => [e.t_ms, e.text])).toEqual([
      [2000, 'VM late started'],
      [3000, 'VM load stopped']
    ])
    const disk = events.filter((e) => e.subject === 'h1/d0').map((e) => e.kind)
    expect(disk).toEqual(['queue-saturated', 'queue-relieved'])
    expect(events.find((e) => e.kind === 'queue-saturated')!.text).toMatch(/^h1\/d0 saturated \(\d+(\.\d)? % busy\)$/)
    const refused = await h()['runs:events']({ run_id: id, kinds: ['refused'] })
    expect(refused).toEqual([
      { t_ms: 4000, kind: 'refused', subject: 'migrate late h2', value: null, text: 'migrate late h2 refused: host "h1" has no NIC for the migration network' }
    ])
  })

  it('gives its samples over a range as aligned series, decimated to the width asked', async () => {
    const { id } = await run()
    const all = await h()['runs:samples']({ run_id: id })
    expect(all.bucket_ms).toBeNull()
    expect(all.window_ms).toBe(250)
    expect(all.t_ms).toHaveLength(24)
    expect(all.vms.map((v) => v.vm)).toEqual(['load', 'late'])
    for (const v of all.vms) expect(v.throughput_ops_s).toHaveLength(24)
    // After the stop, `load` completes nothing.
    expect(all.vms[0]!.throughput_ops_s.at(-1)).toBe(0)
    // The measures recorded since sample format 2 come along, equal to the samples' own.
    const raw = (await h()['runs:get']({ run_id: id })).samples.filter((s) => s.vm === 'load')
    expect(all.vms[0]!.disk_mb_s).toHaveLength(24)
    all.vms[0]!.disk_mb_s!.forEach((v, i) => expect(v).toBeCloseTo(raw[i]!.disk_mb_s!, 4))
    all.vms[0]!.cpu_hypervisor_pct!.forEach((v, i) => expect(v).toBeCloseTo(raw[i]!.cpu_hypervisor_pct!, 4))
    expect(all.vms[0]!.disk_mb_s!.some((v) => v! > 0)).toBe(true)

    const range = await h()['runs:samples']({ run_id: id, from_ms: 1000, to_ms: 2000, vms: ['late'] })
    expect(range.t_ms).toEqual([1000, 1250, 1500, 1750, 2000])
    expect(range.vms.map((v) => v.vm)).toEqual(['late'])

    const narrow = await h()['runs:samples']({ run_id: id, max_points: 5 })
    expect(narrow.bucket_ms).toBe(1250)
    expect(narrow.t_ms).toEqual([1250, 2500, 3750, 5000, 6000])
    // A bucket's throughput is the mean of its windows.
    const windows = all.vms[0]!.throughput_ops_s.slice(0, 5) as number[]
    expect(narrow.vms[0]!.throughput_ops_s[0]).toBeCloseTo(windows.reduce((s, x) => s + x, 0) / 5, 9)

    const backwards = await dispatch(h(), 'runs:samples', { run_id: id, from_ms: 3000, to_ms: 1000 })
    expect(backwards).toMatchObject({ ok: false, error: { code: 'invalid-request', issues: [{ path: 'from_ms' }] } })
  })

  it('sums up the run at a moment: at its end, exactly what the engine’s summary says', async () => {
    const { id, result } = await run()
    const end = await h()['runs:summaryAt']({ run_id: id, t_ms: 6000 })
    expect(end.complete).toBe(true)
    expect(end.period).toEqual({ from_ms: 1000, to_ms: 6000, windows: 20 })
    for (const vm of ['load', 'late']) {
      const stored = result.vms[vm]!
      const replayed = end.vms[vm]!
      expect(replayed.ops).toBe(stored.ops)
      expect(replayed.throughput_ops_s).toBeCloseTo(stored.throughput_ops_s, 2)
      expect(replayed.latency_mean_ms! / stored.latency_ms.mean!).toBeCloseTo(1, 5)
      expect(replayed.latency_p99_max_ms!).toBeGreaterThanOrEqual(stored.latency_ms.p99! * 0.95)
      // The windows' CPU split and disk MB/s, time-weighted, are the summary's.
      expect(replayed.cpu_guest_pct!).toBeCloseTo(stored.cpu.guest_pct, 1)
      expect(replayed.cpu_hypervisor_pct!).toBeCloseTo(stored.cpu.hypervisor_pct, 1)
      expect(replayed.disk_mb_s!).toBeCloseTo(stored.disk.mb_s, 2)
      expect(replayed.net_gbps).toBe(0)
    }
    expect(result.vms.load!.disk.mb_s).toBeGreaterThan(0.1)
    const mid = await h()['runs:summaryAt']({ run_id: id, t_ms: 2100 })
    expect(mid.complete).toBe(false)
    expect(mid.period).toEqual({ from_ms: 1000, to_ms: 2000, windows: 4 })
    expect(mid.events.map((e) => e.kind)).toContain('vm-started')
    expect(mid.events.map((e) => e.kind)).not.toContain('vm-stopped')
    expect(mid.vms.late!.ops).toBeLessThan(end.vms.late!.ops)
  })

  it('leaves out of the moment what a run stored before it was sampled does not have', () => {
    const windows = [500, 1000, 1500].map((t) => ({ t_ms: t, vm: 'a', throughput_ops_s: 10, latency_mean_ms: 1, latency_p99_ms: 2, disk_iops: 4, cpu_pct: 30 }))
    const old = summarizeAt('r', decodeBlocks([encodeBlock(windows)]), 0, 1500)
    expect(old.vms.a).toEqual({ ops: 15, throughput_ops_s: 10, latency_mean_ms: 1, latency_p99_max_ms: 2, disk_iops: 4, cpu_pct: 30 })
    const split = windows.map((w, i) => ({ ...w, cpu_guest_pct: 20, cpu_hypervisor_pct: 10, disk_mb_s: i + 1, net_gbps: 0.5 }))
    const now = summarizeAt('r', decodeBlocks([encodeBlock(split)]), 0, 1500)
    expect(now.vms.a).toMatchObject({ cpu_guest_pct: 20, cpu_hypervisor_pct: 10, disk_mb_s: 2, net_gbps: 0.5 })
  })

  it("gives a SAN run's array samples on the VMs' axis, every window or in the same buckets", async () => {
    const text = readFileSync(join(__dirname, '..', 'resources', 'examples', 'san-lun-fc.yaml'), 'utf8').replace(/^duration_s: .*$/m, 'duration_s: 10')
    const started = await h()['runs:start']({ text })
    expect((await browser.lab.runner.wait(started.id))?.status).toBe('done')
    for (const max_points of [1000, 4]) {
      const s = await h()['runs:samples']({ run_id: started.id, max_points })
      expect(s.arrays.map((a) => a.array)).toEqual(['eva'])
      const eva = s.arrays[0]!
      expect(s.t_ms.length).toBe(max_points === 4 ? 4 : 20)
      for (const col of [eva.utilization_pct, eva.queue_depth, eva.iops]) {
        expect(col).toHaveLength(s.t_ms.length)
        expect(col.every((v) => v !== null && v >= 0)).toBe(true)
      }
      expect(Math.max(...(eva.utilization_pct as number[]))).toBeGreaterThan(0)
    }
    const got = await h()['runs:get']({ run_id: started.id })
    expect(got.array_samples).toHaveLength(20)
  })

  it('re-simulates: reproduced exactly, with the versions that made and checked it', async () => {
    const { id } = await run()
    const v = await h()['runs:verify']({ run_id: id })
    expect(v).toMatchObject({ identical: true, differences: [], differences_total: 0, stored_app_version: browser.lab.version, app_version: browser.lab.version })
  })

  it('says what differs when a stored run does not reproduce', async () => {
    const { id, result } = await run()
    // A run as an older engine might have stored it: another checksum and another throughput.
    const tampered = { ...result, checksum: 'feedfacefeedface', vms: { ...result.vms, load: { ...result.vms.load!, throughput_ops_s: 1 } } }
    const raw = new Database(browser.dbPath)
    raw.prepare('UPDATE runs SET result_json = ?, checksum = ?, app_version = ? WHERE id = ?').run(JSON.stringify(tampered), tampered.checksum, '0.0.9', id)
    raw.close()
    try {
      const v = await h()['runs:verify']({ run_id: id })
      expect(v).toMatchObject({ identical: false, stored_checksum: 'feedfacefeedface', recomputed_checksum: result.checksum, stored_app_version: '0.0.9', differences_total: 2 })
      expect(v.differences).toEqual([
        { path: 'checksum', stored: 'feedfacefeedface', recomputed: result.checksum, delta_pct: null },
        { path: 'vms.load.throughput_ops_s', stored: 1, recomputed: result.vms.load!.throughput_ops_s, delta_pct: 100 * (result.vms.load!.throughput_ops_s - 1) }
      ])
    } finally {
      const fix = new Database(browser.dbPath)
      fix.prepare('UPDATE runs SET result_json = ?, checksum = ?, app_version = ? WHERE id = ?').run(JSON.stringify(result), result.checksum, browser.lab.version, id)
      fix.close()
    }
  })

  it('rounds a series to 6 significant digits of its largest value, leaving short decimals', () => {
    const round = seriesRounding([1000, 123.456789, 0.000123, -5])
    expect([123.456789, 0.000123, 1000, -5.0004].map(round)).toEqual([123.46, 0, 1000, -5])
    const large = seriesRounding([12_345_678.9])
    expect(large(12_345_678.9)).toBe(12_345_700)
    expect(seriesRounding([0, 0])(0)).toBe(0)
  })

  it('says which figures differ, by path, with the relative change', () => {
    const a = { checksum: 'x', sim: { wall_ms: 5, events: 10 }, vms: { db1: { throughput_ops_s: 100, latency_ms: { p99: null } } } } as unknown as RunResult
    const b = { checksum: 'y', sim: { wall_ms: 9, events: 10 }, vms: { db1: { throughput_ops_s: 90, latency_ms: { p99: 3 } } } } as unknown as RunResult
    expect(differences(a, b)).toEqual({
      total: 3,
      list: [
        { path: 'checksum', stored: 'x', recomputed: 'y', delta_pct: null },
        { path: 'vms.db1.throughput_ops_s', stored: 100, recomputed: 90, delta_pct: -10 },
        { path: 'vms.db1.latency_ms.p99', stored: null, recomputed: 3, delta_pct: null }
      ]
    })
  })

  it('marks a pause and a resume on the run’s timeline', async () => {
    const long = BUSY_DISK.replace('duration_s: 6', 'duration_s: 3000').replace(/events:[\s\S]*$/, '')
    const started = await h()['runs:start']({ text: long })
    // Wait for a first batch, so the pause falls somewhere in simulated time.
    await new Promise<void>((resolve) => {
      const off = browser.lab.runner.subscribe((e) => {
        if (e.type === 'progress' && e.runId === started.id && e.simulatedS > 0) {
          off()
          resolve()
        }
      })
    })
    await h()['runs:pause']({ run_id: started.id })
    await h()['runs:resume']({ run_id: started.id })
    await h()['runs:cancel']({ run_id: started.id })
    const marks = await h()['runs:events']({ run_id: started.id, kinds: ['paused', 'resumed'] })
    expect(marks.map((e) => [e.kind, e.text])).toEqual([
      ['paused', 'run paused'],
      ['resumed', 'run resumed']
    ])
    expect(marks[0]!.t_ms).toBeGreaterThan(0)
    expect(marks[1]!.t_ms).toBeGreaterThanOrEqual(marks[0]!.t_ms)
  })
})
