/** Small builders shared by the tests: a valid base experiment to mutate. */
import { stringify } from 'yaml'
import type { ExperimentInput } from '../src/shared/experiment'

export function baseExperiment(): ExperimentInput {
  return {
    format: 'hyperlab/experiment@1',
    name: 'base',
    seed: 1,
    duration_s: 10,
    sample_ms: 500,
    hosts: [
      {
        id: 'h1',
        cpu: 'nehalem-x5570',
        sockets: 2,
        memory_gb: 48,
        hypervisor: 'esx-4.0',
        nics: [{ id: 'n0', gbps: 1 }],
        hbas: [{ id: 'fc0', kind: 'fc', gbps: 4 }],
        disks: [{ id: 'd0', model: 'hdd-7200' }]
      }
    ],
    arrays: [
      {
        id: 'eva',
        protocol: 'fc',
        disks: { model: 'hdd-15k', count: 14, raid: 'raid10' },
        luns: [{ id: 'lun1', gb: 500 }],
        paths: [{ host: 'h1', via: 'fc0' }]
      }
    ],
    volumes: [
      { id: 'local1', kind: 'vmfs', on: 'h1/d0' },
      { id: 'ds1', kind: 'vmfs', on: 'eva/lun1', hosts: ['h1'] }
    ],
    vms: [
      {
        id: 'vm1',
        host: 'h1',
        vcpus: 1,
        memory_gb: 2,
        nics: [{ model: 'vmxnet3', uplink: 'n0' }],
        disks: [{ model: 'pvscsi', on: 'ds1', gb: 20, format: 'thick' }],
        workload: 'oltp'
      }
    ]
  }
}

export function toYaml(value: unknown): string {
  return stringify(value, { aliasDuplicateObjects: false })
}
