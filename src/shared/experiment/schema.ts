/**
 * The experiment document, format 1 (docs/experiment-format.md), as zod
 * schemas. Shapes and bounds only; references between parts (a VM's host, a
 * disk's volume) and catalog names are checked in `references.ts`.
 * Every object is strict: an unknown key is an error, never ignored.
 */
import { z } from 'zod'
import { idSchema } from '../ids'
import { LIMITS } from '../limits'
import { FORMAT_IDS, RAID_LEVEL_IDS, VOLUME_KIND_IDS } from '../catalog/ids'
import { network } from '../catalog/network'
import { arrivalSchema, distributionSchema, perOpSchema } from './demands'
import type { EventKind } from './events'
import { sweepSchema } from './sweepSchema'

export { arrivalSchema, diskDemandSchema, distributionSchema, netDemandSchema, perOpSchema, type Arrival, type Distribution, type PerOp } from './demands'

export const EXPERIMENT_FORMAT = 'hyperlab/experiment@1'

const positive = (max: number) => z.number().positive().max(max)
const count = (max: number) => z.number().min(0).max(max)
const intIn = (min: number, max: number) => z.number().int().min(min).max(max)

export const hostNicSchema = z.strictObject({
  id: idSchema,
  gbps: positive(LIMITS.gbps),
  sriov: z.boolean().default(false)
})

export const hostHbaSchema = z.strictObject({
  id: idSchema,
  kind: z.enum(['fc', 'iscsi']),
  gbps: positive(LIMITS.gbps),
  queue_depth: intIn(1, 4096).default(32)
})

export const hostDiskSchema = z.strictObject({
  id: idSchema,
  model: z.string().min(1),
  servers: intIn(1, LIMITS.servers).optional(),
  service_ms: distributionSchema.optional()
})

export const hostSchema = z.strictObject({
  id: idSchema,
  cpu: z.string().min(1),
  sockets: intIn(1, LIMITS.socketsPerHost).default(1),
  memory_gb: positive(LIMITS.memoryGb).default(64),
  hypervisor: z.string().min(1),
  cpu_virt: z.enum(['auto', 'bt', 'hw', 'pv']).default('auto'),
  mmu_virt: z.enum(['auto', 'shadow', 'nested']).default('auto'),
  large_pages: z.boolean().default(false),
  nics: z.array(hostNicSchema).max(LIMITS.devicesPerHost).default([]),
  hbas: z.array(hostHbaSchema).max(LIMITS.devicesPerHost).default([]),
  disks: z.array(hostDiskSchema).max(LIMITS.devicesPerHost).default([])
})

export const arraySchema = z.strictObject({
  id: idSchema,
  protocol: z.enum(['fc', 'iscsi']),
  disks: z.strictObject({
    model: z.string().min(1),
    count: intIn(1, LIMITS.arrayDisks),
    raid: z.enum(RAID_LEVEL_IDS),
    service_ms: distributionSchema.optional()
  }),
  cache: z
    .strictObject({
      gb: count(4096),
      read_hit: z.number().min(0).max(1),
      write_back: z.boolean()
    })
    .default({ gb: 0, read_hit: 0, write_back: false }),
  lun_queue_depth: intIn(1, 65_536).default(256),
  luns: z.array(z.strictObject({ id: idSchema, gb: positive(LIMITS.diskGb) })).min(1).max(1024),
  paths: z.array(z.strictObject({ host: idSchema, via: idSchema })).max(LIMITS.hosts * 8).default([])
})

export const volumeSchema = z.strictObject({
  id: idSchema,
  kind: z.enum(VOLUME_KIND_IDS),
  on: z.string().min(1),
  hosts: z.array(idSchema).max(LIMITS.hosts).optional(),
  coordinator: idSchema.optional()
})

export const customWorkloadSchema = z.strictObject({
  kind: z.literal('custom'),
  arrival: arrivalSchema,
  per_op: perOpSchema
})

/** A catalog preset with some of its parameters set; which ones a preset takes is checked against the catalog. */
export const presetWorkloadSchema = z.strictObject({
  preset: z.string().min(1),
  arrival: arrivalSchema.optional(),
  kb: positive(16_384).optional(),
  read_pct: z.number().min(0).max(100).optional(),
  pattern: z.enum(['random', 'sequential']).optional(),
  direction: z.enum(['tx', 'rx']).optional(),
  mtu: intIn(network.minMtu, network.maxMtu).optional(),
  /** At most the largest VM's memory; references.ts checks it against this VM's. */
  working_set_mb: positive(LIMITS.memoryGb * 1024).optional(),
  page_kb: z.union([z.literal(4), z.literal(2048)]).optional()
})

export const workloadSchema = z.union([z.string().min(1), customWorkloadSchema, presetWorkloadSchema])

export const vmSchema = z.strictObject({
  id: idSchema,
  host: idSchema,
  vcpus: intIn(1, LIMITS.vcpus).default(1),
  memory_gb: positive(LIMITS.memoryGb).default(2),
  guest: z
    .strictObject({ os: z.enum(['linux', 'windows']).default('linux'), paravirt: z.boolean().default(false) })
    .default({ os: 'linux', paravirt: false }),
  nics: z
    .array(z.strictObject({ model: z.string().min(1), uplink: idSchema }))
    .max(LIMITS.devicesPerVm)
    .default([]),
  disks: z
    .array(
      z.strictObject({
        model: z.string().min(1),
        on: z.string().min(1),
        gb: positive(LIMITS.diskGb).default(20),
        format: z.enum(FORMAT_IDS).optional(),
        /** Share of a growable disk (thin, dynamic VHD, qcow2) already allocated when the run starts; a new disk when omitted. */
        allocated_pct: z.number().min(0).max(100).optional()
      })
    )
    .max(LIMITS.devicesPerVm)
    .default([]),
  swap: z.strictObject({ on: idSchema }).optional(),
  workload: workloadSchema
})

const at = z.number().min(0).max(LIMITS.durationS)

/** One variant per kind of docs/experiment-format.md's timeline; the kinds and their flags are in events.ts. */
export const eventSchema = z.discriminatedUnion('do', [
  z.strictObject({ at_s: at, do: z.literal('start'), vm: idSchema }),
  z.strictObject({ at_s: at, do: z.literal('stop'), vm: idSchema }),
  z.strictObject({ at_s: at, do: z.literal('add-vm'), vm: idSchema }),
  z.strictObject({ at_s: at, do: z.literal('set-workload'), vm: idSchema, workload: workloadSchema }),
  z.strictObject({ at_s: at, do: z.literal('migrate'), vm: idSchema, to: idSchema }),
  z.strictObject({ at_s: at, do: z.literal('snapshot'), vm: idSchema }),
  z.strictObject({ at_s: at, do: z.literal('delete-snapshot'), vm: idSchema }),
  z.strictObject({ at_s: at, do: z.literal('clone'), vm: idSchema }),
  z.strictObject({ at_s: at, do: z.literal('fail-path'), array: idSchema, host: idSchema }),
  z.strictObject({ at_s: at, do: z.literal('restore-path'), array: idSchema, host: idSchema })
])

// The union covers exactly the registry's kinds (a kind added on one side only fails to compile).
type SameKinds<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const kindsMatch: SameKinds<z.output<typeof eventSchema>['do'], EventKind> = true
void kindsMatch

export const experimentSchema = z.strictObject({
  format: z.literal(EXPERIMENT_FORMAT),
  name: z.string().min(1).max(LIMITS.nameChars),
  description: z.string().max(20_000).default(''),
  seed: z.number().int().min(0).max(4_294_967_295).default(1),
  duration_s: positive(LIMITS.durationS),
  warmup_s: count(LIMITS.durationS).default(0),
  sample_ms: z.number().min(LIMITS.sampleMsMin).max(LIMITS.sampleMsMax).default(250),
  baseline: z.enum(['native', 'none']).default('native'),
  hosts: z.array(hostSchema).min(1).max(LIMITS.hosts),
  arrays: z.array(arraySchema).max(LIMITS.arrays).default([]),
  volumes: z.array(volumeSchema).max(LIMITS.volumes).default([]),
  vms: z.array(vmSchema).min(1).max(LIMITS.vms),
  events: z.array(eventSchema).max(LIMITS.eventsPerExperiment).default([]),
  /** Points that vary this experiment, and replications of each (sweep.ts). */
  sweep: sweepSchema.optional()
})

export type Experiment = z.output<typeof experimentSchema>
export type ExperimentInput = z.input<typeof experimentSchema>
export type Host = Experiment['hosts'][number]
export type StorageArray = Experiment['arrays'][number]
export type Volume = Experiment['volumes'][number]
export type Vm = Experiment['vms'][number]
export type VmDisk = Vm['disks'][number]
export type Workload = z.output<typeof workloadSchema>
export type CustomWorkload = z.output<typeof customWorkloadSchema>
export type PresetWorkload = z.output<typeof presetWorkloadSchema>
export type ExperimentEvent = Experiment['events'][number]
