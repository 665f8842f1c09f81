/**
 * Where each virtual disk's blocks sit on a local physical disk: VM disks on
 * the same device are laid out one after another in the order the experiment
 * lists them (scaled down if they add up to more than the device holds). A
 * disk's seeks depend on it; the native baseline reuses the same layout so
 * that a VM alone seeks exactly as far inside its own region.
 */
import { catalog } from '../../../shared/catalog'
import type { Experiment } from '../../../shared/experiment/schema'
import { isDeviceRef } from '../../../shared/experiment/references'

export interface Region {
  start: number
  size: number
}

/** Key of a VM disk: `vmId#index`. */
export function regionKey(vmId: string, disk: number): string {
  return `${vmId}#${disk}`
}

/** The physical device (`host/disk` or `array/lun`) a VM disk ends on: named directly (pass-through, raw mapping), or its volume's. */
export function deviceOf(exp: Experiment, on: string, model: string): string {
  if (model === 'passthrough' || isDeviceRef(on)) return on
  const volume = exp.volumes.find((v) => v.id === on)
  if (!volume) throw new Error(`volume "${on}" does not exist`)
  return volume.on
}

export function layoutRegions(exp: Experiment): Map<string, Region> {
  const perDevice = new Map<string, Array<{ key: string; gb: number }>>()
  for (const vm of exp.vms) {
    vm.disks.forEach((d, i) => {
      const dev = deviceOf(exp, d.on, d.model)
      const list = perDevice.get(dev) ?? []
      list.push({ key: regionKey(vm.id, i), gb: d.gb })
      perDevice.set(dev, list)
    })
  }
  const out = new Map<string, Region>()
  for (const [dev, list] of perDevice) {
    const [owner, id] = dev.split('/') as [string, string]
    const host = exp.hosts.find((h) => h.id === owner)
    const disk = host?.disks.find((x) => x.id === id)
    const spec = disk ? catalog.disks[disk.model] : undefined
    const capacity = spec ? spec.capacityGb : Infinity
    const total = list.reduce((s, x) => s + x.gb, 0)
    const scale = Number.isFinite(capacity) && total > capacity ? capacity / total : 1
    let offset = 0
    for (const x of list) {
      const size = Number.isFinite(capacity) ? (x.gb * scale) / capacity : 1
      out.set(x.key, { start: Number.isFinite(capacity) ? offset : 0, size })
      offset += size
    }
  }
  return out
}
