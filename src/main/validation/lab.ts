/**
 * Small experiments for the published cases: one host with one local disk
 * (or SSD) and a 10 GbE NIC, `vms` identical VMs on it, each described by the
 * choice under test (hypervisor, CPU, technique, device, format). Each is
 * written in the public experiment format and checked by the real parser, so
 * a case runs exactly what a user's file would.
 */
import { runToEnd } from '../engine'
import { parseExperiment } from '../../shared/experiment/parse'
import { experimentSchema, type Experiment, type ExperimentInput } from '../../shared/experiment/schema'
import type { VmResult } from '../../shared/result'
import type { FormatId } from '../../shared/catalog'

type HostIn = ExperimentInput['hosts'][number]
type VmIn = ExperimentInput['vms'][number]
type DiskIn = NonNullable<HostIn['disks']>[number]

export interface Setup {
  hypervisor: string
  cpu: string
  workload: VmIn['workload']
  cpu_virt?: HostIn['cpu_virt']
  mmu_virt?: HostIn['mmu_virt']
  large_pages?: boolean
  /** A catalog disk model, or a whole host disk (for a device with a given service time). */
  disk?: string | Omit<DiskIn, 'id'>
  controller?: string
  /** The virtual disk maps the host disk directly (RDM, Hyper-V pass-through disk) instead of living on a volume. */
  raw?: boolean
  format?: FormatId
  /** allocated_pct of a growable virtual disk. */
  allocated?: number
  nic?: string
  paravirt?: boolean
  guest?: 'linux' | 'windows'
  vms?: number
  vcpus?: number
  /** Each VM's memory, GB (default 2; a working set must fit in it). */
  memory?: number
  duration?: number
}

/** Platforms the published cases measured, named by era. */
export const ESX35 = { hypervisor: 'esx-3.5', cpu: 'core2-penryn' }
export const NEHALEM = { hypervisor: 'esx-4.0', cpu: 'nehalem-x5570' }
export const BARCELONA = { hypervisor: 'esx-3.5', cpu: 'opteron-barcelona' }
export const P4 = { hypervisor: 'esx-3.5', cpu: 'pentium4-672' }

const volumeKind = (hv: string): 'vmfs' | 'ntfs' | 'ext3' => (hv.startsWith('esx') ? 'vmfs' : hv.startsWith('hyperv') ? 'ntfs' : 'ext3')

/** Parses an experiment document with the real schema and reference checks; throws on any issue. */
export function experiment(input: Omit<ExperimentInput, 'format' | 'name'> & { name?: string }): Experiment {
  const doc = experimentSchema.parse({ format: 'hyperlab/experiment@1', name: 'test', ...input })
  const checked = parseExperiment(doc)
  if (!checked.ok) throw new Error(`invalid experiment: ${JSON.stringify(checked.issues)}`)
  return checked.experiment
}

/** The experiment document for a setup. */
export function labExperiment(s: Setup): Omit<ExperimentInput, 'format'> {
  const n = s.vms ?? 1
  const controller = s.controller ?? (s.hypervisor.startsWith('esx') ? 'lsilogic' : s.hypervisor === 'xen-3.0' ? 'xen-blkfront' : 'ide')
  const disk: DiskIn = typeof s.disk === 'object' ? { id: 'd0', ...s.disk } : { id: 'd0', model: s.disk ?? 'hdd-7200' }
  return {
    name: 'calibration',
    duration_s: s.duration ?? 8,
    warmup_s: 1,
    sample_ms: 1000,
    hosts: [
      {
        id: 'h1',
        cpu: s.cpu,
        sockets: 2,
        hypervisor: s.hypervisor,
        cpu_virt: s.cpu_virt ?? 'auto',
        mmu_virt: s.mmu_virt ?? 'auto',
        large_pages: s.large_pages ?? false,
        memory_gb: 64,
        disks: [disk],
        nics: [{ id: 'n0', gbps: 10 }]
      }
    ],
    volumes: [{ id: 'v1', kind: volumeKind(s.hypervisor), on: 'h1/d0' }],
    vms: Array.from({ length: n }, (_, i) => ({
      id: `vm${i}`,
      host: 'h1',
      vcpus: s.vcpus ?? 1,
      memory_gb: s.memory ?? 2,
      guest: { os: s.guest ?? ('linux' as const), paravirt: s.paravirt ?? false },
      disks: [
        {
          model: controller,
          on: controller === 'passthrough' || s.raw ? 'h1/d0' : 'v1',
          ...(s.format ? { format: s.format } : {}),
          ...(s.allocated !== undefined ? { allocated_pct: s.allocated } : {})
        }
      ],
      nics: s.nic ? [{ model: s.nic, uplink: 'n0' }] : [],
      workload: s.workload
    }))
  }
}

/** Runs a setup; returns every VM's result. */
export function run(s: Setup, seed = 11): VmResult[] {
  const { result } = runToEnd(experiment(labExperiment(s)), seed)
  return Object.values(result.vms)
}

/** Runs a setup with one VM; returns its result. */
export const one = (s: Setup): VmResult => run(s)[0]!

/** Throughput, operations per second. */
export const tp = (r: VmResult): number => r.throughput_ops_s

/** CPU time per operation (guest and hypervisor, all vCPUs), µs. */
export function cpuUsPerOp(r: VmResult, vcpus = 1): number {
  const busy = (r.cpu.guest_pct + r.cpu.hypervisor_pct) / 100
  return (busy * vcpus * 1e6) / r.throughput_ops_s
}
