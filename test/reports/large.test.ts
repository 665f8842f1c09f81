/**
 * A report of the 64-VM datacenter stays readable: VMs grouped by host in
 * every table, time charts one per host, per-VM bar charts cut at whole
 * hosts, the mechanisms compact in an appendix. The summary is made up here
 * (the layout is under test, not the engine), so no simulation runs.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ReportData } from '../../src/main/reports/data'
import { runReportHtml } from '../../src/main/reports/html/runReport'
import { SRC } from '../../src/shared/catalog/sources'
import { parseExperimentText } from '../../src/shared/experiment'
import type { RunResult, Sample, VmResult } from '../../src/shared/result'
import { ROOT } from '../fixtures'
import { tableRows } from './helpers'

function vmResult(i: number): VmResult {
  const tp = 100 + i
  return {
    throughput_ops_s: tp,
    ops: tp * 55,
    latency_ms: { mean: 10, p50: 8, p95: 20, p99: 30 },
    disk: { iops: 50, mb_s: 0.4, latency_ms: { mean: 5, p99: 12 } },
    net: { gbps: 0.01, pps: 900 },
    cpu: { guest_pct: 40, hypervisor_pct: 4, ready_pct: 1 },
    techniques: { cpu: 'hw', mmu: 'nested' },
    native_throughput_ops_s: tp * 1.1,
    overhead_pct: 9.09,
    overhead_split_pct: { virtualization: 6, contention: 3.09 },
    breakdown_pct: { guest: 70, vm_exits: 5, page_walks: 5, device_emulation: 5, hypervisor_io: 5, device_service: 5, queueing: 5 },
    exits_per_op: 3,
    explain: [
      { mechanism: 'guest instructions', category: 'guest', per_op: 1e6, cost_us: 0.0003, exits: 0, share_pct: 70, source: 'estimate: a made-up demand' },
      { mechanism: 'hidden page faults', category: 'vm_exits', per_op: 2, cost_us: 3, exits: 1, share_pct: 4.8, source: `${SRC.adamsAgesen}: 3,927` },
      { mechanism: 'a sliver', category: 'vm_exits', per_op: 1, cost_us: 0.1, exits: 1, share_pct: 0.2, source: SRC.bugnion },
      { mechanism: 'waiting at eva', category: 'queueing', per_op: 1, cost_us: 500, exits: 0, share_pct: 25, source: 'measured in the simulation' }
    ]
  }
}

function datacenter(): ReportData {
  const text = readFileSync(join(ROOT, 'resources', 'examples', 'datacenter-64.yaml'), 'utf8')
  const parsed = parseExperimentText(text)
  if (!parsed.ok) throw new Error('the datacenter scenario does not parse')
  const exp = parsed.experiment
  const vms = Object.fromEntries(exp.vms.map((v, i) => [v.id, vmResult(i)]))
  const result: RunResult = {
    format: 'hyperlab/result@1',
    experiment: exp.name,
    seed: exp.seed,
    checksum: '0123456789abcdef',
    sim: { events: 7_000_000, wall_ms: 17_000, simulated_s: 60 },
    vms,
    hosts: Object.fromEntries(exp.hosts.map((h) => [h.id, { cpu_pct: 30, hypervisor_pct: 1 }])),
    disks: {},
    arrays: { eva: { iops: 6000, utilization_pct: 96, queue_depth: 190 } },
    events: []
  }
  const samples: Sample[] = []
  for (let t = 1000; t <= 60_000; t += 1000) {
    for (const v of exp.vms) samples.push({ t_ms: t, vm: v.id, throughput_ops_s: 100, latency_mean_ms: 10, latency_p99_ms: 30, disk_iops: 50, cpu_pct: 45 })
  }
  return {
    runs: [
      {
        record: {
          id: 'dc-run',
          experiment_id: 'e',
          experiment_name: exp.name,
          status: 'done',
          seed: exp.seed,
          duration_s: 60,
          created_at: '2026-12-01T00:00:00.000Z',
          ended_at: '2026-12-01T00:00:17.000Z',
          wall_ms: 17_000,
          progress: 1,
          checksum: result.checksum,
          error: null,
          version: 1,
          app_version: '0.1.0'
        },
        experimentText: text,
        experiment: exp,
        result,
        chartSamples: samples,
        bucketMs: null,
        arm: null
      }
    ],
    comparison: null,
    version: '9.9.9',
    generatedAt: '2026-12-01T00:01:00.000Z'
  }
}

describe('a report of the 64-VM datacenter', () => {
  const html = runReportHtml(datacenter(), 'print')

  it('groups the VMs by host in its tables, in the experiment’s order', () => {
    const results = html.match(/<table class="results" data-table="vms">[\s\S]*?<\/table>/)![0]
    const groups = [...results.matchAll(/<th class="group" colspan="14">(h\d) — ([^<]*)<\/th>/g)].map((m) => m[1])
    expect(groups).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8'])
    const rows = tableRows(html, 'vms').map((r) => r.attrs.vm!)
    expect(rows).toHaveLength(64)
    expect(rows.slice(0, 8).every((id) => id.startsWith('h1-'))).toBe(true)
    expect(rows.slice(56).every((id) => id.startsWith('h8-'))).toBe(true)
    // The VMs' configuration is a table too (64 sentences would not read).
    expect(tableRows(html, 'vm-config')).toHaveLength(64)
  })

  it('draws one time chart per host and cuts per-VM bar charts at whole hosts', () => {
    const labels = [...html.matchAll(/<svg role="img" aria-label="([^"]*)"/g)].map((m) => m[1]!)
    expect(labels.filter((l) => l.startsWith('Throughput over simulated time, host '))).toHaveLength(8)
    expect(labels.filter((l) => l.startsWith('Latency over simulated time, host '))).toHaveLength(8)
    const cpu = [...html.matchAll(/<b>CPU split<\/b>[^<]*\((\d) of (\d): (h\d)-\w+ … (h\d)-\w+\)/g)].map((m) => [m[3], m[4]])
    expect(cpu).toEqual([
      ['h1', 'h3'],
      ['h4', 'h6'],
      ['h7', 'h8']
    ])
    const topology = html.match(/<svg role="img" aria-label="Topology[\s\S]*?<\/svg>/)![0]
    for (const v of datacenter().runs[0]!.experiment.vms) expect(topology).toContain(`>${v.id}  `)
  })

  it('keeps the mechanisms in an appendix, per host, the small ones gathered', () => {
    const appendix = html.slice(html.indexOf('<h2 id="mechanisms">'))
    expect(appendix.length).toBeGreaterThan(0)
    expect([...appendix.matchAll(/<h3>(h\d) — /g)].map((m) => m[1])).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8'])
    expect(appendix.match(/data-table="mechanisms"/g)).toHaveLength(64)
    expect(appendix.match(/1 smaller mechanism, each under 0.5 %/g)).toHaveLength(64)
    expect(appendix).not.toContain('a sliver')
    // A gathered mechanism cites nothing: only the shown one's source is a reference.
    expect([...html.matchAll(/<li id="ref-(\d+)"/g)]).toHaveLength(1)
  })
})
