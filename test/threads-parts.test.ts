/**
 * The built engine thread shares a run's independent parts among threads:
 * on one thread or two, the samples it streams and the result it posts —
 * checksum included — are those of one scenario of the whole, in process;
 * so are the SAN arrays' samples, each array's from the thread of its part.
 */
import { Worker } from 'node:worker_threads'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSimulation, partitionExperiment } from '../src/main/engine'
import { workerMessageSchema, type WorkerInput } from '../src/main/runner/messages'
import { unpackBlocks } from '../src/main/store/sampleBlocks'
import type { Experiment, ExperimentInput } from '../src/shared/experiment/schema'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseExperimentText } from '../src/shared/experiment'
import type { ArraySample, RunResult, Sample } from '../src/shared/result'
import { experiment } from './engine/helpers'
import { BUILT_WORKER, requireBuild, ROOT } from './fixtures'

beforeAll(requireBuild)

type VmIn = ExperimentInput['vms'][number]

/** `cells` copies of a small cell (two hosts on one local disk each, four VMs), sharing nothing. */
function cells(count: number): Experiment {
  const ids = Array.from({ length: count }, (_, k) => k)
  const vm = (id: string, host: string, on: string, workload: VmIn['workload']): VmIn => ({
    id,
    host,
    disks: [{ model: 'pvscsi', on }],
    nics: [{ model: 'vmxnet3', uplink: 'n0' }],
    workload
  })
  return experiment({
    duration_s: 3,
    warmup_s: 1,
    sample_ms: 500,
    baseline: 'native',
    hosts: ids.map((k) => ({ id: `h${k}`, cpu: 'nehalem-x5570', hypervisor: 'esx-4.0', disks: [{ id: 'd0', model: 'hdd-15k' }], nics: [{ id: 'n0', gbps: 1 }] })),
    volumes: ids.map((k) => ({ id: `v${k}`, kind: 'vmfs' as const, on: `h${k}/d0` })),
    vms: ids.flatMap((k) => [vm(`db${k}`, `h${k}`, `v${k}`, 'oltp'), vm(`web${k}`, `h${k}`, `v${k}`, 'web')])
  })
}

/** Runs the experiment on the built engine thread with `threads` threads; the samples it streamed and its result. */
function onWorker(exp: Experiment, threads: number): Promise<{ samples: Sample[]; arrays: ArraySample[]; result: RunResult }> {
  const input: WorkerInput = {
    experiment: exp,
    seed: exp.seed,
    batchWallMs: 5,
    pace: 'max',
    eventBudget: 1e10,
    maxOpsInFlight: 1_000_000,
    memoryMb: 512,
    control: new SharedArrayBuffer(4),
    threads,
    partVms: 1
  }
  const worker = new Worker(BUILT_WORKER, { workerData: input })
  const samples: Sample[] = []
  const arrays: ArraySample[] = []
  return new Promise((resolve, reject) => {
    worker.on('message', (raw: unknown) => {
      const m = workerMessageSchema.parse(raw)
      if (m.type === 'batch') {
        samples.push(...unpackBlocks(m.blocks))
        arrays.push(...m.arrays)
      } else if (m.type === 'done') {
        void worker.terminate()
        resolve({ samples, arrays, result: m.result })
      } else if (m.type === 'failed') reject(new Error(m.message))
    })
    worker.on('error', reject)
  })
}

describe('a run shared among threads', () => {
  it('streams the samples and posts the result and checksum of one scenario of the whole', async () => {
    // Parts of one VM each, so that four cells make four parts to share.
    const exp = cells(4)
    expect(partitionExperiment(exp, 1)).toHaveLength(4)
    const whole = createSimulation(exp, { seed: exp.seed, partVms: Infinity })
    const samples: Sample[] = []
    while (!whole.finished) samples.push(...whole.advance(10_000))
    const expected = whole.result()

    const one = await onWorker(exp, 1)
    const two = await onWorker(exp, 2)
    for (const got of [one, two]) {
      expect(got.result.checksum).toBe(expected.checksum)
      expect({ ...got.result, sim: { ...got.result.sim, wall_ms: 0 } }).toEqual(expected)
      expect(got.samples).toEqual(samples)
    }
  })

  it("streams the arrays' samples of every part, in the order of one scenario of the whole", async () => {
    const parsed = parseExperimentText(readFileSync(join(ROOT, 'resources/examples/san-fc-vs-iscsi.yaml'), 'utf8'))
    if (!parsed.ok) throw new Error('the example does not parse')
    const exp = { ...parsed.experiment, duration_s: 6, baseline: 'none' as const }
    expect(partitionExperiment(exp, 1).length).toBeGreaterThan(1)
    const whole = createSimulation(exp, { seed: exp.seed, partVms: Infinity })
    const arrays: ArraySample[] = []
    while (!whole.finished) {
      whole.advance(10_000)
      arrays.push(...whole.takeArraySamples())
    }
    expect(arrays.length).toBe(exp.arrays.length * Math.ceil((exp.duration_s * 1000) / exp.sample_ms))
    const two = await onWorker(exp, 2)
    expect(two.result.checksum).toBe(whole.result().checksum)
    expect(two.arrays).toEqual(arrays)
  })
})
