/**
 * Small experiments for calibration and model tests: one host with one local
 * disk (or SSD) and a 10 GbE NIC, `vms` identical VMs on it, each described
 * by the choice under test (hypervisor, CPU, technique, device, format). Each
 * is written in the public experiment format and checked by the real parser.
 */
import { runToEnd } from '../../src/main/engine'
import type { ExperimentInput } from '../../src/shared/experiment/schema'
import type { VmResult } from '../../src/shared/result'
import { experiment } from '../engine/helpers'

type HostIn = ExperimentInput['hosts'][number]
type VmIn = ExperimentInput['vms'][number]

export interface Setup {
  hypervisor: string
  cpu: string
  workload: VmIn['workload']
  cpu_virt?: HostIn['cpu_virt']
  mmu_virt?: HostIn['mmu_virt']
  large_pages?: boolean
  disk?: string
  controller?: string
  format?: string
  /** allocated_pct of a growable virtual disk. */
  allocated?: number
  nic?: string
  paravirt?: boolean
  vms?: number
  duration?: number
}

/** Platforms the calibration sources measured, named by era. */
export const ESX35 = { hypervisor: 'esx-3.5', cpu: 'core2-penryn' }
export const NEHALEM = { hypervisor: 'esx-4.0', cpu: 'nehalem-x5570' }
export const BARCELONA = { hypervisor: 'esx-3.5', cpu: 'opteron-barcelona' }
export const P4 = { hypervisor: 'esx-3.5', cpu: 'pentium4-672' }

const volumeKind = (hv: string): 'vmfs' | 'ntfs' | 'ext3' => (hv.startsWith('esx') ? 'vmfs' : hv.startsWith('hyperv') ? 'ntfs' : 'ext3')

/** The experiment document for a setup. */
export function labExperiment(s: Setup): Omit<ExperimentInput, 'format'> {
  const n = s.vms ?? 1
  const controller = s.controller ?? (s.hypervisor.startsWith('esx') ? 'lsilogic' : s.hypervisor === 'xen-3.0' ? 'xen-blkfront' : 'ide')
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
        disks: [{ id: 'd0', model: s.disk ?? 'hdd-7200' }],
        nics: [{ id: 'n0', gbps: 10 }]
      }
    ],
    volumes: [{ id: 'v1', kind: volumeKind(s.hypervisor), on: 'h1/d0' }],
    vms: Array.from({ length: n }, (_, i) => ({
      id: `vm${i}`,
      host: 'h1',
      guest: { os: 'linux' as const, paravirt: s.paravirt ?? false },
      disks: [
        {
          model: controller,
          on: controller === 'passthrough' ? 'h1/d0' : 'v1',
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
