/**
 * The catalog's rules of the house: every number names its source (or says it
 * is an estimate and why), ids match keys, the cross-references the
 * experiment checker relies on resolve, and every workload preset resolves.
 */
import { describe, expect, it } from 'vitest'
import {
  arrayControllers, clusterVolumes, catalog, costModel, defaultArrayController, diskDevice, fabricFor, fabrics, nicDevice, RAID_LEVEL_IDS, raidLevels,
  resolveWorkload, volumeKinds
} from '../../src/shared/catalog'
import { commands } from '../../src/shared/contract'
import { arraySchema } from '../../src/shared/experiment/schema'

type Entry = { id: string; sources: Record<string, string | undefined> } & Record<string, unknown>

function numericKeys(entry: Record<string, unknown>): string[] {
  return Object.entries(entry)
    .filter(([k, v]) => k !== 'sources' && (typeof v === 'number' || v === null || (typeof v === 'object' && v !== null && 'cycles' in v)))
    .map(([k]) => k)
}

/** A preset's numbers: its non-zero per-operation demands, disk and net demands, CPI, peer wait, arrival. */
function workloadKeys(entry: Record<string, unknown>): string[] {
  const perOp = entry.perOp as Record<string, unknown>
  const keys = ['cpi', 'peerUs', 'arrival']
  for (const [k, v] of Object.entries(perOp)) {
    if (typeof v === 'number' && v > 0) keys.push(k)
    if (Array.isArray(v) && v.length > 0) keys.push(k)
  }
  return keys
}

describe('catalog', () => {
  for (const [section, entries] of Object.entries(catalog)) {
    it(`${section}: every numeric field cites a source or gives a reasoned estimate`, () => {
      for (const [key, raw] of Object.entries(entries as unknown as Record<string, Entry>)) {
        expect(raw.id).toBe(key)
        const keys = section === 'workloads' ? workloadKeys(raw) : numericKeys(raw)
        for (const k of keys) {
          const src = raw.sources[k]
          expect(src, `${section}.${key}.${k}`).toBeTruthy()
          if (src!.startsWith('estimate')) expect(src!.length, `${section}.${key}.${k}: say why`).toBeGreaterThan('estimate: '.length + 10)
        }
      }
    })
  }

  it('cost-model constants cite sources', () => {
    for (const k of Object.keys(costModel).filter((k) => k !== 'sources')) {
      expect((costModel.sources as Record<string, string>)[k], k).toBeTruthy()
    }
  })

  it('has the entries experiments name', () => {
    const want = {
      cpus: ['pentium4-662', 'pentium4-672', 'core2-merom', 'core2-penryn', 'opteron-barcelona', 'opteron-shanghai', 'nehalem-x5570', 'westmere-x5670', 'sandybridge-e5-2680'],
      hypervisors: ['native', 'esx-3.5', 'esx-4.0', 'esx-4.1', 'xen-3.0', 'xen-3.4', 'kvm', 'hyperv-2008r2'],
      disks: ['hdd-5400', 'hdd-7200', 'hdd-10k', 'hdd-15k', 'ssd-slc-2008', 'ssd-sata'],
      formats: ['thick', 'thin', 'fixed-vhd', 'dynamic-vhd', 'raw', 'qcow2'],
      workloads: ['cpu-int', 'cpu-syscall', 'forkwait', 'memory-tlb', 'kernel-compile', 'oltp', 'web', 'file-server', 'disk-random', 'disk-seq', 'net-stream', 'net-rr'],
      storage: ['raid0', 'raid1', 'raid10', 'raid5', 'raid6', 'fc-2', 'fc-4', 'fc-8', 'iscsi-1g', 'iscsi-10g', 'midrange', 'csv-2008r2']
    }
    for (const [section, ids] of Object.entries(want)) {
      expect(Object.keys(catalog[section as keyof typeof want]).sort()).toEqual([...ids].sort())
    }
  })

  it('storage: the section holds every RAID level, fabric, controller and cluster volume, each saying what it is', () => {
    const groups = { raid: raidLevels, fabric: fabrics, controller: arrayControllers, cluster: clusterVolumes }
    const listed = Object.values(catalog.storage)
    expect(listed.length).toBe(Object.values(groups).reduce((n, g) => n + Object.keys(g).length, 0))
    for (const [kind, group] of Object.entries(groups)) {
      for (const [id, entry] of Object.entries(group)) {
        expect(catalog.storage[id], id).toBe(entry)
        expect(entry.kind, id).toBe(kind)
      }
    }
    // Looked up by ids users type: nothing inherited resolves.
    expect(catalog.storage.toString).toBeUndefined()
  })

  it('storage: RAID levels are the ones experiments may name, with the write penalties of model.md §4', () => {
    expect(Object.keys(raidLevels)).toEqual([...RAID_LEVEL_IDS])
    expect(arraySchema.shape.disks.shape.raid.options).toEqual([...RAID_LEVEL_IDS])
    const penalty = Object.fromEntries(Object.values(raidLevels).map((r) => [r.id, r.writePenalty]))
    expect(penalty).toEqual({ raid0: 1, raid1: 2, raid10: 2, raid5: 4, raid6: 6 })
    for (const r of Object.values(raidLevels)) expect(r.readCopies).toBe(r.id === 'raid1' || r.id === 'raid10' ? 2 : 1)
  })

  it('storage: fabrics carry what their line coding leaves, and adapters find their fabric by speed', () => {
    for (const f of Object.values(fabrics)) {
      expect(f.usableGbps, f.id).toBeLessThan(f.nominalGbps)
      expect(f.usableGbps, f.id).toBeGreaterThan(0.6 * f.nominalGbps)
      // An FC HBA sets its own queue depth and does the protocol itself; a software iSCSI initiator does neither.
      if (f.protocol === 'fc') expect([f.queueDepth, f.initiatorCycles, f.initiatorCyclesPerKb], f.id).toEqual([null, 0, 0])
      else expect(f.queueDepth! * f.initiatorCycles * f.initiatorCyclesPerKb, f.id).toBeGreaterThan(0)
    }
    // 8b/10b: 1GFC's 1.0625 GBaud carry ~100 MB/s per direction; each generation doubles it.
    expect(fabrics['fc-4']!.usableGbps).toBeCloseTo(2 * fabrics['fc-2']!.usableGbps)
    expect(fabrics['fc-8']!.usableGbps).toBeCloseTo(2 * fabrics['fc-4']!.usableGbps)
    expect(fabricFor('fc', 4).id).toBe('fc-4')
    expect(fabricFor('fc', 1).id).toBe('fc-2')
    expect(fabricFor('fc', 16).id).toBe('fc-8')
    expect(fabricFor('iscsi', 1).id).toBe('iscsi-1g')
    expect(fabricFor('iscsi', 10).id).toBe('iscsi-10g')
    expect(fabricFor('fc', 8).hopNs).toBe(500)
  })

  it('storage: the array controller answers from cache well below a spindle', () => {
    const c = defaultArrayController
    expect(c.cacheHitMs).toBeLessThan(catalog.disks['hdd-15k']!.accessMs + catalog.disks['hdd-15k']!.rotationMs / 2)
    expect(c.writeAckMs).toBeGreaterThan(0)
    expect(c.dirtyShare).toBeGreaterThan(0)
    expect(c.dirtyShare).toBeLessThanOrEqual(1)
  })

  it('the catalog sent over IPC (catalog:get) parses, storage included', () => {
    const sent = Object.fromEntries(
      Object.entries(catalog).map(([section, entries]) => [section, Object.values(entries as Record<string, object>)])
    )
    const parsed = commands['catalog:get'].output.parse(JSON.parse(JSON.stringify(sent)))
    expect(parsed.storage!.map((e) => e.id)).toEqual(Object.keys(catalog.storage))
  })

  it('every device a hypervisor offers exists, as a disk controller or a NIC, and every format its volume kinds hold', () => {
    for (const hv of Object.values(catalog.hypervisors)) {
      for (const m of hv.diskModels) expect(diskDevice(m)?.kind, `${hv.id} disk ${m}`).toBe('disk-controller')
      for (const m of hv.nicModels) expect(nicDevice(m)?.kind, `${hv.id} nic ${m}`).toBe('nic')
      for (const k of hv.volumeKinds) for (const f of volumeKinds[k].formats) expect(catalog.formats[f], `${hv.id} ${k} format ${f}`).toBeDefined()
    }
  })

  it('CPUs with nested paging have hardware virtualization; exit round trips fall with newer generations', () => {
    const c = catalog.cpus
    for (const cpu of Object.values(c)) if (cpu.nestedPaging) expect(cpu.hwVirt).toBe(true)
    const rt = (id: string) => c[id]!.exitRoundTripCycles!
    expect(rt('pentium4-672')).toBeGreaterThan(rt('core2-merom'))
    expect(rt('core2-merom')).toBeGreaterThan(rt('core2-penryn'))
    expect(rt('core2-penryn')).toBeGreaterThan(rt('nehalem-x5570'))
    expect(rt('nehalem-x5570')).toBeGreaterThan(rt('westmere-x5670'))
    expect(rt('westmere-x5670')).toBeGreaterThan(rt('sandybridge-e5-2680'))
  })

  it('every preset resolves with its defaults and with each parameter it declares', () => {
    const sample: Record<string, unknown> = { kb: 16, read_pct: 50, pattern: 'sequential', direction: 'rx', mtu: 9000, working_set_mb: 64, page_kb: 2048 }
    for (const w of Object.values(catalog.workloads)) {
      const plain = resolveWorkload(w.id)
      expect(plain.per_op).toEqual(w.perOp)
      for (const p of w.params) {
        const r = resolveWorkload({ preset: w.id, [p]: sample[p] } as never)
        expect(r.id).toBe(w.id)
      }
    }
    expect(() => resolveWorkload({ preset: 'cpu-int', kb: 4 })).toThrow(/takes no "kb"/)
  })

  it('preset parameters change the demands as the benchmark would', () => {
    const jumbo = resolveWorkload({ preset: 'net-stream', mtu: 9000 }).per_op.net[0]!
    const standard = resolveWorkload({ preset: 'net-stream', mtu: 1500 }).per_op.net[0]!
    expect(jumbo.count).toBeLessThan(standard.count / 5)
    const writes = resolveWorkload({ preset: 'disk-random', read_pct: 0 }).per_op.disk
    expect(writes).toEqual([{ kind: 'write', kb: 8, pattern: 'random', count: 1 }])
    const small = resolveWorkload({ preset: 'memory-tlb', working_set_mb: 1 }).per_op.tlb_misses_per_kinstr
    const big = resolveWorkload({ preset: 'memory-tlb', working_set_mb: 8192 }).per_op.tlb_misses_per_kinstr
    expect(small).toBe(0)
    expect(big).toBeGreaterThan(10)
  })
})
