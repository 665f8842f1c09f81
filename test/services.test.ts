import { describe, expect, it } from 'vitest'
import { dispatch } from '../src/main/services/dispatch'
import { LabError } from '../src/shared/errors'
import { useBrowserLab } from './browserLab'

const browser = useBrowserLab()

describe('services (handlers as plain functions)', () => {
  it('lists the bundled examples, each of them valid', async () => {
    const examples = await browser.lab.services.handlers['examples:list']({})
    expect(examples.map((e) => e.id)).toEqual(
      expect.arrayContaining(['esx35-vs-native', 'four-vms-one-disk', 'san-lun-fc'])
    )
    for (const e of examples) {
      const v = await browser.lab.services.handlers['experiments:validate']({ text: e.text })
      expect(v.issues, e.id).toEqual([])
      expect(v.ok).toBe(true)
    }
  })

  it('keeps the draft being built, unfinished or not, until the next save replaces it', async () => {
    const h = browser.lab.services.handlers
    const draft = { text: 'format: hyperlab/experiment@1\nname: half built\n', experiment_id: null, origin: 'New experiment', layout: { 'host:h1': { x: 10, y: 20 } } }
    await h['drafts:save'](draft)
    expect(await h['drafts:get']({})).toMatchObject(draft)
    const example = (await h['examples:list']({}))[0]!
    const saved = await h['experiments:save']({ text: example.text })
    await h['drafts:save']({ ...draft, text: example.text, experiment_id: saved.id })
    expect(await h['drafts:get']({})).toMatchObject({ text: example.text, experiment_id: saved.id })
    expect((await h['experiments:get']({ id: saved.id })).experiment).toMatchObject({ id: saved.id, text: example.text })
    const reply = await dispatch(h, 'experiments:get', { id: 'nope' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'not-found' } })
    const tooMany = await dispatch(h, 'drafts:save', { ...draft, layout: { a: { x: 'left', y: 0 } } })
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })

  it('refuses to save an invalid experiment, with every issue', async () => {
    let caught: unknown
    try {
      await browser.lab.services.handlers['experiments:save']({ text: 'format: hyperlab/experiment@1\nname: x\n' })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(LabError)
    expect((caught as LabError).code).toBe('invalid-experiment')
    expect((caught as LabError).issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['duration_s', 'hosts', 'vms']))
  })

  it('answers not-found for a run that does not exist', async () => {
    const reply = await dispatch(browser.lab.services.handlers, 'runs:get', { run_id: 'nope' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'not-found', message: 'run "nope" does not exist' } })
  })

  it('turns an unexpected failure into an internal error without a stack', async () => {
    const handlers = { ...browser.lab.services.handlers, 'runs:list': () => { throw new TypeError('boom') } }
    const reply = await dispatch(handlers, 'runs:list', {})
    expect(reply).toEqual({ ok: false, error: { name: 'LabError', code: 'internal', message: 'runs:list failed: boom' } })
  })
})
