import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import { formatOverheadFigure, headlineText, vmOverhead } from '../../src/shared/overhead'
import type { VmResult } from '../../src/shared/result'
import { experiment } from '../engine/helpers'

/** A VM result with only what the overhead reads; the rest is filler the function must not look at. */
function vm(over: Partial<VmResult>): VmResult {
  return {
    throughput_ops_s: 500,
    ops: 1000,
    latency_ms: { mean: 2, p50: 1, p95: 5, p99: 10 },
    disk: { iops: 0, mb_s: 0, latency_ms: { mean: null, p99: null } },
    net: { gbps: 0, pps: 0 },
    cpu: { guest_pct: 10, hypervisor_pct: 1, ready_pct: 0 },
    techniques: { cpu: 'vtx', mmu: 'ept' },
    native_throughput_ops_s: 501,
    overhead_pct: 0.2,
    breakdown_pct: { guest: 100, vm_exits: 0, page_walks: 0, device_emulation: 0, hypervisor_io: 0, queueing: 0 },
    arrival: 'open',
    cpu_us_per_op: 120,
    noise_pct: { throughput: 1, latency_mean: 2, latency_p99: 6, cpu_per_op: 1 },
    native: { latency_mean_ms: 1, latency_p99_ms: 5, cpu_us_per_op: 100, noise_pct: { throughput: 1, latency_mean: 2, latency_p99: 8, cpu_per_op: 1 } },
    ...over
  }
}

describe('overhead by measure', () => {
  it('heads an open workload with its response time, a closed one with its throughput', () => {
    expect(vmOverhead(vm({ arrival: 'open' })).headline).toBe('latency_mean')
    expect(vmOverhead(vm({ arrival: 'closed' })).headline).toBe('throughput')
    expect(vmOverhead(vm({ arrival: 'open' })).why).toMatch(/offered load/)
  })

  it('compares response time and CPU per operation with native: positive when virtualization makes them larger', () => {
    const o = vmOverhead(vm({}))
    expect(o.figures.latency_mean.pct).toBeCloseTo(100)
    expect(o.figures.latency_p99.pct).toBeCloseTo(100)
    expect(o.figures.cpu_per_op.pct).toBeCloseTo(20)
    expect(headlineText(o)).toBe('mean response time +100.0 %')
  })

  it('shows a value inside the two runs’ combined noise as within noise, never as a bare negative number', () => {
    const o = vmOverhead(vm({ overhead_pct: -1.2 }))
    // √(1² + 1²) ≈ 1.41 % covers −1.2 %.
    expect(o.figures.throughput.within_noise).toBe(true)
    expect(formatOverheadFigure(o.figures.throughput)).toBe('within noise (±1.4 %)')
    const outside = vmOverhead(vm({ overhead_pct: -3 }))
    expect(formatOverheadFigure(outside.figures.throughput)).toBe('−3.0 %')
  })

  it('says nothing without a baseline, and reads runs stored before these figures existed', () => {
    const old = vmOverhead(vm({ native: undefined, noise_pct: undefined, arrival: undefined, cpu_us_per_op: undefined, overhead_pct: 4 }))
    expect(old.headline).toBe('throughput')
    expect(formatOverheadFigure(old.figures.throughput)).toBe('+4.0 %')
    expect(formatOverheadFigure(old.figures.latency_mean)).toBe('—')
  })
})

describe('overhead from the engine', () => {
  // A web server under open Poisson arrivals, fully virtualized with emulated devices (costly per request), against native.
  const run = () =>
    runToEnd(
      experiment({
        duration_s: 12,
        warmup_s: 2,
        sample_ms: 500,
        baseline: 'native',
        hosts: [{ id: 'h1', cpu: 'core2-merom', sockets: 1, hypervisor: 'esx-3.5', disks: [{ id: 'd0', model: 'hdd-7200' }], nics: [{ id: 'n0', gbps: 1 }] }],
        volumes: [{ id: 'ds', kind: 'vmfs', on: 'h1/d0' }],
        vms: [
          {
            id: 'web',
            host: 'h1',
            guest: { os: 'linux' },
            workload: { preset: 'web', arrival: { process: 'poisson', rate_per_s: 3000 } },
            disks: [{ model: 'lsilogic', on: 'ds' }],
            nics: [{ model: 'e1000', uplink: 'n0' }]
          },
          { id: 'calc', host: 'h1', guest: { os: 'linux' }, workload: 'forkwait' }
        ]
      }),
      3
    ).result

  it('measures open arrivals by response time and CPU per operation, their throughput being the offered load', () => {
    const r = run()
    const web = vmOverhead(r.vms.web!)
    expect(r.vms.web!.arrival).toBe('open')
    expect(web.headline).toBe('latency_mean')
    // Throughput is the offered load on both sides: its overhead is lost in the noise.
    expect(web.figures.throughput.within_noise).toBe(true)
    expect(formatOverheadFigure(web.figures.throughput)).toMatch(/^within noise \(±\d+\.\d %\)$/)
    // The emulated NIC and disk cost CPU on every request: CPU per operation carries the cost, above its noise.
    expect(web.figures.cpu_per_op.pct!).toBeGreaterThan(web.figures.cpu_per_op.noise_pct!)
    // Response time is compared with the native baseline's own response time, which the baseline now measures.
    const native = r.vms.web!.native!
    expect(native.latency_mean_ms).toBeGreaterThan(0)
    expect(web.figures.latency_mean.pct).toBeCloseTo(100 * (r.vms.web!.latency_ms.mean! / native.latency_mean_ms! - 1), 6)
    for (const f of Object.values(web.figures)) expect(f.within_noise).toBe(Math.abs(f.pct!) <= f.noise_pct!)
    const calc = vmOverhead(r.vms.calc!)
    expect(r.vms.calc!.arrival).toBe('closed')
    expect(calc.headline).toBe('throughput')
    expect(calc.figures.throughput.pct!).toBeGreaterThan(calc.figures.throughput.noise_pct ?? 0)
  })
})
