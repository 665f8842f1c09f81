/** The run library store: a stored run opens from its columns; one re-simulation at a time, whichever run is open. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { installLabApi } from '../../src/renderer/src/api'
import type { RunSeries } from '../../src/renderer/src/api/shared'
import { useRunsStore } from '../../src/renderer/src/stores/runs'
import { doneRun, fakeLab, reproduced, settle } from './fakeLab'

describe('runs store', () => {
  let lab: ReturnType<typeof fakeLab>
  beforeEach(() => {
    lab = fakeLab()
    installLabApi(lab.api)
    setActivePinia(createPinia())
  })

  async function open(store: ReturnType<typeof useRunsStore>, id: string): Promise<void> {
    const opening = store.open(id)
    const call = lab.calls.find((c) => c.name === 'runs:get' && (c.input as { run_id: string }).run_id === id)!
    call.answer({ run: doneRun(id), experiment_text: 'x', result: null, samples: [], samples_bucket_ms: null, array_samples: [] })
    const samples = lab.calls.find((c) => c.name === 'runs:samples' && (c.input as { run_id: string }).run_id === id)!
    samples.answer(series(id))
    await opening
  }

  /** A stored run's series as `runs:samples` gives it: two windows of one VM, the CPU split recorded, one array. */
  function series(id: string): RunSeries {
    return {
      run_id: id,
      from_ms: 0,
      to_ms: 1000,
      window_ms: 500,
      bucket_ms: null,
      t_ms: [500, 1000],
      vms: [
        {
          vm: 'web',
          throughput_ops_s: [10, 12],
          latency_mean_ms: [null, 2],
          latency_p99_ms: [null, 5],
          disk_iops: [0, 0],
          cpu_pct: [30, 40],
          cpu_guest_pct: [25, 33],
          cpu_hypervisor_pct: [5, 7]
        }
      ],
      arrays: [{ array: 'san', utilization_pct: [null, 80], queue_depth: [null, 4], iops: [null, 200] }]
    }
  }

  it('opens a stored run from its columns: every measure recorded, the others null', async () => {
    const store = useRunsStore()
    await open(store, 'a')
    const s = store.opened!.series
    expect(s.x).toEqual([0.5, 1])
    const web = s.vm('web')!
    expect(web.latencyMean).toEqual([null, 2])
    expect(web.cpuHypervisorPct).toEqual([5, 7])
    expect(web.diskMbS).toEqual([null, null])
    // The array's columns come from the same reply, on the same axis.
    const arrays = store.opened!.arrays
    expect(arrays.x).toEqual([1])
    expect(arrays.array('san')).toEqual({ utilizationPct: [80], queueDepth: [4], iops: [200] })
    expect(lab.calls.find((c) => c.name === 'runs:get')!.input).toEqual({ run_id: 'a', samples: false })
  })

  it('does not start a second check when the user switches runs mid-check', async () => {
    const store = useRunsStore()
    await open(store, 'a')
    const checkA = store.verify()
    expect(store.verifying).toBe(true)

    await open(store, 'b')
    expect(store.verifying).toBe(false) // b is not being checked…
    expect(store.checkBusy).toBe(true) // …but a still is
    await store.verify()
    expect(lab.calls.filter((c) => c.name === 'runs:verify')).toHaveLength(1)

    lab.calls.find((c) => c.name === 'runs:verify')!.answer(reproduced('a'))
    await checkA
    await settle()
    expect(store.checkBusy).toBe(false)
    expect(store.verification).toBeNull() // a's answer is not shown as b's

    const checkB = store.verify()
    expect(lab.calls.filter((c) => c.name === 'runs:verify')).toHaveLength(2)
    lab.calls.filter((c) => c.name === 'runs:verify')[1]!.answer(reproduced('b'))
    await checkB
    expect(store.verification?.run_id).toBe('b')
  })
})
