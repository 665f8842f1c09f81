/**
 * The catalog's rules of the house: every number names its source (or says it
 * is an estimate and why), ids match keys, the cross-references the
 * experiment checker relies on resolve, and every workload preset resolves.
 */
import { describe, expect, it } from 'vitest'
import { catalog, costModel, diskDevice, nicDevice, resolveWorkload } from '../../src/shared/catalog'

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
      workloads: ['cpu-int', 'cpu-syscall', 'forkwait', 'memory-tlb', 'kernel-compile', 'oltp', 'web', 'file-server', 'disk-random', 'disk-seq', 'net-stream', 'net-rr']
    }
    for (const [section, ids] of Object.entries(want)) {
      expect(Object.keys(catalog[section as keyof typeof want]).sort()).toEqual([...ids].sort())
    }
  })

  it('every device a hypervisor offers exists, as a disk controller or a NIC', () => {
    for (const hv of Object.values(catalog.hypervisors)) {
      for (const m of hv.diskModels) expect(diskDevice(m)?.kind, `${hv.id} disk ${m}`).toBe('disk-controller')
      for (const m of hv.nicModels) expect(nicDevice(m)?.kind, `${hv.id} nic ${m}`).toBe('nic')
      for (const f of hv.diskFormats) expect(catalog.formats[f], `${hv.id} format ${f}`).toBeDefined()
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
