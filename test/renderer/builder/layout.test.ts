/**
 * The automatic layout: every element gets a box, contents sit inside their
 * container, nothing overlaps its siblings, and a large datacenter is laid
 * out as a block one can read, not a ribbon.
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { experimentToGraph } from '../../../src/renderer/src/builder/graph'
import { layoutGraph, type Box } from '../../../src/renderer/src/builder/layout'
import { absoluteBoxes } from '../../../src/renderer/src/builder/svgExport'
import { exampleFiles } from './examples'

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5
}

describe('layout', () => {
  it.each(exampleFiles)('%s: every node has a box inside its container, and siblings do not overlap', async (_name, text) => {
    const graph = experimentToGraph(parse(text))
    const layout = await layoutGraph(graph)
    const abs = absoluteBoxes(graph, layout)
    for (const n of graph.nodes) {
      expect(layout.boxes[n.id], n.id).toBeDefined()
      if (n.parent) {
        const p = abs[n.parent]!
        const c = abs[n.id]!
        expect(c.x >= p.x && c.y >= p.y && c.x + c.width <= p.x + p.width + 0.5 && c.y + c.height <= p.y + p.height + 0.5, `${n.id} inside ${n.parent}`).toBe(true)
      }
    }
    const groups = new Map<string | null, string[]>()
    for (const n of graph.nodes) groups.set(n.parent, [...(groups.get(n.parent) ?? []), n.id])
    for (const ids of groups.values()) {
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) expect(overlap(abs[ids[i]!]!, abs[ids[j]!]!), `${ids[i]} / ${ids[j]}`).toBe(false)
    }
  })

  it('runs top to bottom: hosts, then the volumes they use, then the arrays (the layout engine itself, not its fallback grid)', async () => {
    const text = exampleFiles.find(([f]) => f === 'hyperv-csv-cluster.yaml')![1]
    const graph = experimentToGraph(parse(text))
    const boxes = (await layoutGraph(graph)).boxes
    const host = boxes['host:node1']!
    const volume = boxes['volume:csv1']!
    const array = boxes['array:san']!
    expect(volume.y).toBeGreaterThanOrEqual(host.y + host.height)
    expect(array.y).toBeGreaterThanOrEqual(volume.y + volume.height)
  })

  it('lays a large datacenter out as a block, hosts in rows', async () => {
    const text = exampleFiles.find(([f]) => f === 'datacenter-64.yaml')![1]
    const layout = await layoutGraph(experimentToGraph(parse(text)))
    expect(layout.width / layout.height).toBeLessThan(3)
  })
})
