/** The library store: the query sent as the user set it, a delete undone from its notice, an import that names the bad field. */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { installLabApi } from '../../src/renderer/src/api'
import { useLibraryStore } from '../../src/renderer/src/stores/library'
import { fakeLab, settle } from './fakeLab'

function experiment(id: string, name: string, deletedAt: string | null = null) {
  return {
    id,
    name,
    notes: '',
    tags: [],
    hypervisors: ['esx-3.5'],
    created_at: '2026-12-01T00:00:00.000Z',
    updated_at: '2026-12-01T00:00:00.000Z',
    activity_at: '2026-12-01T00:00:00.000Z',
    versions: 1,
    runs: 2,
    last_run: null,
    deleted_at: deletedAt,
    text: `name: ${name}\n`,
    version: 1
  }
}
function summary(id: string, name: string, deletedAt: string | null = null) {
  const { text: _text, version: _version, ...rest } = experiment(id, name, deletedAt)
  return rest
}
const emptyFacets = { tags: [], hypervisors: [] }

describe('library store', () => {
  let lab: ReturnType<typeof fakeLab>
  beforeEach(() => {
    lab = fakeLab()
    installLabApi(lab.api)
    setActivePinia(createPinia())
  })

  /** Answers the pending list calls: the live list, then the deleted one. */
  function answerLists(live: unknown[], deleted: unknown[] = []): void {
    for (const call of lab.calls.filter((c) => c.name === 'experiments:list')) {
      const input = call.input as { deleted?: boolean }
      call.answer({ experiments: input.deleted ? deleted : live, total: (input.deleted ? deleted : live).length, facets: emptyFacets })
    }
    lab.calls.splice(0, lab.calls.length, ...lab.calls.filter((c) => c.name !== 'experiments:list'))
  }

  it('sends the query as set: words, tags, hypervisors, statuses, dates and sort', async () => {
    const store = useLibraryStore()
    Object.assign(store.query, { text: ' kernel ', tags: ['esx'], hypervisors: ['esx-4.0'], statuses: ['done', 'none'], from: '2026-12-01', to: '', sort: 'name', order: 'asc' })
    const done = store.refresh()
    const live = lab.calls.find((c) => c.name === 'experiments:list' && !(c.input as { deleted?: boolean }).deleted)!
    expect(live.input).toEqual({ text: 'kernel', tags: ['esx'], hypervisors: ['esx-4.0'], statuses: ['done', 'none'], from: '2026-12-01', sort: 'name', order: 'asc' })
    answerLists([summary('a', 'A')])
    await done
    expect(store.list.experiments.map((e) => e.id)).toEqual(['a'])
    expect(store.filtered).toBe(true)
  })

  it('a delete offers Undo, and Undo restores the experiment', async () => {
    const store = useLibraryStore()
    const removing = store.remove('a')
    lab.calls.find((c) => c.name === 'experiments:delete')!.answer({ id: 'a', deleted_at: '2026-12-01T01:00:00.000Z', runs: 2 })
    await settle()
    answerLists([], [summary('a', 'A', '2026-12-01T01:00:00.000Z')])
    expect(await removing).toBe(true)
    expect(store.notice?.undoId).toBe('a')
    expect(store.notice?.text).toContain('and its 2 runs')
    expect(store.deleted.map((e) => e.id)).toEqual(['a'])

    const restoring = store.restore('a')
    lab.calls.find((c) => c.name === 'experiments:restore')!.answer(experiment('a', 'A'))
    await settle()
    lab.calls.find((c) => c.name === 'experiments:get')!.answer({ experiment: experiment('a', 'A'), versions: [], runs: [] })
    answerLists([summary('a', 'A')], [])
    expect((await restoring)?.id).toBe('a')
    expect(store.notice).toEqual({ kind: 'info', text: 'Restored “A”' })
    expect(store.opened?.experiment.id).toBe('a')
    expect(store.deleted).toEqual([])
  })

  it('an import refused by the lab says which file and which field', async () => {
    const store = useLibraryStore()
    const file = new File(['name: x\nvms: [{ vcpus: many }]\n'], 'bad.yaml', { type: 'application/yaml' })
    const importing = store.importFiles([file])
    await settle()
    await settle()
    const call = lab.calls.find((c) => c.name === 'experiments:import')!
    expect(call.input).toMatchObject({ file_name: 'bad.yaml' })
    const { LabError } = await import('../../src/shared/errors')
    call.fail(new LabError('invalid-experiment', 'invalid', [{ path: 'vms[0].vcpus', message: 'expected a number' }]))
    await settle()
    answerLists([])
    expect(await importing).toBeNull()
    expect(store.notice).toEqual({ kind: 'error', text: 'bad.yaml was not imported: vms[0].vcpus: expected a number' })
  })
})
