/**
 * Reports of the bundled examples, checked for content: the numbers in the
 * tables are the stored summary's, every catalog citation behind a mechanism
 * is among the numbered references, the HTML asks nothing of the network,
 * the PDF opens with a sensible page count, the VM ids in its text and the
 * experiment attached; CSV and JSON carry the stored values.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../../src/main/lab'
import { vmOverhead } from '../../src/shared/overhead'
import { findChromium, renderReport } from '../../src/main/reports'
import { COMPACT_MIN_SHARE } from '../../src/main/reports/html/mechanisms'
import { citationsIn } from '../../src/main/reports/references'
import { playwrightPrinter } from '../../src/main/reports/pdf'
import { formatNumber } from '../../src/shared/format'
import { resultExportSchema, type ParsedReportRequest } from '../../src/shared/report'
import type { RunResult } from '../../src/shared/result'
import { ReportDrawer } from '../../src/main/reports/drawer'
import { reportThreadPath } from '../../src/main/paths'
import { requireBuild, ROOT, tempDir } from '../fixtures'
import { attributeValues, exampleFiles, openTestLab, poppler, runToEnd, tableRows } from './helpers'

const dir = tempDir('hyperlab-reports-')
let lab: Lab
const runs = new Map<string, string>()

beforeAll(async () => {
  requireBuild()
  lab = openTestLab(join(dir.path, 'lab.db'))
  for (const e of exampleFiles()) runs.set(e.id, await runToEnd(lab, e.text))
}, 180_000)

afterAll(async () => {
  await lab?.close()
  dir.remove()
})

function render(request: Omit<ParsedReportRequest, 'csv_table'> & { csv_table?: ParsedReportRequest['csv_table'] }) {
  return renderReport({ store: lab.store, reader: lab.reader, version: '9.9.9', printPdf: playwrightPrinter() }, { csv_table: 'summary', ...request })
}

function stored(runId: string): RunResult {
  return lab.store.getRunDetail(runId)!.result!
}

/** The value at a dotted key of a VM result (`latency_ms.p99`). */
function at(v: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o === null || o === undefined ? o : (o as Record<string, unknown>)[k]), v)
}

const DIGITS: Record<string, number> = { 'latency_ms.mean': 2, 'latency_ms.p50': 2, 'latency_ms.p95': 2, 'latency_ms.p99': 2, 'net.gbps': 3 }

describe('HTML report of each bundled example', () => {
  it('shows in its per-VM table exactly the stored summary', async () => {
    for (const [id, runId] of runs) {
      const html = (await render({ run_ids: [runId], format: 'html' })).body as string
      const result = stored(runId)
      const rows = tableRows(html, 'vms')
      // Grouped by host in the experiment's order: every VM once.
      expect(rows.map((r) => r.attrs.vm).sort(), id).toEqual(Object.keys(result.vms).sort())
      for (const row of rows) {
        const v = result.vms[row.attrs.vm!]!
        expect(row.cells.size, `${id} ${row.attrs.vm}`).toBe(12)
        for (const [key, cell] of row.cells) {
          const want = at(v, key) as number | null
          expect(cell.value, `${id} ${row.attrs.vm} ${key}`).toBe(want === null ? '' : String(want))
          expect(cell.text, `${id} ${row.attrs.vm} ${key}`).toBe(formatNumber(want, DIGITS[key] ?? 1))
        }
      }
      const overhead = tableRows(html, 'overhead')
      for (const row of overhead) {
        const split = result.vms[row.attrs.vm!]!.overhead_split_pct
        expect(row.cells.get('overhead_split_pct.virtualization')!.value).toBe(split ? String(split.virtualization) : '')
        expect(row.cells.get('overhead_split_pct.contention')!.value).toBe(split ? String(split.contention) : '')
        // The same overhead measures the app and the CLI show, from the same shared code.
        const o = vmOverhead(result.vms[row.attrs.vm!]!)
        expect(row.cells.get('overhead.latency_mean')!.value).toBe(o.figures.latency_mean.pct === null ? '' : String(o.figures.latency_mean.pct))
        expect(row.cells.get('overhead.cpu_per_op')!.value).toBe(o.figures.cpu_per_op.pct === null ? '' : String(o.figures.cpu_per_op.pct))
      }
    }
  })

  it('lists among its numbered references every catalog source a mechanism cites, and cites no reference that is not listed', async () => {
    for (const [id, runId] of runs) {
      const html = (await render({ run_ids: [runId], format: 'html' })).body as string
      const refs = [...html.matchAll(/<li id="ref-(\d+)" data-ref="\d+">([\s\S]*?)<\/li>/g)].map((m) => ({ n: Number(m[1]), text: m[2]! }))
      expect(refs.map((r) => r.n), id).toEqual(refs.map((_, i) => i + 1))
      const listed = new Set(refs.map((r) => r.text))
      // A compact report (many VMs) gathers the small mechanisms into one line that cites nothing: only the shown ones count.
      const compact = html.includes('class="gathered"')
      const shown = (e: { share_pct: number }) => !compact || e.share_pct >= COMPACT_MIN_SHARE
      const cited = new Set(Object.values(stored(runId).vms).flatMap((v) => (v.explain ?? []).filter(shown).flatMap((e) => citationsIn(e.source))))
      expect(cited.size, `${id}: its mechanisms cite the catalog`).toBeGreaterThan(0)
      for (const c of cited) expect(listed.has(c.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;')), `${id}: ${c}`).toBe(true)
      const links = new Set([...html.matchAll(/data-ref="(\d+)">\[\d+\]<\/a>/g)].map((m) => Number(m[1])))
      for (const n of links) expect(n, id).toBeLessThanOrEqual(refs.length)
      expect(links.size, `${id}: every reference is cited`).toBe(refs.length)
    }
  })

  it('makes no network request: no http(s) in any src, href or CSS url(), no scripts, no external styles', async () => {
    for (const [id, runId] of runs) {
      const html = (await render({ run_ids: [runId], format: 'html' })).body as string
      for (const attr of ['src', 'href', 'srcset', 'xlink:href', 'action', 'poster', 'data']) {
        for (const value of attributeValues(html, attr)) {
          if (attr === 'data' && !/^(https?:|\/\/)/i.test(value)) continue
          expect(value, `${id} ${attr}`).toMatch(/^(#|data:)/)
        }
      }
      // Inside the charts, url(#…) names a clip path of the same SVG.
      for (const m of html.matchAll(/url\(\s*['"]?([^'")]*)/gi)) expect(m[1], id).toMatch(/^(#|data:)/)
      expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|@import/i)
      expect(html, `${id}: http: or https: anywhere in the document`).not.toMatch(/https?:/i)
    }
  })

  it('tells the run: title, engine version, seed, checksum, the experiment in words, topology, charts with axes and legends, events, the file embedded', async () => {
    const runId = runs.get('four-vms-one-disk')!
    const detail = lab.store.getRunDetail(runId)!
    const html = (await render({ run_ids: [runId], format: 'html' })).body as string
    expect(html).toContain('<h1>Four VMs sharing one 7,200 rpm disk</h1>')
    expect(html).toContain('Hyperlab 9.9.9')
    expect(html).toContain(`<code data-key="checksum">${detail.result!.checksum}</code>`)
    expect(html).toMatch(/<dt>Seed<\/dt><dd>7<\/dd>/)
    expect(html.includes('Local disks: d0 (7,200 rpm 3.5&quot; SATA disk)'), 'the host in words').toBe(true)
    expect(html).toMatch(/<svg role="img" aria-label="Topology: 1 host\(s\), 4 VM\(s\), 0 array\(s\)"/)
    const charts = [...html.matchAll(/<svg role="img" aria-label="([^"]*)"/g)].map((m) => m[1])
    expect(charts).toEqual(expect.arrayContaining(['Throughput over simulated time', 'Latency over simulated time', 'Latency percentiles', 'CPU split', 'Where the response time went', 'Storage utilization']))
    expect(html).toContain('simulated time (s)')
    expect(html).toMatch(/>ops\/s</)
    for (const vm of ['vm1', 'vm2', 'vm3', 'vm4']) expect(html).toMatch(new RegExp(`<text[^>]*>${vm}</text>`))
    expect(html).toContain('id="events"')
    expect(html).toContain('<pre class="file" data-file="four-vms-sharing-one-7200-rpm-disk.yaml">')
    expect(html).toContain(detail.experiment_text.split('\n')[1]!.replace(/,/g, ','))
    expect(html).toMatch(/download="four-vms-sharing-one-7200-rpm-disk.yaml" href="data:text\/yaml;charset=utf-8;base64,/)
    const b64 = html.match(/href="data:text\/yaml;charset=utf-8;base64,([^"]+)"/)![1]!
    expect(Buffer.from(b64, 'base64').toString('utf8')).toBe(detail.experiment_text)
  })
})

describe('PDF report', () => {
  it('prints the report: it opens, has a sensible page count, its text holds the VM ids, the experiment file is attached', async () => {
    expect((await findChromium()).path, 'a Chromium is needed to print PDFs (apt-get install chromium)').not.toBeNull()
    const runId = runs.get('paravirtual-vs-emulated-io')!
    const report = await render({ run_ids: [runId], format: 'pdf' })
    const file = join(dir.path, report.fileName)
    writeFileSync(file, report.body)
    expect(Buffer.from(report.body as Uint8Array).subarray(0, 5).toString()).toBe('%PDF-')
    const info = poppler('pdfinfo', file)
    const pages = Number(info.match(/^Pages:\s+(\d+)/m)![1])
    expect(pages).toBeGreaterThanOrEqual(4)
    expect(pages).toBeLessThanOrEqual(30)
    expect(info).toMatch(/^Title:\s+Emulated, paravirtual and pass-through devices/m)
    expect(info).toMatch(/^Page size:\s+59\d(\.\d+)? x 84\d(\.\d+)? pts \(A4\)/m)
    const text = poppler('pdftotext', '-layout', file, '-')
    for (const vm of Object.keys(stored(runId).vms)) expect(text).toContain(vm)
    expect(text).toContain(stored(runId).checksum)
    expect(text).toMatch(/page 1 of \d+/)
    expect(poppler('pdfdetach', '-list', file)).toMatch(/^1: emulated-paravirtual-and-pass-through-devices[\w-]*\.yaml$/m)
  }, 120_000)

  it('says plainly when no Chromium can be found, and where it looked', async () => {
    const printer = playwrightPrinter(async () => ({ path: null, tried: ['$CHROMIUM_PATH (not set)', '/usr/bin/chromium (missing)'] }))
    await expect(printer.print('<p>x</p>')).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/A PDF needs a Chromium.*none was found \(looked at: \$CHROMIUM_PATH \(not set\); \/usr\/bin\/chromium \(missing\)\).*CHROMIUM_PATH/)
    })
    const search = await findChromium({ CHROMIUM_PATH: '/nowhere/chrome' }, 'linux', async () => {
      throw new Error('no registry')
    })
    expect(search.tried).toEqual(expect.arrayContaining(['$CHROMIUM_PATH: /nowhere/chrome (missing)', "Playwright's Chromium (none registered)"]))
  })
})

describe('CSV and JSON exports', () => {
  it('CSV summary: one row per VM with the stored values unrounded', async () => {
    const runId = runs.get('san-lun-fc')!
    const body = (await render({ run_ids: [runId], format: 'csv' })).body as string
    const [header, ...rows] = body.trimEnd().split('\r\n').map((l) => l.split(','))
    const result = stored(runId)
    expect(rows).toHaveLength(Object.keys(result.vms).length)
    for (const row of rows) {
      const get = (name: string) => row[header!.indexOf(name)]
      const v = result.vms[get('vm')!]!
      expect(get('run_id')).toBe(runId)
      expect(Number(get('throughput_ops_s'))).toBe(v.throughput_ops_s)
      expect(Number(get('latency_p99_ms'))).toBe(v.latency_ms.p99)
      expect(Number(get('breakdown_queueing_pct'))).toBe(v.breakdown_pct.queueing)
      expect(get('overhead_pct')).toBe(v.overhead_pct === null ? '' : String(v.overhead_pct))
    }
  })

  it('CSV samples: the chosen series of every stored window', async () => {
    const runId = runs.get('four-vms-one-disk')!
    const body = (await render({ run_ids: [runId], format: 'csv', csv_table: 'samples', series: ['latency_p99_ms', 'throughput_ops_s'] })).body as string
    const lines = body.trimEnd().split('\r\n')
    expect(lines[0]).toBe('run_id,arm,t_ms,vm,throughput_ops_s,latency_p99_ms')
    expect(lines).toHaveLength(lab.store.countSamples(runId) + 1)
    const first = lab.store.getSamples(runId)[0]!
    expect(lines[1]).toBe(`${runId},,${first.t_ms},${first.vm},${first.throughput_ops_s},${first.latency_p99_ms ?? ''}`)
  })

  it('JSON: hyperlab/result@1 with every sample and the experiment file', async () => {
    const runId = runs.get('esx35-vs-native')!
    const report = await render({ run_ids: [runId], format: 'json' })
    const doc = resultExportSchema.parse(JSON.parse(report.body as string))
    const detail = lab.store.getRunDetail(runId)!
    expect(doc).toMatchObject({ ...detail.result, run_id: runId, experiment_text: detail.experiment_text })
    expect(doc.samples).toEqual(lab.store.getSamples(runId))
    expect(report.fileName).toMatch(/^hyperlab-one-vm-alone-on-esx-3-5-vs-native-[0-9a-f]{8}\.json$/)
  })

  it('refuses deltas of a single run, naming the option', async () => {
    await expect(render({ run_ids: [runs.get('esx35-vs-native')!], format: 'csv', csv_table: 'deltas' })).rejects.toMatchObject({
      code: 'invalid-request',
      message: 'csv_table: "deltas" needs two or more runs to compare'
    })
  })
})

describe('reports drawn by the lab', () => {
  it('are drawn on the report thread, the same HTML as drawn in place, while the asking thread stays free', async () => {
    const runId = runs.values().next().value as string
    const fixed = () => new Date('2026-12-01T00:00:00Z')
    const base = { store: lab.store, reader: lab.reader, version: '9.9.9', printPdf: playwrightPrinter(), now: fixed }
    const drawer = new ReportDrawer(reportThreadPath(ROOT))
    try {
      let drawing = true
      const onThread = renderReport({ ...base, drawHtml: (data, medium) => drawer.draw(data, medium) }, { run_ids: [runId], format: 'html', csv_table: 'summary' }).finally(
        () => (drawing = false)
      )
      let turns = 0
      while (drawing && turns < 3) {
        await new Promise((resolve) => setImmediate(resolve))
        turns++
      }
      expect(turns).toBe(3)
      const inPlace = await renderReport(base, { run_ids: [runId], format: 'html', csv_table: 'summary' })
      // ECharts numbers its style classes per process: the same drawing, counted from another start.
      const unnumbered = (html: unknown) => String(html).replace(/zr\d+-(cls-\d+)?/g, 'zr-')
      expect(unnumbered((await onThread).body)).toBe(unnumbered(inPlace.body))
    } finally {
      await drawer.close()
    }
  })
})
