/**
 * The builder's store against an in-memory lab: every edit is autosaved as
 * the draft, and a new window (a reload, or a crash and restart) restores
 * exactly that draft; undo crosses canvas edits and typing alike.
 */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { installLabApi } from '../../../src/renderer/src/api'
import type { LabApi } from '../../../src/renderer/src/api/shared'
import { addEvent, moveEvent, removeEvent } from '../../../src/renderer/src/builder/timeline'
import { useBuilderStore } from '../../../src/renderer/src/stores/builder'
import { exampleFiles } from './examples'

type Draft = { text: string; experiment_id: string | null; origin: string; layout: Record<string, { x: number; y: number }>; updated_at: string }

/** A lab that keeps drafts and experiments in memory. */
function memoryLab() {
  const state = { draft: null as Draft | null, experiments: new Map<string, { id: string; name: string; text: string; created_at: string; updated_at: string }>(), saves: 0 }
  const api = {
    drafts: {
      get: async () => state.draft,
      save: async (d: Omit<Draft, 'updated_at'>) => {
        state.saves++
        state.draft = { ...(JSON.parse(JSON.stringify(d)) as Omit<Draft, 'updated_at'>), updated_at: new Date().toISOString() }
        return { updated_at: state.draft.updated_at }
      }
    },
    experiments: {
      get: async ({ id }: { id: string }) => {
        const e = state.experiments.get(id)
        if (!e) throw new Error('not found')
        return e
      },
      save: async ({ text, id }: { text: string; id?: string }) => {
        const record = { id: id ?? `e${state.experiments.size + 1}`, name: 'saved', text, created_at: '', updated_at: '' }
        state.experiments.set(record.id, record)
        return record
      }
    }
  } as unknown as LabApi
  installLabApi(api)
  return state
}

const example = (name: string): string => exampleFiles.find(([f]) => f === name)![1]

describe('builder store', () => {
  let lab: ReturnType<typeof memoryLab>
  beforeEach(() => {
    lab = memoryLab()
    setActivePinia(createPinia())
  })

  it('autosaves the draft, and a new window restores it exactly, positions included', async () => {
    const builder = useBuilderStore()
    await builder.restore()
    builder.load(example('san-lun-fc.yaml'), 'Preset “SAN”')
    expect(builder.apply((e) => e.addVm('host:h1'))).toBe(true)
    builder.moveNode('host:h1', { x: 40.4, y: 80.6 })
    await builder.autosaveNow()
    const written = builder.text
    expect(lab.draft?.text).toBe(written)

    // A reload: a fresh store in a fresh app, the same lab.
    setActivePinia(createPinia())
    const again = useBuilderStore()
    await again.restore()
    expect(again.text).toBe(written)
    expect(again.origin).toBe('Preset “SAN”')
    expect(again.layout).toEqual({ 'host:h1': { x: 40, y: 81 } })
    expect(again.graph.nodes.some((n) => n.id === 'vm:vm1')).toBe(true)
  })

  it('keeps an invalid draft as it is: nothing typed is lost', async () => {
    const builder = useBuilderStore()
    await builder.restore()
    builder.typed('format: hyperlab/experiment@1\nname: half [typed\n')
    builder.settle()
    expect(builder.valid).toBe(false)
    await builder.autosaveNow()
    setActivePinia(createPinia())
    const again = useBuilderStore()
    await again.restore()
    expect(again.text).toBe('format: hyperlab/experiment@1\nname: half [typed\n')
  })

  it('timeline edits go through the same history and autosave: key presses on one event make one step', async () => {
    const builder = useBuilderStore()
    await builder.restore()
    builder.load(example('passthrough-vs-vmxnet3-mobility.yaml'), 'Preset “mobility”')
    const opened = builder.text
    expect(builder.apply((e) => addEvent(e, 'snapshot', 20))).toBe(true)
    const added = builder.text
    expect(builder.valid).toBe(true)
    // Three arrow presses in a row on one event: one undo step.
    for (const at of [21, 22, 23]) builder.apply((e) => moveEvent(e, 1, at), 'timeline-move-1')
    expect(builder.text).toContain('{ at_s: 23, do: migrate, vm: mobile, to: esx2 }')
    expect(builder.apply((e) => removeEvent(e, 2))).toBe(true)
    await builder.autosaveNow()
    expect(lab.draft?.text).toBe(builder.text)
    builder.undo()
    builder.undo()
    expect(builder.text).toBe(added)
    builder.undo()
    expect(builder.text).toBe(opened)
  })

  it('undoes canvas edits and typing in one history, to the exact text', () => {
    const builder = useBuilderStore()
    builder.load(example('esx35-vs-native.yaml'), 'x')
    const opened = builder.text
    builder.apply((e) => e.addVm('host:h1'))
    const afterVm = builder.text
    builder.typed(builder.text.replace('name: One VM alone on ESX 3.5 vs native', 'name: Renamed'))
    builder.undo()
    expect(builder.text).toBe(afterVm)
    builder.undo()
    expect(builder.text).toBe(opened)
    builder.redo()
    builder.redo()
    expect(builder.text).toContain('name: Renamed')
  })

  it('refuses to save an invalid experiment and says why, keeping the draft', async () => {
    const builder = useBuilderStore()
    await builder.restore()
    builder.newExperiment()
    expect(await builder.save()).toBe(false)
    expect(builder.saveError).toMatch(/hosts: needs at least 1 item/)
    builder.load(example('san-lun-fc.yaml'), 'x')
    expect(await builder.save()).toBe(true)
    expect(builder.experimentId).toBe('e1')
    expect(builder.dirty).toBe(false)
  })
})
