/**
 * The run's notable moments as the engine reports them: power events at the
 * simulated moment they happen, a queue that saturates and one that is
 * relieved, the same list for the same seed, and none of it in the checksum's way.
 */
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import { experiment } from './helpers'

/** One custom disk kept busy by `load` until it is stopped at 3 s; `late` starts at 2 s. */
function busyDisk() {
  return experiment({
    duration_s: 6,
    warmup_s: 1,
    sample_ms: 250,
    baseline: 'none',
    hosts: [
      {
        id: 'h1',
        cpu: 'nehalem-x5570',
        hypervisor: 'kvm',
        disks: [{ id: 'd0', model: 'custom', servers: 1, service_ms: { dist: 'exponential', mean: 5 } }]
      }
    ],
    volumes: [{ id: 'v0', kind: 'ext3', on: 'h1/d0' }],
    vms: [
      {
        id: 'load',
        host: 'h1',
        disks: [{ model: 'virtio-blk', on: 'v0', format: 'raw' }],
        workload: { kind: 'custom', arrival: { process: 'closed', clients: 8 }, per_op: { instructions: 1000, disk: [{ kind: 'read', kb: 4, count: 1 }] } }
      },
      {
        id: 'late',
        host: 'h1',
        workload: { kind: 'custom', arrival: { process: 'closed', clients: 1, think_ms: 1 }, per_op: { instructions: 1e5 } }
      }
    ],
    events: [
      { at_s: 2, do: 'start', vm: 'late' },
      { at_s: 3, do: 'stop', vm: 'load' }
    ]
  })
}

describe('notable events', () => {
  it('reports power events when they happen and a disk saturating, then relieved', () => {
    const { events } = runToEnd(busyDisk(), 5)
    const power = events.filter((e) => e.kind === 'vm-started' || e.kind === 'vm-stopped')
    expect(power).toEqual([
      { t_ms: 2000, kind: 'vm-started', subject: 'late', value: null },
      { t_ms: 3000, kind: 'vm-stopped', subject: 'load', value: null }
    ])
    const disk = events.filter((e) => e.subject === 'h1/d0')
    expect(disk.map((e) => e.kind)).toEqual(['queue-saturated', 'queue-relieved'])
    expect(disk[0]!.t_ms).toBeLessThanOrEqual(500)
    expect(disk[0]!.value).toBeGreaterThanOrEqual(95)
    // Relieved in the first window after the stop in which the disk drained its queue.
    expect(disk[1]!.t_ms).toBeGreaterThan(3000)
    expect(disk[1]!.value).toBeLessThan(80)
    // Time order.
    expect(events.map((e) => e.t_ms)).toEqual([...events.map((e) => e.t_ms)].sort((a, b) => a - b))
  })

  it('gives the same events and checksum for the same seed', () => {
    const a = runToEnd(busyDisk(), 9)
    const b = runToEnd(busyDisk(), 9)
    expect(b.events).toEqual(a.events)
    expect(b.result.checksum).toBe(a.result.checksum)
  })
})
