/**
 * What a VM can be grouped by on the dashboard: its host, the arrays its
 * disks end on, its host's hypervisor and its workload, read from the run's
 * experiment. Groups are what keep 64 VMs readable: one hue per group, one
 * shade per member, and a group can be shown or hidden as a whole.
 */
import type { Experiment } from '../api/shared'

export const GROUP_KEYS = ['host', 'array', 'hypervisor', 'workload'] as const
export type GroupKey = (typeof GROUP_KEYS)[number]
export type GroupBy = GroupKey | 'none'

export const GROUP_LABELS: Record<GroupBy, string> = {
  none: 'No grouping',
  host: 'Host',
  array: 'Array',
  hypervisor: 'Hypervisor',
  workload: 'Workload'
}

export type VmFacets = Record<GroupKey, string>

/** Where a VM disk ends: an array's id, `local h1` for a host's own disk. */
function storageOf(exp: Experiment, on: string): string {
  const volume = exp.volumes.find((v) => v.id === on)
  const device = volume ? volume.on : on
  const owner = device.split('/')[0] ?? device
  if (exp.arrays.some((a) => a.id === owner)) return owner
  return `local ${owner}`
}

function workloadOf(w: Experiment['vms'][number]['workload']): string {
  if (typeof w === 'string') return w
  if ('preset' in w && typeof w.preset === 'string') return w.preset
  return 'custom'
}

/** Each VM's facets, in the experiment's order. */
export function vmFacets(exp: Experiment): Map<string, VmFacets> {
  const hypervisorOf = new Map(exp.hosts.map((h) => [h.id, h.hypervisor]))
  const out = new Map<string, VmFacets>()
  for (const vm of exp.vms) {
    const arrays = [...new Set(vm.disks.map((d) => storageOf(exp, d.on)))].sort()
    out.set(vm.id, {
      host: vm.host,
      array: arrays.length === 0 ? 'no disk' : arrays.join(' + '),
      hypervisor: hypervisorOf.get(vm.host) ?? 'unknown',
      workload: workloadOf(vm.workload)
    })
  }
  return out
}

export interface VmGroup {
  key: string
  /** "host h3", "array eva". */
  label: string
  vms: string[]
  /** The group's hue, degrees. */
  hue: number
}

/**
 * VMs in groups, in first-seen order (the experiment's), each group with its
 * own hue spread around the wheel. VMs without facets (not in the
 * experiment) go to a group of their own.
 */
export function groupVms(vms: readonly string[], facets: ReadonlyMap<string, VmFacets>, by: GroupBy): VmGroup[] {
  const groups = new Map<string, string[]>()
  for (const vm of vms) {
    const key = by === 'none' ? 'all' : (facets.get(vm)?.[by] ?? 'other')
    const list = groups.get(key)
    if (list) list.push(vm)
    else groups.set(key, [vm])
  }
  const keys = [...groups.keys()]
  return keys.map((key, i) => ({
    key,
    label: by === 'none' ? 'all VMs' : `${GROUP_LABELS[by].toLowerCase()} ${key}`,
    vms: groups.get(key)!,
    hue: groupHue(i, keys.length)
  }))
}

/** Hues apart by the golden angle, so neighbours differ even with many groups; one group keeps the lab's blue. */
export function groupHue(index: number, count: number): number {
  if (count <= 1) return 207
  return (207 + index * 137.508) % 360
}

/**
 * A member's colour: its group's hue, lighter or darker by its place in the
 * group (dark to light), so lines of one group read as one family yet stay
 * apart. Without groups, every VM gets its own hue instead.
 */
export function memberColour(hue: number, index: number, count: number): string {
  const lightness = count <= 1 ? 60 : 40 + (35 * index) / (count - 1)
  return `hsl(${hue.toFixed(1)}, 70%, ${lightness.toFixed(1)}%)`
}

/** One hue each, spread around the wheel (ungrouped VMs, hosts). */
export function distinctColours(ids: readonly string[]): Map<string, string> {
  return new Map(ids.map((id, i) => [id, memberColour(groupHue(i, ids.length), 1, 3)]))
}

/** Colour of every VM: by group and member, or (no grouping) one hue each. */
export function vmColours(groups: readonly VmGroup[], by: GroupBy): Map<string, string> {
  if (by === 'none') return distinctColours(groups.flatMap((g) => g.vms))
  const out = new Map<string, string>()
  for (const g of groups) g.vms.forEach((vm, i) => out.set(vm, memberColour(g.hue, i, g.vms.length)))
  return out
}
