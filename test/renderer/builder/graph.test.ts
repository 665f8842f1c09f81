/**
 * Experiment ↔ graph: every bundled example becomes a graph and comes back
 * as the same experiment, and the graph shows what the file says (hosts hold
 * their VMs, edges join what references join).
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { experimentToGraph, graphToExperiment } from '../../../src/renderer/src/builder/graph'
import { parseExperiment, parseExperimentText } from '../../../src/shared/experiment'
import { exampleFiles } from './examples'

describe('experiment ↔ graph', () => {
  it.each(exampleFiles)('%s: file → graph → experiment parses deep-equal', (_name, text) => {
    const original = parseExperimentText(text)
    expect(original.ok).toBe(true)
    const graph = experimentToGraph(parse(text))
    const back = parseExperiment(graphToExperiment(graph))
    expect(back.ok, JSON.stringify(!back.ok && back.issues)).toBe(true)
    if (original.ok && back.ok) expect(back.experiment).toEqual(original.experiment)
  })

  it('draws VMs inside their hosts and each reference as an edge', () => {
    const text = exampleFiles.find(([f]) => f === 'san-lun-fc.yaml')![1]
    const graph = experimentToGraph(parse(text))
    const node = (id: string) => graph.nodes.find((n) => n.id === id)
    expect(node('vm:db1')?.parent).toBe('host:h1')
    expect(node('hba:h1/fc0')?.parent).toBe('host:h1')
    expect(node('lun:eva/lun1')?.parent).toBe('array:eva')
    const edge = (kind: string) => graph.edges.filter((e) => e.kind === kind).map((e) => [e.source, e.target, e.label])
    expect(edge('path')).toEqual([['hba:h1/fc0', 'array:eva', 'FC']])
    expect(edge('on')).toEqual([['volume:ds1', 'lun:eva/lun1', '']])
    expect(edge('mount')).toEqual([['volume:ds1', 'host:h1', '']])
    expect(edge('vm-disk')).toEqual([['vm:db1', 'volume:ds1', 'pvscsi']])
    expect(edge('vm-nic')).toEqual([['vm:db1', 'nic:h1/n0', 'vmxnet3']])
  })

  it('keeps a reference that names nothing as an edge without a target, and writes it back as written', () => {
    const graph = experimentToGraph({ hosts: [{ id: 'h1' }], vms: [{ id: 'v', host: 'h1', disks: [{ model: 'pvscsi', on: 'nowhere' }] }] })
    const disk = graph.edges.find((e) => e.kind === 'vm-disk')
    expect(disk?.target).toBeNull()
    expect((graphToExperiment(graph).vms as { disks: { on: string }[] }[])[0]?.disks[0]?.on).toBe('nowhere')
  })

  it('never gives two nodes the same id, even where the document repeats ids', () => {
    const graph = experimentToGraph({ hosts: [{ id: 'h1' }, { id: 'h1' }, {}], vms: [{ id: 'v' }, { id: 'v' }] })
    const ids = graph.nodes.map((n) => n.id)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
