/**
 * What the text view offers to complete: the keys the format allows in the
 * object under the cursor (from the schema itself), the values an enum
 * takes, catalog ids where a field names the catalog (with each entry's
 * one-line summary), and ids the document defines where a field refers to
 * one (a VM's host, a disk's volume, a path's adapter).
 */
import { slotAt, type PathPart } from '../api/shared'
import {
  cpuChoices,
  diskControllerChoices,
  diskModelChoices,
  formatChoices,
  hypervisorChoices,
  nicModelChoices,
  raidChoices,
  workloadChoices,
  type Choice
} from './fields'
import { isRec, list, loose, str, valueAt } from './loose'
import type { CursorContext } from './yamlLocate'

export interface Suggestion {
  label: string
  detail: string
  info: string
  kind: 'key' | 'value'
}

function fromChoices(choices: Choice[]): Suggestion[] {
  return choices.map((c) => ({ label: c.value, detail: c.label === c.value ? '' : c.label, info: [c.explanation, c.source && `Source: ${c.source}`].filter(Boolean).join('\n'), kind: 'value' }))
}

function ids(values: string[], detail: string): Suggestion[] {
  return values.filter((v) => v !== '').map((v) => ({ label: v, detail, info: '', kind: 'value' }))
}

/** The record at `path` in the plain document value. */
function recordAt(value: unknown, path: readonly PathPart[]): Record<string, unknown> {
  const node = valueAt(value, path)
  return isRec(node) ? node : {}
}

export function suggestionsFor(ctx: CursorContext, value: unknown): Suggestion[] {
  if (ctx.at === 'key') {
    const here = recordAt(value, ctx.path)
    const slot = slotAt(ctx.path)
    return slot.keys
      .filter((k) => !(k in here) || here[k] === null)
      .map((k) => ({ label: k, detail: slot.required.includes(k) ? 'required' : '', info: '', kind: 'key' }))
  }
  const exp = loose(value)
  const [top, index, sub] = ctx.path
  const vm = top === 'vms' && typeof index === 'number' ? exp.vms[index] : undefined
  const hostOfVm = vm ? exp.hosts.find((h) => h.id === vm.host) : undefined
  const hv = str(hostOfVm?.hypervisor)
  switch (ctx.key) {
    case 'cpu':
      return fromChoices(cpuChoices())
    case 'hypervisor':
      return fromChoices(hypervisorChoices())
    case 'workload':
    case 'preset':
      return fromChoices(workloadChoices())
    case 'raid':
      return fromChoices(raidChoices())
    case 'model':
      if (top === 'vms' && sub === 'nics') return fromChoices(nicModelChoices(hv))
      if (top === 'vms' && sub === 'disks') return fromChoices(diskControllerChoices(hv))
      return fromChoices(diskModelChoices())
    case 'format': {
      const disk = recordAt(value, ctx.path)
      const volume = exp.volumes.find((v) => v.id === disk.on)
      return fromChoices(formatChoices(str(volume?.kind) || 'vmfs'))
    }
    case 'host':
    case 'to':
    case 'coordinator':
      return ids(exp.hosts.map((h) => str(h.id)), 'host')
    case 'vm':
      return ids(exp.vms.map((v) => str(v.id)), 'VM')
    case 'array':
      return ids(exp.arrays.map((a) => str(a.id)), 'array')
    case 'uplink':
      return ids(list(hostOfVm?.nics).map((n) => str(n.id)), `NIC of ${str(hostOfVm?.id)}`)
    case 'via': {
      const path = recordAt(value, ctx.path)
      const host = exp.hosts.find((h) => h.id === path.host)
      return ids([...list(host?.hbas), ...list(host?.nics)].map((a) => str(a.id)), `adapter of ${str(host?.id)}`)
    }
    case 'on': {
      const devices = [
        ...exp.arrays.flatMap((a) => list(a.luns).map((l) => `${str(a.id)}/${str(l.id)}`)),
        ...exp.hosts.flatMap((h) => list(h.disks).map((d) => `${str(h.id)}/${str(d.id)}`))
      ]
      const disk = recordAt(value, ctx.path)
      if (top === 'volumes' || disk.model === 'passthrough') return ids(devices, 'device')
      return ids(exp.volumes.map((v) => str(v.id)), 'volume')
    }
    default: {
      const slot = slotAt([...ctx.path, ctx.key])
      if (slot.values.length > 0) return ids(slot.values, '')
      if (slot.kind === 'boolean') return ids(['true', 'false'], '')
      return []
    }
  }
}
