/**
 * Determinism through the public API: the same experiment and seed give the
 * same samples and checksum; another seed gives another run; and one VM's
 * random streams do not depend on which other VMs exist.
 */
import { describe, expect, it } from 'vitest'
import { createBaselineRun, createSimulation, runToEnd } from '../../src/main/engine'
import type { ExperimentInput } from '../../src/shared/experiment/schema'
import { experiment } from './helpers'

type HostIn = ExperimentInput['hosts'][number]
type VmIn = ExperimentInput['vms'][number]

const hostA: HostIn = { id: 'ha', cpu: 'core2-penryn', hypervisor: 'esx-3.5', disks: [{ id: 'd0', model: 'hdd-7200' }], nics: [{ id: 'n0', gbps: 1 }] }
const hostB: HostIn = { id: 'hb', cpu: 'nehalem-x5570', hypervisor: 'esx-4.0', disks: [{ id: 'd0', model: 'hdd-15k' }], nics: [{ id: 'n0', gbps: 1 }] }
const vmA: VmIn = {
  id: 'a',
  host: 'ha',
  disks: [{ model: 'lsilogic', on: 'va', format: 'thin' }],
  nics: [{ model: 'e1000', uplink: 'n0' }],
  workload: { preset: 'web', arrival: { process: 'poisson', rate_per_s: 300 } }
}
const vmB: VmIn = { id: 'b', host: 'hb', disks: [{ model: 'pvscsi', on: 'vb' }], nics: [{ model: 'vmxnet3', uplink: 'n0' }], workload: 'oltp' }

function build(withB: boolean) {
  return experiment({
    duration_s: 6,
    warmup_s: 1,
    sample_ms: 500,
    hosts: withB ? [hostA, hostB] : [hostA],
    volumes: withB
      ? [{ id: 'va', kind: 'vmfs', on: 'ha/d0' }, { id: 'vb', kind: 'vmfs', on: 'hb/d0' }]
      : [{ id: 'va', kind: 'vmfs', on: 'ha/d0' }],
    vms: withB ? [vmA, vmB] : [vmA]
  })
}

describe('determinism', () => {
  it('baselines run elsewhere and handed over give the same result and checksum as inline', () => {
    const exp = build(true)
    const inline = runToEnd(exp, 9).result
    const run = createSimulation(exp, { seed: 9, baselines: 'external' })
    while (!run.awaitingBaselines) run.advance(10_000)
    expect(run.finished).toBe(false)
    const baselines = createBaselineRun(exp, { seed: 9 })
    while (!baselines.finished) baselines.advance(10_000)
    run.provideBaselines(baselines.result())
    expect(run.finished).toBe(true)
    expect(run.result()).toEqual(inline)
  })

  it('same experiment and seed → identical samples, summary and checksum', () => {
    const one = runToEnd(build(true), 42)
    const two = runToEnd(build(true), 42)
    expect(two.samples).toEqual(one.samples)
    expect(two.result).toEqual(one.result)
    expect(one.result.checksum).toMatch(/^[0-9a-f]{16}$/)
  })

  it('a different seed → a different run and checksum', () => {
    const one = runToEnd(build(true), 42)
    const other = runToEnd(build(true), 43)
    expect(other.result.checksum).not.toBe(one.result.checksum)
    expect(other.samples).not.toEqual(one.samples)
  })

  it("adding a VM on another host leaves the first VM's draws and results unchanged", () => {
    const alone = runToEnd(build(false), 7)
    const together = runToEnd(build(true), 7)
    const samplesOfA = (s: typeof alone.samples) => s.filter((x) => x.vm === 'a')
    expect(samplesOfA(together.samples)).toEqual(samplesOfA(alone.samples))
    expect(together.result.vms.a).toEqual(alone.result.vms.a)
    expect(together.result.vms.b!.ops).toBeGreaterThan(0)
  })
})
