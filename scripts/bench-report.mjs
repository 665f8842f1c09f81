#!/usr/bin/env node
/**
 * Report benchmark: how long a user waits for a report of the 64-VM
 * datacenter (resources/examples/datacenter-64.yaml), as `hyperlab report`
 * writes it — a whole CLI process each time: start, open the store, read the
 * experiment, render, print (PDF), write. The reference, measured in the
 * same run of this script, is the report of the one-VM example
 * (resources/examples/esx35-vs-native.yaml); the figures are given as times
 * and as ratios to it, with the PDF's page count (pdfinfo, when installed).
 *
 *   npm run build && npm run bench:report            # table
 *   npm run bench:report -- --json                   # one JSON document
 *   npm run bench:report -- --trials 5               # median of 5 (default 3)
 *
 * Runs both experiments first (the datacenter takes a while: it also
 * simulates every VM alone, twice), in a temporary database removed at the end.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'out', 'main', 'cli.js')
const args = process.argv.slice(2)
const json = args.includes('--json')
const trialsAt = args.indexOf('--trials')
const trials = trialsAt >= 0 ? Number(args[trialsAt + 1]) : 3
const dir = mkdtempSync(join(tmpdir(), 'hyperlab-bench-report-'))
const db = join(dir, 'bench.db')
const log = (...m) => {
  if (!json) console.log(...m)
}

/** Runs the CLI; its wall time in ms and output, or throws with its stderr. */
function hyperlab(...cliArgs) {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [cli, ...cliArgs, '--db', db], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`hyperlab ${cliArgs.join(' ')} failed:\n${r.stderr}`)
  return { ms, stderr: r.stderr }
}

function runId(stderr) {
  const m = stderr.match(/saved as run ([0-9a-f-]{36})/)
  if (!m) throw new Error(`no run id in:\n${stderr}`)
  return m[1]
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function pages(file) {
  const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' })
  if (r.error || r.status !== 0) return null
  return Number(r.stdout.match(/^Pages:\s+(\d+)/m)?.[1] ?? NaN)
}

/** Median wall time of `trials` HTML reports and of one PDF report (printing dominates and varies little). */
function measure(name, id) {
  const html = []
  const htmlFile = join(dir, `${name}.html`)
  const pdfFile = join(dir, `${name}.pdf`)
  for (let t = 0; t < trials; t++) html.push(hyperlab('report', id, '--format', 'html', '--out', htmlFile).ms)
  const pdf = hyperlab('report', id, '--format', 'pdf', '--out', pdfFile).ms
  return { html_ms: median(html), html_bytes: statSync(htmlFile).size, pdf_ms: pdf, pdf_bytes: statSync(pdfFile).size, pdf_pages: pages(pdfFile) }
}

try {
  log('Running the reference (resources/examples/esx35-vs-native.yaml) and the datacenter (resources/examples/datacenter-64.yaml) …')
  const refRun = hyperlab('run', 'resources/examples/esx35-vs-native.yaml')
  const dcRun = hyperlab('run', 'resources/examples/datacenter-64.yaml')
  const reference = { file: 'resources/examples/esx35-vs-native.yaml', vms: 1, run_ms: refRun.ms, ...measure('reference', runId(refRun.stderr)) }
  const datacenter = { file: 'resources/examples/datacenter-64.yaml', vms: 64, run_ms: dcRun.ms, ...measure('datacenter', runId(dcRun.stderr)) }
  const ratios = {
    html_datacenter_over_reference: datacenter.html_ms / reference.html_ms,
    pdf_datacenter_over_reference: datacenter.pdf_ms / reference.pdf_ms,
    pdf_over_simulation_datacenter: datacenter.pdf_ms / datacenter.run_ms
  }
  const goal = { name: 'datacenter PDF report, wall time', value_s: datacenter.pdf_ms / 1000, target_s: 10, pass: datacenter.pdf_ms < 10_000 }
  if (json) {
    console.log(JSON.stringify({ trials, reference, datacenter, ratios, goal }, null, 2))
  } else {
    const s = (ms) => `${(ms / 1000).toFixed(2)} s`
    const kb = (b) => `${Math.round(b / 1000).toLocaleString('en')} kB`
    log(`\n${''.padEnd(30)} ${'1-VM example'.padStart(14)} ${'64-VM datacenter'.padStart(18)} ${'ratio'.padStart(8)}`)
    log(`${'simulation (hyperlab run)'.padEnd(30)} ${s(reference.run_ms).padStart(14)} ${s(datacenter.run_ms).padStart(18)}`)
    log(`${'HTML report (median of ' + trials + ')'.padEnd(6)}`.padEnd(31) + `${s(reference.html_ms).padStart(14)} ${s(datacenter.html_ms).padStart(18)} ${ratios.html_datacenter_over_reference.toFixed(2).padStart(7)}×`)
    log(`${'PDF report'.padEnd(30)} ${s(reference.pdf_ms).padStart(14)} ${s(datacenter.pdf_ms).padStart(18)} ${ratios.pdf_datacenter_over_reference.toFixed(2).padStart(7)}×`)
    log(`${'HTML size'.padEnd(30)} ${kb(reference.html_bytes).padStart(14)} ${kb(datacenter.html_bytes).padStart(18)}`)
    log(`${'PDF size, pages'.padEnd(30)} ${`${kb(reference.pdf_bytes)}, ${reference.pdf_pages ?? '?'}`.padStart(14)} ${`${kb(datacenter.pdf_bytes)}, ${datacenter.pdf_pages ?? '?'}`.padStart(18)}`)
    log(`\nEach figure is a whole \`hyperlab report\` process (start, read, render, print, write).`)
    log(`${goal.name}: ${goal.value_s.toFixed(2)} s (goal < ${goal.target_s} s) ${goal.pass ? 'PASS' : 'MISS'}`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
