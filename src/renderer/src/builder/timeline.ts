/**
 * The experiment's timeline as the builder edits it: the `events:` list read
 * from a document that may not be valid yet, the ids each field of an event
 * may name, and the edits (add an event of a kind, move it along the time
 * axis, set one of its fields, delete it). Every edit works on the `yaml`
 * Document of a DocumentEditor and returns the new text, so undo, autosave,
 * validation and the text view follow it like any canvas edit.
 */
import { isSeq, type YAMLSeq } from 'yaml'
import { EVENT_KINDS, experimentEvents, LIMITS, type EventKind } from '../api/shared'
import type { DocumentEditor, EditResult } from './edits'
import { isRec, list, loose, num, str, type Rec } from './loose'
import { renderEdited } from './yamlText'

/** The fields an event of each kind names besides `at_s` and `do` (the schema's variants). */
export const EVENT_FIELDS: Record<EventKind, readonly TimelineField[]> = {
  start: ['vm'],
  stop: ['vm'],
  'add-vm': ['vm'],
  'set-workload': ['vm', 'workload'],
  migrate: ['vm', 'to'],
  snapshot: ['vm'],
  'delete-snapshot': ['vm'],
  clone: ['vm'],
  'fail-path': ['array', 'host'],
  'restore-path': ['array', 'host']
}
export type TimelineField = 'vm' | 'to' | 'array' | 'host' | 'workload'

export const FIELD_LABELS: Record<TimelineField, string> = { vm: 'VM', to: 'Destination host', array: 'Array', host: 'Host', workload: 'Workload' }

/** One event as drawn: its place in the list, its time and kind, and what it names. */
export interface TimelineEvent {
  index: number
  at_s: number | null
  do: string
  known: boolean
  fields: Partial<Record<TimelineField, string>>
  /** A short line: "migrate mobile → esx2". */
  label: string
}

export function eventLabel(e: Rec): string {
  const kind = str(e.do) || '(no kind)'
  if (kind === 'migrate') return `${kind} ${str(e.vm) || '?'} → ${str(e.to) || '?'}`
  if (kind === 'fail-path' || kind === 'restore-path') return `${kind} ${str(e.host) || '?'} → ${str(e.array) || '?'}`
  if (kind === 'set-workload') {
    const w = e.workload
    const name = typeof w === 'string' ? w : isRec(w) ? str(w.preset) || 'custom' : '?'
    return `${kind} ${str(e.vm) || '?'}: ${name}`
  }
  return `${kind} ${str(e.vm) || '?'}`
}

/** The events of a (possibly incomplete) experiment value, in document order. */
export function timelineEvents(value: unknown): TimelineEvent[] {
  return loose(value).events.map((e, index) => {
    const kind = str(e.do)
    const fields: Partial<Record<TimelineField, string>> = {}
    for (const f of ['vm', 'to', 'array', 'host'] as const) if (e[f] !== undefined) fields[f] = str(e[f])
    if (e.workload !== undefined) fields.workload = typeof e.workload === 'string' ? e.workload : isRec(e.workload) ? str(e.workload.preset) : ''
    return { index, at_s: num(e.at_s), do: kind, known: (EVENT_KINDS as readonly string[]).includes(kind), fields, label: eventLabel(e) }
  })
}

/** The experiment's run length, for the axis (the format's default when missing or not a number). */
export function timelineDuration(value: unknown): number {
  const d = num(loose(value).root.duration_s)
  return d !== null && d > 0 ? d : 30
}

/** The ids a field of an event may name, from the experiment as it stands. */
export function fieldChoices(value: unknown, field: TimelineField, event?: Rec): string[] {
  const exp = loose(value)
  switch (field) {
    case 'vm':
      return exp.vms.map((v) => str(v.id)).filter((id) => id !== '')
    case 'to': {
      // Another host than the VM's own.
      const vm = exp.vms.find((v) => v.id === event?.vm)
      return exp.hosts.map((h) => str(h.id)).filter((id) => id !== '' && id !== str(vm?.host))
    }
    case 'host': {
      // The hosts with a path to the chosen array, else every host.
      const array = exp.arrays.find((a) => a.id === event?.array)
      const withPath = list(array?.paths).map((p) => str(p.host)).filter((h) => h !== '')
      return withPath.length > 0 ? [...new Set(withPath)] : exp.hosts.map((h) => str(h.id)).filter((id) => id !== '')
    }
    case 'array':
      return exp.arrays.map((a) => str(a.id)).filter((id) => id !== '')
    case 'workload':
      return []
  }
}

/** A time on the axis as the format writes it: within 0…duration, to a tenth of a second. */
export function clampTime(at: number, duration: number): number {
  const bounded = Math.min(Math.max(at, 0), Math.min(duration, LIMITS.durationS))
  return Math.round(bounded * 10) / 10
}

function eventsSeq(editor: DocumentEditor): YAMLSeq | null {
  const found = editor.doc.getIn(['events'], true)
  return isSeq(found) ? found : null
}

function uneditable(editor: DocumentEditor): EditResult | null {
  if (editor.editable) return null
  return { ok: false, reason: 'The text is not valid YAML or not an experiment: fix it in the text view to edit the timeline.' }
}

function done(editor: DocumentEditor, summary: string): EditResult {
  return { ok: true, text: renderEdited(editor.text, editor.doc), select: [], summary }
}

/**
 * Adds an event of `kind` at `at_s`, naming the first VM (and a host other
 * than its own, the first array and a host with a path to it) so it is
 * complete at once; the user picks others afterwards. Events stay in time order.
 */
export function addEvent(editor: DocumentEditor, kind: EventKind, at_s: number): EditResult {
  const refused = uneditable(editor)
  if (refused) return refused
  const value = editor.value
  const exp = loose(value)
  const count = exp.events.length
  if (count >= LIMITS.eventsPerExperiment) return { ok: false, reason: `events: at most ${LIMITS.eventsPerExperiment} events in an experiment.` }
  const spec = experimentEvents[kind]
  const event: Rec = { at_s: clampTime(at_s, timelineDuration(value)), do: kind }
  if (spec.subject === 'vm') {
    const vm = fieldChoices(value, 'vm')[0]
    if (!vm) return { ok: false, reason: `Add a VM first: a ${kind} event acts on a VM.` }
    event.vm = vm
    if (kind === 'migrate') {
      const to = fieldChoices(value, 'to', event)[0]
      if (!to) return { ok: false, reason: `Add a second host first: ${vm} can only migrate to another host.` }
      event.to = to
    }
    if (kind === 'set-workload') {
      const current = exp.vms.find((v) => v.id === vm)?.workload
      event.workload = structuredClone(current ?? 'cpu-int')
    }
  } else {
    const array = fieldChoices(value, 'array')[0]
    if (!array) return { ok: false, reason: `Add a SAN array first: ${kind} acts on a host's path to an array.` }
    event.array = array
    const host = fieldChoices(value, 'host', event)[0]
    if (!host) return { ok: false, reason: `Add a host first: ${kind} acts on a host's path to an array.` }
    event.host = host
  }
  // After the last event at or before this time, so the list reads in time order.
  const at = event.at_s as number
  let position = count
  const times = exp.events.map((e) => num(e.at_s))
  const after = times.findIndex((t) => t !== null && t > at)
  if (after !== -1) position = after
  const node = editor.doc.createNode(event)
  node.flow = true
  let seq = eventsSeq(editor)
  if (!seq) {
    editor.doc.setIn(['events'], editor.doc.createNode([]))
    seq = eventsSeq(editor)!
    seq.flow = false
  }
  if (seq.flow && seq.items.length === 0) seq.flow = false
  seq.items.splice(position, 0, node)
  return done(editor, `Added ${eventLabel(event)} at ${at} s`)
}

/** Moves event `index` to `at_s` (clamped to the run); its place in the list stays, so references to it in the text do too. */
export function moveEvent(editor: DocumentEditor, index: number, at_s: number): EditResult {
  const refused = uneditable(editor)
  if (refused) return refused
  const event = loose(editor.value).events[index]
  if (!event) return { ok: false, reason: `events[${index}] does not exist.` }
  const at = clampTime(at_s, timelineDuration(editor.value))
  editor.doc.setIn(['events', index, 'at_s'], at)
  return done(editor, `Moved ${eventLabel(event)} to ${at} s`)
}

/** Sets a field of event `index` (a VM, host, array or workload preset); the kind changes with `do`. */
export function setEventField(editor: DocumentEditor, index: number, field: TimelineField, value: string): EditResult {
  const refused = uneditable(editor)
  if (refused) return refused
  const event = loose(editor.value).events[index]
  if (!event) return { ok: false, reason: `events[${index}] does not exist.` }
  if (value === '') return { ok: false, reason: `events[${index}].${field}: choose a value.` }
  const existing = editor.doc.getIn(['events', index, field], true)
  if (field === 'workload' && isRec(event.workload)) {
    // A workload written as a map keeps its other settings; only the preset changes.
    editor.doc.setIn(['events', index, 'workload', 'preset'], value)
  } else if (existing !== undefined && typeof existing === 'object' && existing !== null && 'value' in existing) {
    ;(existing as { value: unknown }).value = value
  } else editor.doc.setIn(['events', index, field], value)
  return done(editor, `Set events[${index}].${field} to ${value}`)
}

/** Deletes event `index`. */
export function removeEvent(editor: DocumentEditor, index: number): EditResult {
  const refused = uneditable(editor)
  if (refused) return refused
  const event = loose(editor.value).events[index]
  if (!event) return { ok: false, reason: `events[${index}] does not exist.` }
  editor.doc.deleteIn(['events', index])
  const seq = eventsSeq(editor)
  if (seq && seq.items.length === 0) seq.flow = true
  return done(editor, `Deleted ${eventLabel(event)} at ${str(event.at_s)} s`)
}
