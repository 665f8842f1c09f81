/**
 * The catalog: every CPU, hypervisor, disk, virtual device, disk format and
 * workload an experiment can name, and the storage behind a SAN LUN (RAID
 * levels, fabrics, array controller), each keyed by id, each number with its
 * source. `techniques` holds the per-event costs of each virtualization
 * technique; `costModel` (exported beside `catalog`, not a section of it)
 * holds the constants of the cost model.
 *
 * Device ids carry their kind — `disk:<model>` and `nic:<model>` — because
 * `hyperv-synthetic` and `passthrough` exist both as a disk controller and as
 * a NIC; an experiment names the model inside a VM's `disks:` or `nics:`, so
 * use `diskDevice(model)` / `nicDevice(model)` to look one up.
 */
import { cpus } from './cpus'
import { hypervisors } from './hypervisors'
import { disks } from './disks'
import { devices } from './devices'
import { formats } from './formats'
import { workloads } from './workloads'
import { techniques, costModel } from './costs'
import { network } from './network'
import { volumeKinds, defaultFormatFor, VOLUME_KIND_IDS, type VolumeKindId, type VolumeKindSpec } from './volumes'
import { FORMAT_IDS, type FormatId } from './formats'
import { storage, raidLevels, fabrics, arrayControllers, defaultArrayController, clusterVolumes, defaultClusterVolume, fabricFor, RAID_LEVEL_IDS } from './storage'

/** Sections of entries keyed by id (each section's values are plain records, safe to send over IPC). */
export const catalog = { cpus, hypervisors, disks, devices, formats, volumes: volumeKinds, workloads, techniques, storage }

export { cpus, hypervisors, disks, devices, formats, workloads, techniques, costModel, network }
export { volumeKinds, defaultFormatFor, VOLUME_KIND_IDS, FORMAT_IDS, type VolumeKindId, type VolumeKindSpec, type FormatId }
export { storage, raidLevels, fabrics, arrayControllers, defaultArrayController, clusterVolumes, defaultClusterVolume, fabricFor, RAID_LEVEL_IDS }
export { diskDevice, nicDevice } from './devices'
export { SRC } from './sources'
export { buildPerOp } from './workloads'
export { resolveWorkload, type ResolvedWorkload } from './resolve'
export type * from './types'
export type { TechniqueId, TechniqueCosts, EventCost } from './costs'
