/**
 * Canvas edits on the YAML document: each gives a valid experiment where it
 * should, keeps comments, key order and untouched text byte for byte, and
 * undo returns the exact text before it.
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { DocumentEditor, freshId, newExperimentText, type EditResult } from '../../../src/renderer/src/builder/edits'
import { EditHistory } from '../../../src/renderer/src/builder/history'
import { parseExperimentText } from '../../../src/shared/experiment'
import { exampleFiles } from './examples'

function apply(text: string, edit: (e: DocumentEditor) => EditResult): string {
  const result = edit(new DocumentEditor(text))
  if (!result.ok) throw new Error(result.reason)
  return result.text
}

function valid(text: string): void {
  const out = parseExperimentText(text)
  expect(out.ok, JSON.stringify(!out.ok && out.issues)).toBe(true)
}

const example = (name: string): string => exampleFiles.find(([f]) => f === name)![1]

describe('builder edits', () => {
  it('builds the two-host Hyper-V cluster on an FC CSV plus an iSCSI host, from an empty experiment, without writing YAML', () => {
    let t = newExperimentText('Hyper-V cluster')
    t = apply(t, (e) => e.addHost())
    t = apply(t, (e) => e.setField(['hosts', 0, 'hypervisor'], 'hyperv-2008r2'))
    t = apply(t, (e) => e.addDevice('host:h1', 'hba'))
    t = apply(t, (e) => e.addHost('h1'))
    t = apply(t, (e) => e.addArray('fc'))
    t = apply(t, (e) => e.connect('hba:h1/fc0', 'array:fc-array1'))
    t = apply(t, (e) => e.connect('host:h2', 'array:fc-array1'))
    t = apply(t, (e) => e.addVolume('lun:fc-array1/lun1'))
    const volume = (parse(t) as { volumes: { kind: string; hosts: string[]; coordinator: string }[] }).volumes[0]!
    expect(volume).toMatchObject({ kind: 'csv', hosts: ['h1', 'h2'], coordinator: 'h1' })
    t = apply(t, (e) => e.addVm('host:h1'))
    t = apply(t, (e) => e.addVm('host:h2'))
    t = apply(t, (e) => e.connect('vm:vm1', 'volume:ds1'))
    t = apply(t, (e) => e.connect('vm:vm2', 'volume:ds1'))
    t = apply(t, (e) => e.setField(['vms', 0, 'workload'], 'oltp'))
    t = apply(t, (e) => e.setField(['vms', 1, 'workload'], 'web'))
    // A third host on an iSCSI LUN, its storage through its own NIC.
    t = apply(t, (e) => e.addHost('h1'))
    t = apply(t, (e) => e.addDevice('host:h3', 'nic'))
    t = apply(t, (e) => e.addArray('iscsi'))
    t = apply(t, (e) => e.connect('nic:h3/n1', 'array:iscsi-array1'))
    t = apply(t, (e) => e.addVolume('lun:iscsi-array1/lun1'))
    t = apply(t, (e) => e.addVm('host:h3'))
    t = apply(t, (e) => e.connect('vm:vm3', 'volume:ds2'))
    t = apply(t, (e) => e.setField(['vms', 2, 'workload'], 'file-server'))
    valid(t)
    const exp = parse(t) as { vms: { nics: { model: string }[]; disks: { model: string }[] }[]; volumes: { kind: string }[] }
    expect(exp.vms[0]!.nics[0]!.model).toBe('hyperv-synthetic')
    expect(exp.vms[0]!.disks[0]!.model).toBe('hyperv-synthetic')
    expect(exp.volumes[1]!.kind).toBe('ntfs')
  })

  it('keeps comments, key order and untouched sections byte for byte', () => {
    const text = example('san-lun-fc.yaml').replace('hosts:\n', 'hosts:\n  # the database server\n')
    const out = apply(text, (e) => e.addVm('host:h1'))
    expect(out).toContain('  # the database server\n')
    // The folded description, the settings and the arrays are exactly as written.
    const head = text.slice(0, text.indexOf('hosts:'))
    expect(out.startsWith(head)).toBe(true)
    const arrays = text.slice(text.indexOf('arrays:'), text.indexOf('vms:'))
    expect(out).toContain(arrays)
    expect(Object.keys(parse(out))).toEqual(Object.keys(parse(text)))
    valid(out)
  })

  it('renames an element and every reference to it', () => {
    const out = apply(example('san-lun-fc.yaml'), (e) => e.rename('host:h1', 'db-server'))
    valid(out)
    expect(out).not.toMatch(/\bh1\b/)
    const out2 = apply(example('san-lun-fc.yaml'), (e) => e.rename('lun:eva/lun1', 'data'))
    valid(out2)
    expect(out2).toContain('eva/data')
  })

  it('deletes what depends on a deleted element', () => {
    const out = apply(example('san-lun-fc.yaml'), (e) => e.remove(['lun:eva/lun1']))
    const exp = parse(out) as { volumes?: unknown[]; vms: { disks?: unknown[] }[] }
    expect(exp.volumes ?? []).toHaveLength(0)
    expect(exp.vms[0]!.disks ?? []).toHaveLength(0)
    const noHost = apply(example('shadow-vs-nested-paging.yaml'), (e) => e.remove(['host:shadow']))
    valid(noHost)
    expect(noHost).not.toContain('build-shadow')
  })

  it('duplicates a VM n times and pastes copies under fresh ids', () => {
    const out = apply(example('four-vms-one-disk.yaml'), (e) => e.duplicateVm('vm:vm4', 3))
    expect((parse(out) as { vms: { id: string }[] }).vms.map((v) => v.id)).toEqual(['vm1', 'vm2', 'vm3', 'vm4', 'vm5', 'vm6', 'vm7'])
    const editor = new DocumentEditor(example('san-lun-fc.yaml'))
    const fragment = editor.copy(['host:h1'])
    const pasted = apply(example('san-lun-fc.yaml'), (e) => e.paste(fragment))
    const exp = parse(pasted) as { hosts: { id: string }[]; vms: { id: string; host: string }[] }
    expect(exp.hosts.map((h) => h.id)).toEqual(['h1', 'h2'])
    expect(exp.vms.find((v) => v.id === 'db2')?.host).toBe('h2')
    expect(freshId('db', new Set(['db']))).toBe('db-2')
  })

  it('refuses to edit on the canvas while the text is not valid YAML, saying where', () => {
    const result = new DocumentEditor('name: [unclosed\n').addHost()
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(/not valid YAML \(line \d+\)/)
  })

  it('undo returns the exact text before each edit, redo the exact text after', () => {
    const history = new EditHistory()
    const texts = [example('esx35-vs-native.yaml')]
    const steps: ((e: DocumentEditor) => EditResult)[] = [
      (e) => e.addVm('host:h1'),
      (e) => e.setField(['vms', 1, 'vcpus'], 2),
      (e) => e.remove(['vm:build1']),
      (e) => e.addArray()
    ]
    for (const step of steps) {
      const next = apply(texts.at(-1)!, step)
      history.record(texts.at(-1)!, 'edit')
      texts.push(next)
    }
    let current = texts.at(-1)!
    for (let i = texts.length - 2; i >= 0; i--) {
      current = history.undo(current)!
      expect(current).toBe(texts[i])
    }
    expect(history.undo(current)).toBeNull()
    for (let i = 1; i < texts.length; i++) {
      current = history.redo(current)!
      expect(current).toBe(texts[i])
    }
  })

  it('groups keystrokes into one undo step until a pause or another kind of edit', () => {
    const history = new EditHistory({ groupMs: 1000 })
    history.record('a', 'typing', 'text', 0)
    history.record('ab', 'typing', 'text', 500)
    history.record('abc', 'typing', 'text', 900)
    history.record('abcd', 'Added host', undefined, 950)
    history.record('abcde', 'typing', 'text', 5000)
    expect(history.undo('abcdef')).toBe('abcde')
    expect(history.undo('abcde')).toBe('abcd')
    expect(history.undo('abcd')).toBe('a')
  })
})
