/**
 * Storage topologies (docs/model.md §5): sequential streams on one disk, and
 * a SAN LUN over FC — spindles as parallel servers, HBA queue depth, RAID
 * write penalty, controller cache — checked against first principles with
 * `custom` spindles whose service time is known exactly.
 */
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import type { ExperimentInput } from '../../src/shared/experiment/schema'
import type { VmResult } from '../../src/shared/result'
import { one } from '../calibration/lab'
import { experiment, shortRun } from './helpers'

type ArrayIn = NonNullable<ExperimentInput['arrays']>[number]

describe('sequential streams on one disk', () => {
  const seq = (vms: number) => {
    const exp = experiment({
      ...shortRun(5),
      hosts: [{ id: 'h1', cpu: 'nehalem-x5570', hypervisor: 'esx-4.0', disks: [{ id: 'd0', model: 'hdd-7200' }] }],
      volumes: [{ id: 'v1', kind: 'vmfs', on: 'h1/d0' }],
      vms: Array.from({ length: vms }, (_, i) => ({
        id: `s${i}`,
        host: 'h1',
        disks: [{ model: 'pvscsi', on: 'v1', gb: 100 }],
        workload: 'disk-seq'
      }))
    })
    return Object.values(runToEnd(exp, 5).result.vms)
  }
  const mbs = (rs: VmResult[]) => rs.reduce((s, r) => s + r.disk.mb_s, 0)

  it('one stream runs near the media rate; two interleaved streams pay seeks and lose most of it', () => {
    const alone = mbs(seq(1))
    expect(alone).toBeGreaterThan(0.7 * 80) // 80 MB/s media rate of the catalog's 7,200 rpm disk
    expect(alone).toBeLessThanOrEqual(80)
    const two = mbs(seq(2))
    expect(two).toBeLessThan(0.5 * alone)
  })
})

describe('SAN LUN over FC', () => {
  const SERVICE_MS = 5
  function san(opts: {
    raid?: ArrayIn['disks']['raid']
    spindles?: number
    cache?: ArrayIn['cache']
    queueDepth?: number
    clients?: number
    readPct?: number
  }) {
    const exp = experiment({
      ...shortRun(20, 2),
      hosts: [
        {
          id: 'h1',
          cpu: 'nehalem-x5570',
          hypervisor: 'native',
          hbas: [{ id: 'fc0', kind: 'fc', gbps: 4, queue_depth: opts.queueDepth ?? 64 }]
        }
      ],
      arrays: [
        {
          id: 'arr',
          protocol: 'fc',
          disks: { model: 'custom', count: opts.spindles ?? 4, raid: opts.raid ?? 'raid0', service_ms: { dist: 'deterministic', mean: SERVICE_MS } },
          cache: opts.cache ?? { gb: 0, read_hit: 0, write_back: false },
          luns: [{ id: 'l1', gb: 100 }],
          paths: [{ host: 'h1', via: 'fc0' }]
        }
      ],
      vms: [
        {
          id: 'db',
          host: 'h1',
          vcpus: 4,
          disks: [{ model: 'passthrough', on: 'arr/l1' }],
          workload: {
            preset: 'disk-random',
            kb: 4,
            read_pct: opts.readPct ?? 100,
            arrival: { process: 'closed', clients: opts.clients ?? 32, think_ms: 0 }
          }
        }
      ]
    })
    const { result } = runToEnd(exp, 9)
    return { vm: result.vms.db!, array: result.arrays.arr! }
  }

  it('spindles serve in parallel; once saturated, latency = outstanding I/O ÷ IOPS (Little)', () => {
    const { vm, array } = san({ spindles: 4, clients: 32 })
    const capacity = 4 * (1000 / SERVICE_MS) // 800 IOPS
    expect(vm.disk.iops).toBeGreaterThan(0.9 * capacity)
    expect(vm.disk.iops).toBeLessThanOrEqual(capacity * 1.001)
    expect(array.utilization_pct).toBeGreaterThan(90)
    expect(Math.abs((32 / vm.disk.iops) * 1000 - vm.latency_ms.mean!) / vm.latency_ms.mean!).toBeLessThan(0.03)
    expect(array.queue_depth).toBeGreaterThan(30)
  })

  it("the HBA's queue depth caps the I/O the array sees", () => {
    const deep = san({ queueDepth: 64 })
    const shallow = san({ queueDepth: 2 })
    expect(shallow.array.queue_depth).toBeLessThanOrEqual(2.0001)
    expect(shallow.vm.disk.iops).toBeLessThan(0.75 * deep.vm.disk.iops)
  })

  it('RAID write penalty: RAID-10 writes cost two back-end I/Os, RAID-5 four', () => {
    const raid0 = san({ raid: 'raid0', readPct: 0 }).vm.disk.iops
    const raid10 = san({ raid: 'raid10', readPct: 0 }).vm.disk.iops
    const raid5 = san({ raid: 'raid5', readPct: 0 }).vm.disk.iops
    expect(raid10 / raid0).toBeGreaterThan(0.4)
    expect(raid10 / raid0).toBeLessThan(0.6)
    expect(raid5 / raid0).toBeGreaterThan(0.2)
    expect(raid5 / raid0).toBeLessThan(0.3)
  })

  it('cache read hits take load off the spindles', () => {
    const cold = san({})
    const warm = san({ cache: { gb: 4, read_hit: 0.5, write_back: false } })
    // Half the reads never reach a spindle: about twice the IOPS from the same back end.
    expect(warm.vm.disk.iops / cold.vm.disk.iops).toBeGreaterThan(1.7)
  })

  it('a write-back cache acknowledges writes long before the spindles finish them', () => {
    const through = san({ readPct: 0, clients: 1 })
    const back = san({ readPct: 0, clients: 1, cache: { gb: 4, read_hit: 0, write_back: true } })
    expect(back.vm.latency_ms.mean!).toBeLessThan(through.vm.latency_ms.mean! / 5)
  })
})

describe('Cluster Shared Volume', () => {
  /** Two Hyper-V nodes on one CSV, h1 its coordinator; one VM per node writing at random into a disk of `format`. */
  function csv(format: 'fixed-vhd' | 'dynamic-vhd') {
    const exp = experiment({
      ...shortRun(6),
      hosts: ['h1', 'h2'].map((id) => ({ id, cpu: 'nehalem-x5570', hypervisor: 'hyperv-2008r2', hbas: [{ id: 'fc0', kind: 'fc' as const, gbps: 4 }] })),
      arrays: [
        {
          id: 'eva',
          protocol: 'fc',
          disks: { model: 'ssd-sata', count: 8, raid: 'raid10' },
          luns: [{ id: 'lun1', gb: 500 }],
          paths: [{ host: 'h1', via: 'fc0' }, { host: 'h2', via: 'fc0' }]
        }
      ],
      volumes: [{ id: 'csv1', kind: 'csv', on: 'eva/lun1', hosts: ['h1', 'h2'], coordinator: 'h1' }],
      vms: ['h1', 'h2'].map((host) => ({
        id: `on-${host}`,
        host,
        disks: [{ model: 'hyperv-synthetic', on: 'csv1', gb: 200, format }],
        workload: { preset: 'disk-random', kb: 8, read_pct: 0, arrival: { process: 'closed', clients: 4, think_ms: 0 } } as const
      }))
    })
    return runToEnd(exp, 8).result.vms
  }

  it('sends allocations of growing VHDs through the coordinator; the other node pays the trip over the cluster network', () => {
    const vms = csv('dynamic-vhd')
    const coordinatorNode = vms['on-h1']!
    const otherNode = vms['on-h2']!
    const trip = otherNode.explain!.find((e) => e.mechanism.includes('cluster network'))!
    expect(trip.cost_us).toBeCloseTo(200, 0)
    expect(coordinatorNode.explain!.some((e) => e.mechanism.includes('cluster network'))).toBe(false)
    for (const vm of [coordinatorNode, otherNode]) {
      expect(vm.explain!.some((e) => e.mechanism.includes('coordinator') && e.category === 'device_service')).toBe(true)
    }
    expect(otherNode.latency_ms.mean!).toBeGreaterThan(coordinatorNode.latency_ms.mean!)
  })

  it('does direct I/O from every node when nothing needs allocating (fixed VHD)', () => {
    const vms = csv('fixed-vhd')
    for (const vm of Object.values(vms)) expect(vm.explain!.some((e) => e.mechanism.includes('coordinator'))).toBe(false)
    const [a, b] = Object.values(vms)
    expect(Math.abs(a!.throughput_ops_s / b!.throughput_ops_s - 1)).toBeLessThan(0.1)
  })
})

describe('iSCSI over a host NIC', () => {
  /** A database VM on an iSCSI LUN reached through n0, and a VM streaming on `streamOn` (n0: shared with storage; n1: its own NIC). */
  function iscsi(streamOn: 'n0' | 'n1') {
    const exp = experiment({
      ...shortRun(6),
      hosts: [{ id: 'h1', cpu: 'nehalem-x5570', sockets: 2, hypervisor: 'esx-4.0', nics: [{ id: 'n0', gbps: 1 }, { id: 'n1', gbps: 1 }] }],
      arrays: [
        {
          id: 'box',
          protocol: 'iscsi',
          disks: { model: 'ssd-sata', count: 4, raid: 'raid10' },
          cache: { gb: 2, read_hit: 0.5, write_back: true },
          luns: [{ id: 'lun1', gb: 200 }],
          paths: [{ host: 'h1', via: 'n0' }]
        }
      ],
      volumes: [{ id: 'ds', kind: 'vmfs', on: 'box/lun1', hosts: ['h1'] }],
      vms: [
        {
          id: 'db',
          host: 'h1',
          disks: [{ model: 'pvscsi', on: 'ds', gb: 40 }],
          workload: { preset: 'disk-random', kb: 64, read_pct: 100, arrival: { process: 'closed', clients: 4, think_ms: 0 } }
        },
        { id: 'stream', host: 'h1', nics: [{ model: 'vmxnet3', uplink: streamOn }], workload: { preset: 'net-stream', direction: 'rx' } }
      ]
    })
    return runToEnd(exp, 4).result.vms
  }

  it('shares the NIC with VM traffic unless the VMs have their own, and costs the host its initiator', () => {
    const shared = iscsi('n0')
    const dedicated = iscsi('n1')
    // Storage reads and the stream both arrive on n0's receive side: together they fill its 1 Gb/s, no more.
    const onN0 = (vms: typeof shared): number => (vms.db!.disk.mb_s * 8 * 1.048576) / 1000 + vms.stream!.net.gbps
    expect(onN0(shared)).toBeGreaterThan(0.9)
    expect(onN0(shared)).toBeLessThanOrEqual(1.0001)
    // With its own NIC the stream leaves n0 to the storage, and both go faster.
    expect(shared.db!.throughput_ops_s).toBeLessThan(0.9 * dedicated.db!.throughput_ops_s)
    expect(shared.stream!.net.gbps).toBeLessThan(0.9 * dedicated.stream!.net.gbps)
    expect(shared.db!.explain!.some((e) => e.category === 'queueing' && e.mechanism.includes('link h1/n0 receive'))).toBe(true)
    const initiator = dedicated.db!.explain!.find((e) => e.mechanism.includes('software iSCSI initiator'))!
    expect(initiator.category).toBe('hypervisor_io')
    const hops = dedicated.db!.explain!.find((e) => e.mechanism.startsWith('h1/n0 fabric'))!
    // One Ethernet switch hop each way (iscsi-1g: 15 µs), per request.
    expect(hops.cost_us).toBeCloseTo(30, 0)
  })
})

describe('growable virtual disks allocate through the device underneath', () => {
  // Random 8 KB writes into a new thin VMFS disk against the same disk fully allocated.
  const writes = (disk: string, allocated?: number) =>
    one({ hypervisor: 'esx-4.0', cpu: 'nehalem-x5570', disk, controller: 'pvscsi', format: 'thin', ...(allocated !== undefined ? { allocated } : {}), duration: 4,
      workload: { preset: 'disk-random', kb: 8, read_pct: 0 } })
  it('a first write costs the zeroing and metadata writes at the device\'s own speed', () => {
    const extraMs = (disk: string) => 1000 / writes(disk).throughput_ops_s - 1000 / writes(disk, 100).throughput_ops_s
    const hdd = extraMs('hdd-7200')
    const ssd = extraMs('ssd-sata')
    // 1 MB of zeros at 80 MB/s and a metadata write with its seek on a 7,200 rpm disk: about 25 ms per allocation...
    expect(hdd).toBeGreaterThan(5)
    // ...a fraction of that on flash, which writes faster and does not seek.
    expect(ssd).toBeGreaterThan(0)
    expect(hdd / ssd).toBeGreaterThan(3)
  })

  it('an allocated growable disk costs only its layer\'s CPU', () => {
    const thick = one({ hypervisor: 'esx-4.0', cpu: 'nehalem-x5570', disk: 'hdd-7200', controller: 'pvscsi', format: 'thick', duration: 4, workload: { preset: 'disk-random', kb: 8, read_pct: 0 } })
    const thin = writes('hdd-7200', 100)
    expect(Math.abs(thin.throughput_ops_s / thick.throughput_ops_s - 1)).toBeLessThan(0.02)
  })
})
