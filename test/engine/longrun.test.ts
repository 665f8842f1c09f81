/**
 * A run as long as the schema allows (one day). The clock is float64
 * nanoseconds, so it gets coarser as the run goes on: adjacent times are more
 * than 0.001 ns apart from 2^44 ns (~4.9 h) and 1/64 ns apart from 2^46 ns
 * (~19.5 h). The engine must still reach the end, with the operations the
 * arrival rate asks for and a bounded number of events per operation. Runs
 * advance in capped slices, so an engine that stops the clock fails here
 * instead of hanging.
 */
import { describe, expect, it } from 'vitest'
import { createSimulation } from '../../src/main/engine'
import { experiment } from './helpers'

const DAY_S = 86_400
const RATE_PER_S = 1
const SAMPLE_MS = 60_000
/** A healthy run of this workload takes ~3 events per operation (arrival, burst end, I/O step). */
const MAX_EVENTS_PER_OP = 20
const SLICE = 10_000

function day(cpu: string, hypervisor: string) {
  return experiment({
    duration_s: DAY_S,
    sample_ms: SAMPLE_MS,
    baseline: 'none',
    hosts: [{ id: 'h1', cpu, hypervisor }],
    vms: [
      {
        id: 'vm',
        host: 'h1',
        workload: { kind: 'custom', arrival: { process: 'poisson', rate_per_s: RATE_PER_S }, per_op: { instructions: 1000 } }
      }
    ]
  })
}

describe('a day-long run', () => {
  // Each of these stopped its clock before the fix: at 2^46 ns (81 %), 2^45 ns (41 %) or 2^44 ns (20 %).
  const hosts: [string, string][] = [
    ['core2-merom', 'native'],
    ['core2-merom', 'esx-3.5'],
    ['nehalem-x5570', 'esx-4.0'],
    ['sandybridge-e5-2680', 'kvm']
  ]

  it.each(hosts)(
    '%s under %s reaches the end with the expected operations and a bounded number of events',
    (cpu, hypervisor) => {
      const run = createSimulation(day(cpu, hypervisor), { seed: 1 })
      const expectedOps = RATE_PER_S * DAY_S
      const maxSlices = Math.ceil((MAX_EVENTS_PER_OP * expectedOps) / SLICE)
      let samples = 0
      for (let slices = 0; !run.finished && slices < maxSlices; slices++) samples += run.advance(SLICE).length
      expect(run.progress).toBe(1)
      expect(run.finished).toBe(true)
      expect(run.simulatedS).toBe(DAY_S)
      expect(samples).toBe((DAY_S * 1000) / SAMPLE_MS)

      const result = run.result()
      const vm = result.vms.vm!
      // Poisson arrivals: the standard deviation of the count is ~294 (0.34 %).
      expect(Math.abs(vm.ops - expectedOps) / expectedOps).toBeLessThan(0.02)
      expect(vm.throughput_ops_s).toBeCloseTo(vm.ops / DAY_S, 4)
      expect(result.sim.events).toBeLessThan(MAX_EVENTS_PER_OP * vm.ops)
    },
    30_000
  )
})
