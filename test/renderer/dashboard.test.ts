import { describe, expect, it } from 'vitest'
import { bucketSize, decimateColumn, decimateX } from '../../src/renderer/src/dashboard/decimate'
import { groupVms, vmColours, vmFacets } from '../../src/renderer/src/dashboard/facets'
import { topN } from '../../src/renderer/src/dashboard/ranking'
import { sortRows, type SummaryRow } from '../../src/renderer/src/dashboard/summaryRows'
import { parseExperimentText } from '../../src/shared/experiment'
import { exampleFiles } from './builder/examples'

const example = (file: string): string => exampleFiles.find(([name]) => name === file)![1]

const parsed = parseExperimentText(example('datacenter-64.yaml'))
if (!parsed.ok) throw new Error('the 64-VM preset does not parse')
const dc = parsed.experiment
const vms = dc.vms.map((v) => v.id)

describe('dashboard groups', () => {
  const facets = vmFacets(dc)

  it('groups the 64-VM datacenter by host (8 × 8), hypervisor (2 × 32), array (1) and workload (4 × 16)', () => {
    expect(groupVms(vms, facets, 'host').map((g) => [g.key, g.vms.length])).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8'].map((h) => [h, 8]))
    expect(groupVms(vms, facets, 'hypervisor').map((g) => [g.key, g.vms.length])).toEqual([['esx-4.0', 32], ['hyperv-2008r2', 32]])
    expect(groupVms(vms, facets, 'array').map((g) => g.key)).toEqual(['eva'])
    expect(groupVms(vms, facets, 'workload').map((g) => [g.key, g.vms.length])).toEqual([['oltp', 16], ['web', 16], ['file-server', 16], ['cpu-int', 16]])
  })

  it('colours by group and shades by member: one hue per group, every VM its own colour', () => {
    const groups = groupVms(vms, facets, 'host')
    const colours = vmColours(groups, 'host')
    expect(new Set(colours.values()).size).toBe(64)
    const hue = (c: string) => Number(/hsl\(([\d.]+)/.exec(c)?.[1])
    for (const g of groups) expect(new Set(g.vms.map((vm) => hue(colours.get(vm)!))).size).toBe(1)
    expect(new Set(groups.map((g) => Math.round(g.hue))).size).toBe(8)
  })

  it('names local storage apart from arrays', () => {
    const local = parseExperimentText(example('four-vms-one-disk.yaml'))
    if (!local.ok) throw new Error('preset does not parse')
    expect([...vmFacets(local.experiment).values()].map((f) => f.array)).toEqual(['local h1', 'local h1', 'local h1', 'local h1'])
  })
})

describe('top N', () => {
  it('ranks largest first, VMs without a value last, ties in their order', () => {
    const v: Record<string, number | null> = { a: 3, b: null, c: 9, d: 3 }
    expect(topN(['a', 'b', 'c', 'd'], (x) => v[x]!, 3)).toEqual(['c', 'a', 'd'])
    expect(topN(['a', 'b', 'c', 'd'], (x) => v[x]!, 10)).toEqual(['c', 'a', 'd', 'b'])
  })
})

describe('decimation', () => {
  it('keeps a line within the points asked, means for rates and the worst for p99', () => {
    const x = Array.from({ length: 10 }, (_, i) => i + 1)
    const size = bucketSize(10, 4)
    expect(size).toBe(3)
    expect(decimateX(x, size)).toEqual([3, 6, 9, 10])
    const p99 = [1, 50, 2, 3, 3, 3, null, null, null, 7]
    expect(decimateColumn(p99, size, 'max')).toEqual([50, 3, null, 7])
    expect(decimateColumn(p99, size, 'mean')).toEqual([53 / 3, 3, null, 7])
    // Cut at a replay's playhead first.
    expect(decimateX(x, 1, 4)).toEqual([1, 2, 3, 4])
  })
})

describe('summary sort', () => {
  const row = (vm: string, p99: number | null): SummaryRow => ({
    vm,
    throughput: 1,
    latencyMean: 1,
    latencyP99: p99,
    cpuPct: 1,
    diskIops: 1,
    overhead: null
  })
  it('sorts by a column either way with missing values last, and names numerically', () => {
    const rows = [row('vm10', 5), row('vm2', null), row('vm1', 9)]
    expect(sortRows(rows, 'latencyP99', true).map((r) => r.vm)).toEqual(['vm1', 'vm10', 'vm2'])
    expect(sortRows(rows, 'latencyP99', false).map((r) => r.vm)).toEqual(['vm10', 'vm1', 'vm2'])
    expect(sortRows(rows, 'vm', false).map((r) => r.vm)).toEqual(['vm1', 'vm2', 'vm10'])
  })
})
