/**
 * The SAN arrays' sample windows: utilization, mean queue depth and IOPS read
 * from the array's counters. A single-spindle array fed Poisson reads with
 * exponential service is an M/M/1 queue, so its windows must show what
 * queueing theory predicts; over the windows after the warm-up they agree
 * with the summary; they come out the same however the run is split into
 * parts, and they leave the run's checksum as it was.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createSimulation, runToEnd } from '../../src/main/engine'
import { parseExperimentText } from '../../src/shared/experiment'
import type { ArraySample } from '../../src/shared/result'
import { experiment } from './helpers'

/** One VM issuing Poisson 4 KB reads at `rate` per second to a one-spindle array with exponential service of `serviceMs`. */
function mm1(rate: number, serviceMs: number, durationS: number) {
  return experiment({
    duration_s: durationS,
    warmup_s: 20,
    sample_ms: 10_000,
    baseline: 'none',
    hosts: [{ id: 'h1', cpu: 'nehalem-x5570', hypervisor: 'native', hbas: [{ id: 'fc0', kind: 'fc', gbps: 4, queue_depth: 64 }] }],
    arrays: [
      {
        id: 'arr',
        protocol: 'fc',
        disks: { model: 'custom', count: 1, raid: 'raid0', service_ms: { dist: 'exponential', mean: serviceMs } },
        cache: { gb: 0, read_hit: 0, write_back: false },
        luns: [{ id: 'l1', gb: 100 }],
        paths: [{ host: 'h1', via: 'fc0' }]
      }
    ],
    vms: [
      {
        id: 'app',
        host: 'h1',
        vcpus: 2,
        disks: [{ model: 'passthrough', on: 'arr/l1' }],
        workload: {
          kind: 'custom',
          arrival: { process: 'poisson', rate_per_s: rate },
          per_op: { instructions: 0, disk: [{ kind: 'read', kb: 4, count: 1 }] }
        }
      }
    ]
  })
}

function meanAfter(samples: readonly ArraySample[], array: string, warmupMs: number, pick: (s: ArraySample) => number): number {
  const xs = samples.filter((s) => s.array === array && s.t_ms > warmupMs).map(pick)
  expect(xs.length).toBeGreaterThan(0)
  return xs.reduce((a, b) => a + b, 0) / xs.length
}

describe('array sample windows', () => {
  it('M/M/1: utilization ρ = λS, queue depth ρ/(1 − ρ), IOPS λ', () => {
    const lambda = 60
    const serviceMs = 10
    const exp = mm1(lambda, serviceMs, 3000)
    const { arraySamples, samples } = runToEnd(exp, 7)
    // One sample per array per window, at the VMs' window ends.
    expect(arraySamples.map((s) => s.t_ms)).toEqual(samples.map((s) => s.t_ms))
    const rho = (lambda * serviceMs) / 1000
    const warmupMs = exp.warmup_s * 1000
    const util = meanAfter(arraySamples, 'arr', warmupMs, (s) => s.utilization_pct)
    const queue = meanAfter(arraySamples, 'arr', warmupMs, (s) => s.queue_depth)
    const iops = meanAfter(arraySamples, 'arr', warmupMs, (s) => s.iops)
    if (process.env.HYPERLAB_VERBOSE) console.log({ util, queue, iops })
    expect(Math.abs(util / (100 * rho) - 1)).toBeLessThan(0.03)
    expect(Math.abs(queue / (rho / (1 - rho)) - 1)).toBeLessThan(0.06)
    expect(Math.abs(iops / lambda - 1)).toBeLessThan(0.02)
    for (const s of arraySamples) {
      expect(s.utilization_pct).toBeGreaterThanOrEqual(0)
      expect(s.utilization_pct).toBeLessThanOrEqual(100)
      expect(s.queue_depth).toBeGreaterThanOrEqual(0)
    }
  })

  it("an array's windows after the warm-up average to the summary's utilization, queue depth and IOPS", () => {
    const p = parseExperimentText(readFileSync('resources/examples/san-fc-vs-iscsi.yaml', 'utf8'))
    if (!p.ok) throw new Error('the example does not parse')
    const exp = { ...p.experiment, duration_s: 30, baseline: 'none' as const }
    const { arraySamples, result } = runToEnd(exp, exp.seed)
    expect(exp.arrays.length).toBeGreaterThan(1)
    for (const a of exp.arrays) {
      const r = result.arrays[a.id]!
      expect(r.iops).toBeGreaterThan(0)
      const warmupMs = exp.warmup_s * 1000
      expect(meanAfter(arraySamples, a.id, warmupMs, (s) => s.iops) / r.iops).toBeCloseTo(1, 2)
      expect(meanAfter(arraySamples, a.id, warmupMs, (s) => s.queue_depth) / r.queue_depth).toBeCloseTo(1, 2)
      // Busy time is counted as services end, so a window edge shifts a little of it to the next window.
      expect(Math.abs(meanAfter(arraySamples, a.id, warmupMs, (s) => s.utilization_pct) - r.utilization_pct)).toBeLessThan(1)
    }
  })

  it('come out the same, in order, whether the run is one part or split into parts, and leave the checksum alone', () => {
    const p = parseExperimentText(readFileSync('resources/examples/san-fc-vs-iscsi.yaml', 'utf8'))
    if (!p.ok) throw new Error('the example does not parse')
    const exp = { ...p.experiment, duration_s: 10, baseline: 'none' as const }
    const collect = (partVms: number) => {
      const run = createSimulation(exp, { seed: 3, partVms })
      const out: ArraySample[] = []
      while (!run.finished) {
        run.advance(20_000)
        out.push(...run.takeArraySamples())
      }
      return { out, checksum: run.result().checksum, parts: run.partCount }
    }
    const whole = collect(Infinity)
    const split = collect(1)
    expect(split.parts).toBeGreaterThan(1)
    expect(whole.parts).toBe(1)
    expect(split.out).toEqual(whole.out)
    expect(split.checksum).toBe(whole.checksum)
    const order = exp.arrays.map((a) => a.id)
    for (let i = 1; i < whole.out.length; i++) {
      const [a, b] = [whole.out[i - 1]!, whole.out[i]!]
      expect(a.t_ms < b.t_ms || (a.t_ms === b.t_ms && order.indexOf(a.array) < order.indexOf(b.array))).toBe(true)
    }
  })
})
