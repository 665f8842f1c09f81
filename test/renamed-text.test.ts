/** A rename touches the file's name and nothing else, so a version's diff of a rename is one line. */
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { renamedText } from '../src/main/services/files'

const FILE = `format: hyperlab/experiment@1
# the name below is what the library lists
name: Kernel build   # on ESX 3.5
seed: 42
hosts:
  - { id: h1, cpu: core2-merom, hypervisor: esx-3.5, disks: [{ id: d0, model: hdd-7200 }] }
vms:
  - name: not this one
`

describe('renamedText', () => {
  it('changes only the name line, comments and flow layout kept', () => {
    const out = renamedText(FILE, 'Kernel build (baseline)')
    const before = FILE.split('\n')
    const after = out.split('\n')
    expect(after).toHaveLength(before.length)
    const changed = after.map((line, i) => [before[i], line]).filter(([a, b]) => a !== b)
    expect(changed).toEqual([['name: Kernel build   # on ESX 3.5', 'name: Kernel build (baseline)   # on ESX 3.5']])
  })

  it('quotes a name that would not read back plain, and keeps a quoted one quoted', () => {
    for (const name of ['a: b', '#1 run', 'yes', '  padded', 'it’s "quoted"']) {
      const out = renamedText(FILE, name)
      expect((parse(out) as { name: string }).name).toBe(name)
      expect(out.split('\n').filter((l, i) => l !== FILE.split('\n')[i])).toHaveLength(1)
    }
    const quoted = renamedText("name: 'old'\nseed: 1\n", 'new one')
    expect(quoted).toBe("name: 'new one'\nseed: 1\n")
  })

  it('sets a name the file does not have yet', () => {
    expect((parse(renamedText('seed: 1\n', 'fresh')) as { name: string }).name).toBe('fresh')
  })
})
