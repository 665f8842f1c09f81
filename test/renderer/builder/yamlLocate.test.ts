/** Places in the YAML text: where a problem's path is, and what the cursor is completing. */
import { describe, expect, it } from 'vitest'
import { contextAt, rangeOf } from '../../../src/renderer/src/builder/yamlLocate'
import { parseYaml } from '../../../src/renderer/src/builder/yamlText'
import { exampleFiles } from './examples'

const text = exampleFiles.find(([f]) => f === 'san-lun-fc.yaml')![1]

function at(source: string, marker = '|') {
  const offset = source.indexOf(marker)
  const clean = source.replace(marker, '')
  return contextAt(clean, parseYaml(clean), offset)
}

describe('YAML places', () => {
  it('finds the text of a field by its path, and the nearest holder of a missing one', () => {
    const doc = parseYaml(text)
    const r = rangeOf(text, doc, ['vms', 0, 'disks', 0, 'on'])
    expect(text.slice(r.from, r.to)).toBe('on: ds1')
    const vcpus = rangeOf(text, doc, ['vms', 0, 'vcpus'])
    expect(text.slice(vcpus.from, vcpus.to)).toBe('vcpus: 2')
    const missing = rangeOf(text, doc, ['vms', 0, 'swap', 'on'])
    expect(text.slice(missing.from, missing.to)).toMatch(/^id: db1/)
  })

  it('tells a key from a value, and in which object, in block and flow YAML', () => {
    expect(at('hosts:\n  - id: h1\n    cp|\n')).toMatchObject({ path: ['hosts', 0], at: 'key' })
    expect(at('hosts:\n  - id: h1\n    cpu: neh|\n')).toMatchObject({ path: ['hosts', 0], at: 'value', key: 'cpu' })
    expect(at('vms:\n  - id: a\n    disks: [{ model: pv| }]\n')).toMatchObject({ path: ['vms', 0, 'disks', 0], at: 'value', key: 'model' })
    expect(at('vms:\n  - id: a\n    guest:\n      o|\n')).toMatchObject({ path: ['vms', 0, 'guest'], at: 'key' })
    expect(at('dur|\n')).toMatchObject({ path: [], at: 'key' })
    expect(at('hosts:\n  - id: h1\n  - id: h2\n    hyp|\n')).toMatchObject({ path: ['hosts', 1], at: 'key' })
  })
})
