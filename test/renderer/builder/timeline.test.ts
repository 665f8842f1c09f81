/**
 * Timeline edits on the YAML document: adding an event of each kind gives a
 * complete event naming the experiment's own ids, moving and deleting touch
 * only that event, undo (through the builder's history) returns the exact
 * text before, and an event the checks refuse is flagged at its field.
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { DocumentEditor, type EditResult } from '../../../src/renderer/src/builder/edits'
import { EditHistory } from '../../../src/renderer/src/builder/history'
import { addEvent, clampTime, fieldChoices, moveEvent, removeEvent, setEventField, timelineEvents } from '../../../src/renderer/src/builder/timeline'
import { EVENT_KINDS } from '../../../src/shared/experiment/events'
import { parseExperimentText } from '../../../src/shared/experiment'
import { exampleFiles } from './examples'

const example = (name: string): string => exampleFiles.find(([f]) => f === name)![1]
const MOBILITY = example('passthrough-vs-vmxnet3-mobility.yaml')
const CSV = example('csv-path-failure-hyperv.yaml')

function apply(text: string, edit: (e: DocumentEditor) => EditResult): string {
  const result = edit(new DocumentEditor(text))
  if (!result.ok) throw new Error(result.reason)
  return result.text
}

function events(text: string): Record<string, unknown>[] {
  return (parse(text) as { events?: Record<string, unknown>[] }).events ?? []
}

describe('timeline edits', () => {
  it('reads the preset events in order, with what each acts on', () => {
    const list = timelineEvents(parse(MOBILITY))
    expect(list.map((e) => e.label)).toEqual(['migrate direct → esx2', 'migrate mobile → esx2'])
    expect(list.map((e) => e.at_s)).toEqual([15, 15])
  })

  it('adds every kind as a complete event naming the experiment\'s ids, and the result is valid', () => {
    for (const kind of EVENT_KINDS) {
      const text = kind === 'fail-path' || kind === 'restore-path' ? CSV : MOBILITY
      const before = events(text).length
      const after = apply(text, (e) => addEvent(e, kind, 20))
      const added = events(after).find((e, i) => e.do === kind && e.at_s === 20 && i >= 0)
      expect(events(after)).toHaveLength(before + 1)
      expect(added, kind).toBeDefined()
      if (kind === 'migrate') expect(added).toMatchObject({ vm: 'direct', to: 'esx2' })
      const out = parseExperimentText(after)
      // The schema accepts it; a refusal for static reasons is the checks' business (tested below).
      const shapeIssues = out.ok ? [] : out.issues.filter((i) => i.path.startsWith('events'))
      expect(shapeIssues.filter((i) => /Required|Invalid input|expected/i.test(i.message)), `${kind}: ${JSON.stringify(shapeIssues)}`).toEqual([])
    }
  })

  it('keeps the list in time order and the rest of the text byte for byte', () => {
    const after = apply(MOBILITY, (e) => addEvent(e, 'snapshot', 5))
    expect(events(after).map((e) => e.at_s)).toEqual([5, 15, 15])
    const head = MOBILITY.slice(0, MOBILITY.indexOf('events:'))
    expect(after.startsWith(head)).toBe(true)
  })

  it('refuses an event with nothing to act on, with the reason', () => {
    const empty = 'format: hyperlab/experiment@1\nname: x\nduration_s: 10\nhosts: []\nvms: []\n'
    const result = addEvent(new DocumentEditor(empty), 'migrate', 1)
    expect(result).toEqual({ ok: false, reason: 'Add a VM first: a migrate event acts on a VM.' })
  })

  it('moves an event along the axis, clamped to the run, touching only its at_s', () => {
    const moved = apply(MOBILITY, (e) => moveEvent(e, 1, 22.34))
    expect(events(moved)[1]).toEqual({ at_s: 22.3, do: 'migrate', vm: 'mobile', to: 'esx2' })
    expect(events(moved)[0]).toEqual(events(MOBILITY)[0])
    expect(moved.replace('at_s: 22.3, do: migrate, vm: mobile', 'at_s: 15, do: migrate, vm: mobile')).toBe(MOBILITY)
    expect(events(apply(MOBILITY, (e) => moveEvent(e, 0, 999)))[0]!.at_s).toBe(40)
    expect(events(apply(MOBILITY, (e) => moveEvent(e, 0, -3)))[0]!.at_s).toBe(0)
    expect(clampTime(12.26, 40)).toBe(12.3)
  })

  it('sets a field from the ids the experiment offers', () => {
    expect(fieldChoices(parse(MOBILITY), 'to', { vm: 'mobile' })).toEqual(['esx2'])
    expect(fieldChoices(parse(MOBILITY), 'vm')).toEqual(['direct', 'mobile'])
    const changed = apply(MOBILITY, (e) => setEventField(e, 0, 'vm', 'mobile'))
    expect(events(changed)[0]).toEqual({ at_s: 15, do: 'migrate', vm: 'mobile', to: 'esx2' })
  })

  it('deletes an event; deleting the last leaves an empty list', () => {
    let t = apply(MOBILITY, (e) => removeEvent(e, 0))
    expect(events(t)).toEqual([{ at_s: 15, do: 'migrate', vm: 'mobile', to: 'esx2' }])
    t = apply(t, (e) => removeEvent(e, 0))
    expect(events(t)).toEqual([])
    expect(parseExperimentText(t).ok).toBe(true)
    expect(removeEvent(new DocumentEditor(t), 0)).toEqual({ ok: false, reason: 'events[0] does not exist.' })
  })

  it('undo returns the exact previous document after add, move and delete', () => {
    const history = new EditHistory()
    const steps: string[] = [MOBILITY]
    const edits: ((e: DocumentEditor) => EditResult)[] = [(e) => addEvent(e, 'clone', 30), (e) => moveEvent(e, 0, 8), (e) => removeEvent(e, 1)]
    let text = MOBILITY
    for (const edit of edits) {
      const next = apply(text, edit)
      expect(next).not.toBe(text)
      history.record(text, 'edit')
      text = next
      steps.push(text)
    }
    for (let i = steps.length - 2; i >= 0; i--) {
      text = history.undo(text)!
      expect(text).toBe(steps[i])
    }
    for (let i = 1; i < steps.length; i++) {
      text = history.redo(text)!
      expect(text).toBe(steps[i])
    }
  })

  it('an event the engine would refuse for a static reason is flagged at its field', () => {
    // A destination that does not exist: the checks name the field.
    const t = apply(MOBILITY, (e) => setEventField(e, 1, 'to', 'nowhere'))
    const out = parseExperimentText(t)
    expect(out.ok).toBe(false)
    expect(!out.ok && out.issues.some((i) => i.path.startsWith('events[1]') && i.path.includes('to'))).toBe(true)
  })
})
