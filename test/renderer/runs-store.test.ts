/** The run library store: one re-simulation at a time, whichever run is open. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { installLabApi } from '../../src/renderer/src/api'
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
    call.answer({ run: doneRun(id), experiment_text: 'x', result: null, samples: [], samples_bucket_ms: null })
    await opening
  }

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
