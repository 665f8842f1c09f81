/**
 * Comparisons of stored runs through the LabApi and as reports: an example
 * under ESX 3.5 on a Core 2 against the same under ESX 4.0 on a Nehalem, two seeds each, so the arms
 * share random streams and the intervals pair the runs seed by seed.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../../src/main/lab'
import { renderReport } from '../../src/main/reports'
import { citationsIn } from '../../src/main/reports/references'
import { playwrightPrinter } from '../../src/main/reports/pdf'
import { dispatch } from '../../src/main/services/dispatch'
import { commands } from '../../src/shared/contract'
import { formatChange, pairedInterval, type Comparison } from '../../src/shared/compare'
import { comparisonExportSchema } from '../../src/shared/report'
import { longExperimentYaml, requireBuild, tempDir } from '../fixtures'
import { attributeValues, exampleFiles, openTestLab, poppler, runToEnd, tableRows } from './helpers'

const dir = tempDir('hyperlab-compare-')
let lab: Lab
const esx35: string[] = []
const esx40: string[] = []

/** The example on ESX 3.5 and a Core 2, or on ESX 4.0 and a Nehalem (which brings EPT), shortened. */
function variant(hypervisor: 'esx-3.5' | 'esx-4.0'): string {
  const base = exampleFiles().find((e) => e.id === 'esx35-vs-native')!.text
  return base
    .replace('hypervisor: esx-3.5', `hypervisor: ${hypervisor}`)
    .replace('cpu: core2-merom', `cpu: ${hypervisor === 'esx-3.5' ? 'core2-merom' : 'nehalem-x5570'}`).replace('duration_s: 60', 'duration_s: 12').replace('warmup_s: 5', 'warmup_s: 2')
}

beforeAll(async () => {
  requireBuild()
  lab = openTestLab(join(dir.path, 'lab.db'))
  for (const seed of [1, 2]) {
    esx35.push(await runToEnd(lab, variant('esx-3.5'), seed))
    esx40.push(await runToEnd(lab, variant('esx-4.0'), seed))
  }
}, 180_000)

afterAll(async () => {
  await lab?.close()
  dir.remove()
})

async function compare(runIds: string[]): Promise<Comparison> {
  const reply = await dispatch(lab.services.handlers, 'runs:compare', { run_ids: runIds })
  if (!reply.ok) throw new Error(reply.error.message)
  return commands['runs:compare'].output.parse(reply.output)
}

describe('runs:compare', () => {
  it('groups the seeds into arms, says what changed and that the arms share random streams', async () => {
    const cmp = await compare([...esx35, ...esx40])
    expect(cmp.arms.map((a) => [a.label, a.run_ids, a.seeds])).toEqual([
      ['A', esx35, [1, 2]],
      ['B', esx40, [1, 2]]
    ])
    const c = cmp.comparisons[0]!
    expect(c.what_changed.map(formatChange)).toEqual(['hosts[h1].cpu: core2-merom → nehalem-x5570', 'hosts[h1].hypervisor: esx-3.5 → esx-4.0'])
    expect(c.random_streams).toMatchObject({ shared: true, common_seeds: [1, 2] })
  })

  it('gives each VM the delta of the stored summaries, with the interval of the seed-by-seed differences', async () => {
    const cmp = await compare([...esx35, ...esx40])
    const tp = (id: string) => lab.store.getRunDetail(id)!.result!.vms.build1!.throughput_ops_s
    const a = esx35.map(tp)
    const b = esx40.map(tp)
    const d = cmp.comparisons[0]!.vms.find((v) => v.vm === 'build1')!.metrics.find((m) => m.key === 'throughput_ops_s')!
    expect(d.method).toBe('paired')
    expect(d.reference).toBeCloseTo((a[0]! + a[1]!) / 2, 9)
    expect(d.value).toBeCloseTo((b[0]! + b[1]!) / 2, 9)
    expect(d.delta).toBeCloseTo(d.value! - d.reference!, 9)
    expect(d.relative_pct).toBeCloseTo((100 * d.delta!) / d.reference!, 9)
    const ci = pairedInterval(a, b)!
    expect(d.ci95!.low).toBeCloseTo(ci.low, 9)
    expect(d.ci95!.high).toBeCloseTo(ci.high, 9)
  })

  it('refuses a run that is not finished, one that does not exist, and a run listed twice', async () => {
    const started = await dispatch(lab.services.handlers, 'runs:start', { text: longExperimentYaml() })
    if (!started.ok) throw new Error(started.error.message)
    const running = (started.output as { id: string }).id
    await dispatch(lab.services.handlers, 'runs:cancel', { run_id: running })
    expect(await dispatch(lab.services.handlers, 'runs:compare', { run_ids: [esx35[0], running] })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/is cancelled: only a finished run has a summary/) }
    })
    expect(await dispatch(lab.services.handlers, 'runs:compare', { run_ids: [esx35[0], 'nope'] })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await dispatch(lab.services.handlers, 'runs:compare', { run_ids: [esx35[0], esx35[0]] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: `run_ids: run "${esx35[0]}" is listed twice` }
    })
    expect(await dispatch(lab.services.handlers, 'runs:compare', { run_ids: [esx35[0]] })).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })
})

describe('comparison reports', () => {
  const render = (format: 'html' | 'pdf' | 'csv' | 'json', csv_table: 'summary' | 'samples' | 'deltas' = 'summary') =>
    renderReport({ store: lab.store, reader: lab.reader, version: '9.9.9', printPdf: playwrightPrinter() }, { run_ids: [...esx35, ...esx40], format, csv_table })

  it('HTML: what changed, the shared streams, deltas equal to the model, references for every citation, nothing fetched', async () => {
    const html = (await render('html')).body as string
    const cmp = await compare([...esx35, ...esx40])
    expect(html).toContain('<code>hosts[h1].hypervisor: esx-3.5 → esx-4.0</code>')
    expect(html).toContain('common random numbers')
    const row = tableRows(html, 'deltas').find((r) => r.attrs.vm === 'build1')!
    const d = cmp.comparisons[0]!.vms[0]!.metrics
    for (const key of ['throughput_ops_s', 'latency_mean_ms', 'overhead_pct'] as const) {
      const m = d.find((x) => x.key === key)!
      expect(Number(row.cells.get(`${key}.reference`)!.value)).toBeCloseTo(m.reference!, 9)
      expect(Number(row.cells.get(`${key}.value`)!.value)).toBeCloseTo(m.value!, 9)
    }
    expect(tableRows(html, 'replications').map((r) => r.attrs.arm)).toEqual(['A', 'B'])
    const refs = new Set([...html.matchAll(/<li id="ref-\d+" data-ref="\d+">([\s\S]*?)<\/li>/g)].map((m) => m[1]))
    const cited = [...html.matchAll(/<td class="l src">([\s\S]*?)<\/td>/g)].length
    expect(cited).toBeGreaterThan(0)
    for (const id of [...esx35, ...esx40]) {
      for (const v of Object.values(lab.store.getRunDetail(id)!.result!.vms)) {
        for (const e of v.explain ?? []) for (const c of citationsIn(e.source)) if (html.includes(e.mechanism)) expect(refs.has(c.replace(/&/g, '&amp;').replace(/"/g, '&quot;'))).toBe(true)
      }
    }
    for (const value of [...attributeValues(html, 'src'), ...attributeValues(html, 'href')]) expect(value).toMatch(/^(#|data:)/)
    expect(html).not.toMatch(/https?:/i)
  })

  it('PDF: both experiment files attached, the VM and both arms in its text', async () => {
    const report = await render('pdf')
    const file = join(dir.path, report.fileName)
    writeFileSync(file, report.body)
    const pages = Number(poppler('pdfinfo', file).match(/^Pages:\s+(\d+)/m)![1])
    expect(pages).toBeGreaterThanOrEqual(3)
    expect(pages).toBeLessThanOrEqual(25)
    const text = poppler('pdftotext', '-layout', file, '-')
    expect(text).toContain('build1')
    expect(text).toContain('hosts[h1].hypervisor: esx-3.5 → esx-4.0')
    const attached = poppler('pdfdetach', '-list', file)
    expect(attached).toMatch(/^2 embedded files/m)
    expect(attached).toMatch(/A-one-vm-alone-on-esx-3-5-vs-native\.yaml/)
    expect(attached).toMatch(/B-one-vm-alone-on-esx-3-5-vs-native\.yaml/)
  }, 120_000)

  it('CSV deltas and JSON carry the comparison model', async () => {
    const cmp = await compare([...esx35, ...esx40])
    const csv = ((await render('csv', 'deltas')).body as string).trimEnd().split('\r\n')
    expect(csv[0]).toBe('reference_arm,arm,vm,metric,unit,reference,value,delta,relative_pct,ci95_low,ci95_high,method,n_reference,n_value,common_random_numbers')
    const tp = csv.find((l) => l.startsWith('A,B,build1,throughput_ops_s,'))!.split(',')
    const m = cmp.comparisons[0]!.vms[0]!.metrics[0]!
    expect(Number(tp[7])).toBe(m.delta)
    expect(tp[11]).toBe('paired')
    const doc = comparisonExportSchema.parse(JSON.parse((await render('json')).body as string))
    expect(doc.comparison).toEqual(cmp)
    expect(doc.runs.map((r) => r.run_id)).toEqual([...esx35, ...esx40])
    expect(doc.runs[0]!.samples).toEqual(lab.store.getSamples(esx35[0]!))
  })

  it('reports:render hands a PDF over as base64; reports:save needs the desktop app', async () => {
    const reply = await dispatch(lab.services.handlers, 'reports:render', { run_ids: [esx35[0]], format: 'pdf' })
    if (!reply.ok) throw new Error(reply.error.message)
    const file = commands['reports:render'].output.parse(reply.output)
    expect(file).toMatchObject({ mime: 'application/pdf', encoding: 'base64' })
    const bytes = Buffer.from(file.content, 'base64')
    expect(bytes.byteLength).toBe(file.bytes)
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    expect(await dispatch(lab.services.handlers, 'reports:save', { run_ids: [esx35[0]], format: 'html' })).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/desktop app/) }
    })
    expect(await dispatch(lab.services.handlers, 'reports:render', { run_ids: [esx35[0]], format: 'docx' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', issues: [{ path: 'format', message: 'must be one of "html", "pdf", "csv", "json"' }] }
    })
  }, 120_000)
})
