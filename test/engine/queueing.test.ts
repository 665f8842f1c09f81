/**
 * Queueing ground truth through the public experiment format: a Poisson
 * stream of operations, each one disk request and (almost) no CPU, on bare
 * metal into a `custom` device, must show the response time queueing theory
 * predicts — M/M/1 (1/(μ − λ)), M/D/1 (Pollaczek–Khinchine) and M/M/c
 * (Erlang C) — within 2 %, with the 95 % confidence interval of independent
 * replications (different seeds) inside that band.
 */
import { describe, expect, it } from 'vitest'
import { createSimulation } from '../../src/main/engine'
import type { Distribution } from '../../src/shared/experiment/schema'
import { confidence, experiment } from './helpers'

const REPLICATIONS = 10
const DURATION_S = 2000
const WARMUP_S = 20

function openDiskExperiment(ratePerS: number, servers: number, service: Distribution, durationS = DURATION_S) {
  return experiment({
    duration_s: durationS,
    warmup_s: WARMUP_S,
    sample_ms: 60_000,
    baseline: 'none',
    hosts: [
      {
        id: 'h1',
        cpu: 'sandybridge-e5-2680',
        hypervisor: 'native',
        disks: [{ id: 'd0', model: 'custom', servers, service_ms: service }]
      }
    ],
    vms: [
      {
        id: 'app',
        host: 'h1',
        vcpus: 4,
        disks: [{ model: 'passthrough', on: 'h1/d0' }],
        workload: {
          kind: 'custom',
          arrival: { process: 'poisson', rate_per_s: ratePerS },
          per_op: { instructions: 0, disk: [{ kind: 'read', kb: 4, count: 1 }] }
        }
      }
    ]
  })
}

/** Mean response (ms) of the VM's operations and of the disk alone, one replication per seed. */
function replicate(exp: ReturnType<typeof openDiskExperiment>) {
  const vm: number[] = []
  const disk: number[] = []
  let ops = 0
  for (let r = 0; r < REPLICATIONS; r++) {
    const run = createSimulation(exp, { seed: 1000 + r })
    while (!run.finished) run.advance(1_000_000)
    const res = run.result()
    vm.push(res.vms.app!.latency_ms.mean!)
    disk.push(res.disks['h1/d0']!.latency_ms.mean!)
    ops += res.vms.app!.ops
  }
  return { vm: confidence(vm), disk: confidence(disk), ops }
}

function expectWithin2Percent(measured: { mean: number; half: number }, theory: number): void {
  // The whole 95 % interval lies within ±2 % of theory.
  if (process.env.HYPERLAB_VERBOSE) console.log(measured, theory)
  expect(Math.abs(measured.mean - theory) + measured.half).toBeLessThan(0.02 * theory)
}

/** Erlang C: probability an arrival waits in M/M/c with offered load a = λ/μ. */
function erlangC(c: number, a: number): number {
  let sum = 0
  let term = 1
  for (let k = 0; k < c; k++) {
    if (k > 0) term *= a / k
    sum += term
  }
  const top = (term * a) / c / (1 - a / c)
  return top / (sum + top)
}

describe('queueing ground truth (custom device, Poisson arrivals, bare metal)', () => {
  it('M/M/1: mean response 1/(μ − λ)', () => {
    const lambda = 60
    const mu = 100
    const out = replicate(openDiskExperiment(lambda, 1, { dist: 'exponential', mean: 1000 / mu }))
    const theory = 1000 / (mu - lambda) // ms
    expect(out.ops).toBeGreaterThan(REPLICATIONS * 0.95 * lambda * (DURATION_S - WARMUP_S))
    expectWithin2Percent(out.disk, theory)
    expectWithin2Percent(out.vm, theory)
  })

  it('M/D/1: Pollaczek–Khinchine mean response S + ρS/(2(1 − ρ))', () => {
    const lambda = 70
    const s = 10 // ms
    const rho = (lambda * s) / 1000
    const out = replicate(openDiskExperiment(lambda, 1, { dist: 'deterministic', mean: s }))
    const theory = s + (rho * s) / (2 * (1 - rho))
    expectWithin2Percent(out.vm, theory)
  })

  it('M/M/c: Erlang C mean response C/(cμ − λ) + 1/μ', () => {
    const c = 3
    const lambda = 210
    const mu = 100
    // Many servers make a short relaxation time: fewer customers give the same precision.
    const out = replicate(openDiskExperiment(lambda, c, { dist: 'exponential', mean: 1000 / mu }, 600))
    const theory = 1000 * (erlangC(c, lambda / mu) / (c * mu - lambda) + 1 / mu)
    expectWithin2Percent(out.vm, theory)
  })

  it('the CPU and driver path add almost nothing to the device time on bare metal', () => {
    const out = replicate(openDiskExperiment(60, 1, { dist: 'exponential', mean: 10 }, 300))
    // Guest driver work is a couple of µs per operation against ~25 ms of device time.
    expect(out.vm.mean - out.disk.mean).toBeGreaterThan(0)
    expect((out.vm.mean - out.disk.mean) / out.disk.mean).toBeLessThan(0.001)
  })
})
