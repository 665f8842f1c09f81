/**
 * The experiment reader: text is read on a thread of its own, so a slow or
 * huge text answers "too complex" as an issue, and the process that asked
 * keeps answering meanwhile.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ExperimentReader, type ReaderOptions } from '../src/main/reading/reader'
import { BUILT_READER, requireBuild, ROOT } from './fixtures'

beforeAll(requireBuild)
const open: ExperimentReader[] = []
afterEach(async () => {
  for (const r of open.splice(0)) await r.close()
})

function reader(options: Partial<ReaderOptions> = {}): ExperimentReader {
  const r = new ExperimentReader({ threadPath: BUILT_READER, ...options })
  open.push(r)
  return r
}

const example = readFileSync(join(ROOT, 'resources/examples/four-vms-one-disk.yaml'), 'utf8')

/** Valid YAML within every bound (1.5 MB) that takes a while and a lot of memory to build: 240,000 values. */
function heavyText(): string {
  return 'points:\n' + Array.from({ length: 12_000 }, (_, i) => `  - [${Array.from({ length: 19 }, (_, j) => i + j).join(', ')}]`).join('\n')
}

describe('the experiment reader', () => {
  it('reads a valid experiment and names every issue of an invalid one', async () => {
    const r = reader()
    const ok = await r.read(example)
    expect(ok.ok && ok.experiment.vms.map((v) => v.id)).toEqual(['vm1', 'vm2', 'vm3', 'vm4'])
    const bad = await r.read(example.replace('vcpus: 1', 'vcpus: -1'))
    expect(bad.ok).toBe(false)
  })

  it('answers "too complex" when reading takes longer than its limit, then reads the next text on a new thread', async () => {
    const r = reader({ timeoutMs: 1 })
    const slow = await r.read(heavyText())
    expect(slow).toEqual({ ok: false, issues: [{ path: '(file)', message: expect.stringMatching(/^is too complex to read: reading it took longer than/) }] })
  })

  it('answers "too complex" when the text needs more memory than the thread has, and recovers', async () => {
    const r = reader({ memoryMb: 48 })
    const big = await r.read(heavyText())
    expect(big).toEqual({ ok: false, issues: [{ path: '(file)', message: 'is too complex to read: it needs more than 48 MB of memory' }] })
    const next = await r.read(example)
    expect(next.ok).toBe(true)
  })

  it('keeps the asking thread free while it reads', async () => {
    const r = reader()
    let reading = true
    const done = r.read(heavyText()).finally(() => (reading = false))
    let turns = 0
    while (reading && turns < 5) {
      await new Promise((resolve) => setImmediate(resolve))
      turns++
    }
    expect(turns).toBe(5)
    expect(reading).toBe(true)
    await done
  })

  it('answers each ask once, in order, and refuses asks once closed', async () => {
    const r = reader()
    const answers = await Promise.all([r.read(example), r.read('nope: ['), r.read(example)])
    expect(answers.map((a) => a.ok)).toEqual([true, false, true])
    await r.close()
    await expect(r.read(example)).rejects.toThrow(/closed/)
  })
})
