/**
 * The experiment library through its handlers, called as plain functions
 * (and through dispatch where the request's schema matters): keep, find by
 * tag, hypervisor, status, words and date, rename (the file's name is
 * rewritten), duplicate, delete softly and undo, purge when the store that
 * deleted closes, versions and their diff, import and export.
 */
import { hostname } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { openLab } from '../src/main/lab'
import { dispatch } from '../src/main/services/dispatch'
import { Store } from '../src/main/store/store'
import { LabError } from '../src/shared/errors'
import { baseExperiment, toYaml } from './helpers'
import { useBrowserLab } from './browserLab'

const browser = useBrowserLab('hyperlab-library-')

/** A valid experiment file named `name`, its host under `hypervisor`, with a comment to keep. */
function file(name: string, hypervisor = 'esx-4.0', duration = 2): string {
  const e = baseExperiment()
  e.name = name
  e.duration_s = duration
  e.hosts[0]!.hypervisor = hypervisor
  return `# kept by every rename\n${toYaml(e)}`
}

const h = () => browser.lab.services.handlers

async function rejection(work: () => unknown): Promise<LabError> {
  try {
    await work()
  } catch (err) {
    expect(err).toBeInstanceOf(LabError)
    return err as LabError
  }
  throw new Error('expected a LabError')
}

describe('the experiment library', () => {
  it('keeps an experiment and finds it by tag, hypervisor, words, status and date', async () => {
    const db = await h()['experiments:save']({ text: file('Database consolidation') })
    const web = await h()['experiments:save']({ text: file('Web tier on ESX 4.1', 'esx-4.1') })
    expect(db.version).toBe(1)
    expect(db.hypervisors).toEqual(['esx-4.0'])
    await h()['experiments:update']({ id: db.id, tags: ['OLTP', 'consolidation', 'oltp'], notes: 'Überprüft mit EPT' })

    const byTag = await h()['experiments:list']({ tags: ['oltp'] })
    expect(byTag.experiments.map((e) => e.id)).toEqual([db.id])
    expect(byTag.experiments[0]!.tags).toEqual(['OLTP', 'consolidation'])
    expect(byTag.facets.tags).toEqual(expect.arrayContaining([{ value: 'OLTP', count: 1 }]))

    expect((await h()['experiments:list']({ hypervisors: ['esx-4.1'] })).experiments.map((e) => e.id)).toEqual([web.id])
    // Words in any order, case-folded beyond ASCII, across name and notes.
    expect((await h()['experiments:list']({ text: 'ÜBERPRÜFT database' })).experiments.map((e) => e.id)).toEqual([db.id])
    expect((await h()['experiments:list']({ text: 'database tier' })).total).toBe(0)
    const never = await h()['experiments:list']({ statuses: ['none'] })
    expect(never.experiments.map((e) => e.id)).toEqual(expect.arrayContaining([db.id, web.id]))
    const today = new Date().toISOString().slice(0, 10)
    expect((await h()['experiments:list']({ from: today, to: today })).total).toBeGreaterThanOrEqual(2)
    expect((await h()['experiments:list']({ to: '2000-01-01' })).total).toBe(0)
    const byName = await h()['experiments:list']({ sort: 'name', text: 'on' })
    expect(byName.experiments.map((e) => e.name)).toEqual(['Database consolidation', 'Web tier on ESX 4.1'])
    const byHypervisor = await h()['experiments:list']({ sort: 'hypervisor', text: 'on' })
    expect(byHypervisor.experiments.map((e) => e.hypervisors[0])).toEqual(['esx-4.0', 'esx-4.1'])
    const descending = await h()['experiments:list']({ sort: 'hypervisor', order: 'desc', text: 'on' })
    expect(descending.experiments.map((e) => e.hypervisors[0])).toEqual(['esx-4.1', 'esx-4.0'])
  })

  it('refuses a bad tag or date naming the field and the reason', async () => {
    const reply = await dispatch(h(), 'experiments:update', { id: 'x', tags: ['fine', 'a,b'] })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request', issues: [{ path: 'tags[1]', message: 'a tag has no commas or control characters' }] } })
    const date = await dispatch(h(), 'experiments:list', { from: 'yesterday' })
    expect(date).toMatchObject({ ok: false, error: { issues: [{ path: 'from' }] } })
  })

  it('renames by rewriting the file’s name, keeping its comments, as a new version', async () => {
    const e = await h()['experiments:save']({ text: file('Before') })
    const renamed = await h()['experiments:update']({ id: e.id, name: 'After the rename' })
    expect(renamed.name).toBe('After the rename')
    expect(renamed.version).toBe(2)
    expect(renamed.text).toContain('# kept by every rename')
    expect((parse(renamed.text) as { name: string }).name).toBe('After the rename')
    const { versions } = await h()['experiments:get']({ id: e.id })
    expect(versions.map((v) => [v.number, v.current])).toEqual([[1, false], [2, true]])
    const missing = await rejection(() => h()['experiments:update']({ id: 'no-such-id', name: 'x' }))
    expect(missing.code).toBe('not-found')
  })

  it('duplicates with notes and tags, under a name no other experiment has', async () => {
    const e = await h()['experiments:save']({ text: file('Original') })
    await h()['experiments:update']({ id: e.id, tags: ['t1'], notes: 'n' })
    const first = await h()['experiments:duplicate']({ id: e.id })
    const second = await h()['experiments:duplicate']({ id: e.id })
    expect([first.name, second.name]).toEqual(['Original (copy)', 'Original (copy 2)'])
    expect(first).toMatchObject({ tags: ['t1'], notes: 'n', runs: 0, versions: 1, version: 1 })
    expect((parse(first.text) as { name: string }).name).toBe('Original (copy)')
  })

  it('deletes softly: hidden, listed as deleted, restorable, refused twice', async () => {
    const e = await h()['experiments:save']({ text: file('To delete') })
    const gone = await h()['experiments:delete']({ id: e.id })
    expect(gone.id).toBe(e.id)
    expect((await h()['experiments:list']({})).experiments.map((x) => x.id)).not.toContain(e.id)
    expect((await h()['experiments:list']({ deleted: true })).experiments.map((x) => x.id)).toContain(e.id)
    expect((await rejection(() => h()['experiments:get']({ id: e.id }))).code).toBe('not-found')
    expect((await rejection(() => h()['experiments:delete']({ id: e.id }))).code).toBe('not-found')
    const back = await h()['experiments:restore']({ id: e.id })
    expect(back.deleted_at).toBeNull()
    expect((await h()['experiments:list']({})).experiments.map((x) => x.id)).toContain(e.id)
    expect((await rejection(() => h()['experiments:restore']({ id: e.id }))).code).toBe('conflict')
  })

  it('records a version per text run under the experiment, and diffs any two', async () => {
    const e = await h()['experiments:save']({ text: file('Versioned', 'esx-4.1') })
    const edited = file('Versioned', 'esx-4.0')
    const run = await h()['runs:start']({ text: edited, experiment_id: e.id })
    expect(run.version).toBe(2)
    expect(run.app_version).toBe(browser.lab.version)
    await browser.lab.runner.wait(run.id)
    const { experiment, versions, runs } = await h()['experiments:get']({ id: e.id })
    expect(experiment.hypervisors).toEqual(['esx-4.0'])
    expect(versions.map((v) => [v.number, v.runs])).toEqual([[1, 0], [2, 1]])
    expect(runs.map((r) => r.id)).toEqual([run.id])
    expect((await h()['runs:list']({ experiment_id: e.id })).map((r) => r.id)).toEqual([run.id])
    const diff = await h()['experiments:diff']({ id: e.id, from: 1, to: 2 })
    expect(diff).toMatchObject({ from: 1, to: 2, additions: 1, deletions: 1 })
    expect(diff.hunks.flatMap((x) => x.lines).filter((l) => l[0] !== ' ')).toEqual(['-    hypervisor: esx-4.1', '+    hypervisor: esx-4.0'])
    expect((await h()['experiments:version']({ id: e.id, number: 1 })).text).toContain('esx-4.1')
    expect((await rejection(() => h()['experiments:version']({ id: e.id, number: 9 }))).message).toBe(`experiment "${e.id}" has no version 9`)
    // The same text run again is the same version.
    const again = await h()['runs:start']({ text: edited, experiment_id: e.id })
    expect(again.version).toBe(2)
    await browser.lab.runner.wait(again.id)
  })

  it('imports a file once, and exports it as stored, as JSON or as YAML', async () => {
    const text = file('Imported')
    const first = await h()['experiments:import']({ text, file_name: 'imported.yaml' })
    const second = await h()['experiments:import']({ text })
    expect(first.created).toBe(true)
    expect(second).toMatchObject({ created: false, experiment: { id: first.experiment.id } })
    const bad = await rejection(() => h()['experiments:import']({ text: 'format: hyperlab/experiment@1\nname: x\n', file_name: 'broken.yaml' }))
    expect(bad.code).toBe('invalid-experiment')
    expect(bad.message).toMatch(/^broken\.yaml: /)

    const stored = await h()['experiments:export']({ id: first.experiment.id })
    expect(stored).toEqual({ file_name: 'imported.yaml', media_type: 'application/yaml', text })
    const json = await h()['experiments:export']({ id: first.experiment.id, format: 'json' })
    expect(json.file_name).toBe('imported.json')
    expect(JSON.parse(json.text)).toEqual(parse(text))
    const back = await h()['experiments:import']({ text: json.text })
    expect(back.created).toBe(true)
    const yaml = await h()['experiments:export']({ id: back.experiment.id, format: 'yaml' })
    expect(parse(yaml.text)).toEqual(parse(text))
  })

  it('refuses to delete an experiment while a run of it is in progress', async () => {
    const e = await h()['experiments:save']({ text: file('Busy', 'esx-4.0', 3000) })
    const run = await h()['runs:start']({ text: e.text, experiment_id: e.id })
    const refused = await rejection(() => h()['experiments:delete']({ id: e.id }))
    expect(refused.code).toBe('conflict')
    expect(refused.message).toMatch(/in progress; cancel it first/)
    expect((await rejection(() => h()['runs:delete']({ run_id: run.id }))).code).toBe('conflict')
    await h()['runs:cancel']({ run_id: run.id })
    const deleted = await h()['runs:delete']({ run_id: run.id })
    expect(deleted.run_id).toBe(run.id)
    expect((await h()['runs:list']({ experiment_id: e.id })).map((r) => r.id)).not.toContain(run.id)
    expect((await rejection(() => h()['runs:get']({ run_id: run.id }))).code).toBe('not-found')
    expect((await h()['runs:restore']({ run_id: run.id })).id).toBe(run.id)
    expect((await h()['runs:get']({ run_id: run.id })).run.status).toBe('cancelled')
  })
})

describe('purging what was deleted', () => {
  it('purges, when the store that deleted closes, the experiment with its runs, samples and events', async () => {
    const path = join(browser.dir, 'purge.db')
    const other = openLab({ mode: 'cli', dbPath: path })
    const e = await other.services.handlers['experiments:save']({ text: file('Short-lived') })
    const run = await other.services.handlers['runs:start']({ text: e.text, experiment_id: e.id })
    await other.runner.wait(run.id)
    expect(other.store.countSamples(run.id)).toBeGreaterThan(0)
    await other.services.handlers['experiments:delete']({ id: e.id })
    // Another store open meanwhile still sees it deleted, not gone: the deleting store may undo.
    const meanwhile = Store.open(path)
    meanwhile.close()
    expect(other.store.getExperiment(e.id, { deleted: true })?.deleted_at).not.toBeNull()
    await other.close()
    const raw = new Database(path, { readonly: true })
    for (const [table, column, id] of [
      ['experiments', 'id', e.id],
      ['experiment_versions', 'experiment_id', e.id],
      ['runs', 'id', run.id],
      ['sample_blocks', 'run_id', run.id],
      ['run_events', 'run_id', run.id]
    ] as const) {
      expect(raw.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${column} = ?`).pluck().get(id), table).toBe(0)
    }
    raw.close()
  })

  it('purges at the next open what a store that is gone deleted', () => {
    const path = join(browser.dir, 'orphan.db')
    const store = Store.open(path)
    const kept = store.saveExperiment(file('Kept'), 'Kept')
    const orphan = store.saveExperiment(file('Orphan'), 'Orphan')
    store.close()
    // As a crashed process would leave it: deleted by a store whose process no longer runs.
    const raw = new Database(path)
    raw.prepare(`UPDATE experiments SET deleted_at = 'then', deleted_by = ? WHERE id = ?`).run(`${hostname()}:2147483646:x`, orphan.id)
    raw.close()
    const again = Store.open(path)
    expect(again.getExperiment(orphan.id, { deleted: true })).toBeUndefined()
    expect(again.getExperiment(kept.id)?.name).toBe('Kept')
    again.close()
  })
})
