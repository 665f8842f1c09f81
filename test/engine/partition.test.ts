/**
 * Independent parts of an experiment: what shares a host, array, volume or
 * event is one component, and simulating components apart — on one thread or
 * handed over from others — gives the samples, summary and checksum of one
 * scenario of the whole.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPartsRun, createSimulation, partitionExperiment, type SimulationOptions } from '../../src/main/engine'
import type { Experiment, ExperimentInput } from '../../src/shared/experiment/schema'
import type { NotableEvent } from '../../src/shared/replay'
import type { Sample } from '../../src/shared/result'
import { parseExperimentText } from '../../src/shared/experiment/parse'
import { experiment } from './helpers'

type HostIn = ExperimentInput['hosts'][number]
type VmIn = ExperimentInput['vms'][number]

const host = (id: string): HostIn => ({
  id,
  cpu: 'nehalem-x5570',
  hypervisor: 'esx-4.0',
  disks: [{ id: 'd0', model: 'hdd-15k' }],
  nics: [{ id: 'n0', gbps: 1 }],
  hbas: [{ id: 'fc0', kind: 'fc', gbps: 8 }]
})
const vm = (id: string, on: string, hostId: string): VmIn => ({
  id,
  host: hostId,
  disks: [{ model: 'pvscsi', on }],
  nics: [{ model: 'vmxnet3', uplink: 'n0' }],
  workload: 'oltp'
})

/** Three hosts; h1 and h2 share a volume on an FC array, h3 stands alone on its own disk. */
function threeHosts(extra: Partial<ExperimentInput> = {}): Experiment {
  return experiment({
    duration_s: 4,
    warmup_s: 1,
    sample_ms: 500,
    baseline: 'native',
    hosts: [host('h1'), host('h2'), host('h3')],
    arrays: [
      {
        id: 'san',
        protocol: 'fc',
        disks: { model: 'hdd-15k', count: 8, raid: 'raid10' },
        luns: [{ id: 'lun1', gb: 500 }],
        paths: [
          { host: 'h1', via: 'fc0' },
          { host: 'h2', via: 'fc0' }
        ]
      }
    ],
    volumes: [
      { id: 'shared', kind: 'vmfs', on: 'san/lun1', hosts: ['h1', 'h2'] },
      { id: 'own', kind: 'vmfs', on: 'h3/d0' }
    ],
    vms: [vm('a', 'shared', 'h1'), vm('c', 'own', 'h3'), vm('b', 'shared', 'h2'), vm('d', 'own', 'h3')],
    ...extra
  })
}

function runAll(exp: Experiment, options: Omit<SimulationOptions, 'seed'>) {
  const run = createSimulation(exp, { seed: 7, ...options })
  const samples: Sample[] = []
  const notable: NotableEvent[] = []
  while (!run.finished) {
    samples.push(...run.advance(5_000))
    notable.push(...run.takeNotable())
  }
  notable.push(...run.takeNotable())
  return { samples, notable, result: run.result() }
}

describe('partitionExperiment', () => {
  it('puts what shares a volume together and what shares nothing apart, in the order of the first VM', () => {
    const parts = partitionExperiment(threeHosts(), 1)
    expect(parts.map((p) => p.experiment.vms.map((v) => v.id))).toEqual([['a', 'b'], ['c', 'd']])
    expect(parts.map((p) => p.experiment.hosts.map((h) => h.id))).toEqual([['h1', 'h2'], ['h3']])
    expect(parts.map((p) => p.vmIndexes)).toEqual([[0, 2], [1, 3]])
  })

  it('joins the hosts an event names', () => {
    const exp = threeHosts({ events: [{ at_s: 2, do: 'migrate', vm: 'c', to: 'h2' }] })
    expect(partitionExperiment(exp, 1)).toHaveLength(1)
  })

  it('gathers components into parts of the VMs asked for', () => {
    expect(partitionExperiment(threeHosts(), 4)).toHaveLength(1)
    expect(partitionExperiment(threeHosts(), Infinity)).toHaveLength(1)
  })
})

describe('a run in parts', () => {
  it('gives the samples, notable moments, summary and checksum of one scenario of the whole', () => {
    // Power events in both parts, so the parts' notable moments must be merged in time order.
    const exp = threeHosts({
      events: [
        { at_s: 1.5, do: 'stop', vm: 'd' },
        { at_s: 2, do: 'stop', vm: 'b' },
        { at_s: 2.2, do: 'snapshot', vm: 'a' },
        { at_s: 2.5, do: 'stop', vm: 'c' }
      ]
    })
    const whole = runAll(exp, { partVms: Infinity })
    const parts = runAll(exp, { partVms: 1 })
    // Each part plays only the events of what it holds; their outcomes take their places in the result.
    expect(partitionExperiment(exp, 1).map((p) => p.eventIndexes)).toEqual([[1, 2], [0, 3]])
    expect(whole.result.events.map((e) => e.ok)).toEqual([true, true, true, true])
    expect(parts.samples).toEqual(whole.samples)
    expect(whole.notable.filter((e) => e.kind === 'vm-stopped').map((e) => e.subject)).toEqual(['d', 'b', 'c'])
    expect(parts.notable).toEqual(whole.notable)
    expect(parts.result).toEqual(whole.result)
  })

  it('gives the same checksum with parts simulated elsewhere and handed over', () => {
    const exp = threeHosts()
    const whole = runAll(exp, { partVms: Infinity })
    const run = createSimulation(exp, { seed: 7, partVms: 1, parts: [0] })
    const other = createPartsRun(exp, { seed: 7, partVms: 1, parts: [1] })
    const samples: Sample[] = []
    // The other thread runs ahead: its samples come before this run's own parts have made theirs.
    while (!other.finished) run.provideSamples(other.advance(3_000))
    run.provideParts(other.summaries())
    while (!run.finished) samples.push(...run.advance(5_000))
    expect(samples).toEqual(whole.samples)
    expect(run.result()).toEqual(whole.result)
  })

  it('runs the 128-VM benchmark datacenter (two cells) to the checksum of one scenario', () => {
    const text = readFileSync(join(__dirname, '../../bench/scenarios/datacenter-128.yaml'), 'utf8')
    const parsed = parseExperimentText(text)
    if (!parsed.ok) throw new Error('datacenter-128 does not parse')
    const exp: Experiment = { ...parsed.experiment, duration_s: 2, warmup_s: 1, baseline: 'none' }
    expect(partitionExperiment(exp)).toHaveLength(2)
    const whole = runAll(exp, { partVms: Infinity })
    const parts = runAll(exp, {})
    expect(parts.result.checksum).toBe(whole.result.checksum)
    expect(parts.result.sim.events).toBe(whole.result.sim.events)
  })
})
