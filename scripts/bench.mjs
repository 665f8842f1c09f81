#!/usr/bin/env node
/**
 * Kernel benchmark: an M/M/1 queue (λ = 0.9, μ = 1, 10⁶ customers, two events
 * per customer) on the engine's kernel through its public API, next to a bare
 * binary-heap loop of the same model, the npm library js-simulator, and SimPy
 * (SimPy 3/4 via `import simpy`, or SimPy 2 — what Debian's python3-simpy
 * ships — via `import SimPy`; tried with `python3`, then `/usr/bin/python3`;
 * skipped with a note when neither works).
 * Prints events/s for each, the ratios engine/bare, engine/js-simulator and
 * engine/SimPy, and checks every run's mean response time against theory
 * (1/(μ − λ) = 10).
 *
 *   npm run bench                 # table
 *   npm run bench -- --json       # one JSON document
 *   npm run bench -- --customers 200000 --trials 3 --simpy-customers 100000
 *   npm run bench -- --no-datacenter --sweep-runs 8 --sweep-trials 3   # no datacenter run; a bigger sweep
 *
 * Then the datacenter benchmark: resources/examples/datacenter-64.yaml (8 hosts,
 * 64 VMs, one FC array, baseline: native) parsed and run end to end in the
 * app's own engine thread (src/main/runner/worker.ts, which runs the
 * baselines on a second thread) inside a fresh child Node process
 * (bench/datacenter.ts), so its peak RSS is that run's own. Prints wall time, kernel events, events/s, events per
 * simulated second, peak RSS and the real-time factor (the main scenario's
 * simulated seconds ÷ the wall time of everything, baselines included), and
 * checks them against their goals (PASS/MISS; a MISS does not fail the
 * script). `--no-datacenter` skips it.
 *
 * Then the store benchmark (bench/store.ts, in a child process of its own):
 * a run of 10⁶ samples (64 VMs) written through the store as the runner
 * writes it, and opened into what a window receives (the dashboard's
 * `runs:get` without samples and `runs:samples` at 1,000 points per VM; the
 * Runs view's `runs:get`; each through JSON and the contract's schema),
 * next to the same samples in the one-row-per-sample
 * table the store used before (insert and decimation query). Prints samples/s,
 * milliseconds (wall and CPU), the ratios store/reference and the goals
 * (≥ 500,000 samples/s; < 300 ms to open). `--no-store` skips it,
 * `--store-trials N` sets its rounds (default 3).
 * Then the sweep scaling (bench/sweep.ts): one sweep of identical runs through the lab's
 * local pool with one slot and with one slot per core, alternately, in this process;
 * prints the speedup, the efficiency per core against its goal (≥ 85 %), and how many
 * cores the process actually got (CPU time ÷ wall), since other work on the machine
 * takes cores from it. `--no-sweep` skips it.
 *
 * How the TypeScript runs: Node 20 cannot execute .ts, so this script first
 * bundles bench/mm1.ts and bench/datacenter.ts (which import the engine from
 * src/main/engine) with Vite's build API in SSR mode into out/bench/*.mjs, and
 * the engine thread into out/bench/worker.cjs —
 * Vite is already a dev dependency, so this works from a clean clone after
 * `npm install` — and then imports (or spawns) those bundles. js-simulator,
 * yaml and zod stay external and are loaded from node_modules.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { build } from 'vite'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const flag = (name) => args.includes(`--${name}`)
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback
}
const json = flag('json')
const customers = option('customers', 1_000_000)
const trials = option('trials', 5)
const simpyCustomers = option('simpy-customers', 200_000)
const seed = option('seed', 1)
const datacenterFile = 'resources/examples/datacenter-64.yaml' // relative to root
const THEORY = 10
const TOLERANCE = 0.05 // a 10⁶-customer run at ρ = 0.9 has a standard error of ~3 % on the mean

const log = (...m) => {
  if (!json) console.log(...m)
}

/** Bundles `input` entries into out/bench with Vite's build API in SSR mode, as `format` files ending in `ext`. */
function bundleInto(outDir, input, format, ext, emptyOutDir) {
  return build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir,
      emptyOutDir,
      minify: false,
      target: 'node20',
      rollupOptions: { input, output: { format, entryFileNames: `[name].${ext}`, chunkFileNames: `[name]-[hash].${ext}` } }
    },
    ssr: { external: ['js-simulator'] }
  })
}

async function bundle() {
  const outDir = join(root, 'out', 'bench')
  await bundleInto(
    outDir,
    { mm1: join(root, 'bench', 'mm1.ts'), datacenter: join(root, 'bench', 'datacenter.ts'), store: join(root, 'bench', 'store.ts'), sweep: join(root, 'bench', 'sweep.ts') },
    'es',
    'mjs',
    true
  )
  // The app's engine thread and experiment reader thread, as the runner and the reader start them (CommonJS, like the app's build).
  await bundleInto(outDir, { worker: join(root, 'src', 'main', 'runner', 'worker.ts'), reader: join(root, 'src', 'main', 'reading', 'thread.ts') }, 'cjs', 'cjs', false)
  return import(pathToFileURL(join(outDir, 'mm1.mjs')).href)
}

/**
 * Runs every implementation `trials` times after a warm-up, round robin (engine, bare, js-simulator,
 * engine, …) so that a change in machine load hits them alike; keeps each one's median events/s.
 */
function measureAll(impls) {
  for (const [, fn] of impls) fn(Math.min(100_000, customers), seed + 1000) // warm up the JIT
  const runs = impls.map(() => [])
  for (let t = 0; t < trials; t++) {
    impls.forEach(([, fn], k) => {
      const t0 = performance.now()
      const out = fn(customers, seed + t)
      const wall = (performance.now() - t0) / 1000
      runs[k].push({ events_per_s: out.events / wall, mean_response: out.meanResponse })
    })
  }
  return impls.map(([name], k) => {
    const sorted = [...runs[k]].sort((a, b) => a.events_per_s - b.events_per_s)
    const worst = Math.max(...runs[k].map((r) => Math.abs(r.mean_response - THEORY) / THEORY))
    return {
      name,
      customers,
      trials,
      events_per_s: sorted[Math.floor(sorted.length / 2)].events_per_s,
      best_events_per_s: sorted[sorted.length - 1].events_per_s,
      mean_response: runs[k].map((r) => r.mean_response),
      theory_ok: worst <= TOLERANCE
    }
  })
}

/** The first Python that can import SimPy 3/4 (`simpy`) or SimPy 2 (`SimPy`, Debian's python3-simpy). */
function findPython() {
  const probe = 'try:\n import simpy\nexcept ImportError:\n import SimPy.Simulation'
  // A pyenv or venv python3 first on the PATH may not see Debian's dist-packages; /usr/bin/python3 does.
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', probe], { encoding: 'utf8' })
    if (!r.error && r.status === 0) return python
  }
  return null
}

function simpy() {
  const python = findPython()
  if (!python) return { name: 'simpy', skipped: 'no python3 that can import simpy (pip install simpy, or apt-get install python3-simpy)' }
  const run = spawnSync(python, [join(root, 'bench', 'mm1_simpy.py'), String(simpyCustomers), String(seed)], { encoding: 'utf8' })
  if (run.status !== 0) return { name: 'simpy', skipped: `simpy run failed: ${run.stderr.trim().split('\n').pop()}` }
  const out = JSON.parse(run.stdout.trim())
  return {
    name: 'simpy',
    version: out.simpy,
    python,
    customers: out.customers,
    trials: 1,
    events_per_s: out.events / out.wall_s,
    best_events_per_s: out.events / out.wall_s,
    mean_response: [out.mean_response],
    // Fewer customers than the others (SimPy is slow): the tolerance widens with the standard error.
    theory_ok: Math.abs(out.mean_response - THEORY) / THEORY <= TOLERANCE * Math.sqrt(Math.max(1, customers / out.customers))
  }
}

const mm1 = await bundle()
log(`M/M/1, λ = ${mm1.LAMBDA}, μ = ${mm1.MU}, ${customers.toLocaleString('en')} customers, median of ${trials} interleaved trials (theory: mean response ${THEORY})`)
const results = [
  ...measureAll([
    ['engine', mm1.mm1Engine],
    ['bare-heap', mm1.mm1Bare],
    ['js-simulator', mm1.mm1JsSimulator]
  ]),
  simpy()
]
const by = Object.fromEntries(results.map((r) => [r.name, r]))
const ratio = (a, b) => (by[a]?.events_per_s && by[b]?.events_per_s ? by[a].events_per_s / by[b].events_per_s : null)
const ratios = {
  engine_over_bare: ratio('engine', 'bare-heap'),
  engine_over_js_simulator: ratio('engine', 'js-simulator'),
  engine_over_simpy: ratio('engine', 'simpy')
}
const goals = { engine_over_bare: 0.7, engine_over_js_simulator: 1.5, engine_over_simpy: 40 }

if (!json) {
  for (const r of results) {
    if (r.skipped) {
      console.log(`  ${r.name.padEnd(13)} skipped: ${r.skipped}`)
      continue
    }
    const means = r.mean_response.map((m) => m.toFixed(2)).join(', ')
    const note = r.version ? `  (SimPy ${r.version}, ${r.customers.toLocaleString('en')} customers)` : ''
    console.log(`  ${r.name.padEnd(13)} ${(r.events_per_s / 1e6).toFixed(2).padStart(7)} M events/s   mean response ${means}  ${r.theory_ok ? 'ok' : 'OFF THEORY'}${note}`)
  }
  for (const [k, v] of Object.entries(ratios)) {
    const goal = goals[k]
    console.log(`  ${k.padEnd(26)} ${v === null ? 'n/a' : v.toFixed(2).padStart(7)}   (goal ≥ ${goal})${v !== null && v < goal ? '  BELOW GOAL' : ''}`)
  }
}
if (!flag('no-datacenter')) log(`\nDatacenter: running ${datacenterFile} end to end in a child process …`)
const datacenter = flag('no-datacenter') ? null : runDatacenter(by.engine.events_per_s)
if (!json && datacenter) printDatacenter(datacenter)
if (!flag('no-store')) log(`\nStore: a run of 10⁶ samples written and opened, in a child process …`)
const store = flag('no-store') ? null : runStore(option('store-trials', 3))
if (!json && store) printStore(store)
const sweep = flag('no-sweep') ? null : await runSweepScaling()
if (json) {
  console.log(JSON.stringify({ model: { lambda: mm1.LAMBDA, mu: mm1.MU, customers, theory_mean_response: THEORY }, results, ratios, goals, datacenter, store, sweep }, null, 2))
} else if (sweep) printSweep(sweep)
const bad = results.filter((r) => !r.skipped && !r.theory_ok)
if (bad.length > 0 || datacenter?.error || store?.error) process.exitCode = 1

/** Runs bench/store.ts in a child process and adds its ratios and goals. */
function runStore(trials) {
  const child = spawnSync(process.execPath, [join(root, 'out', 'bench', 'store.mjs'), String(trials)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024
  })
  if (child.status !== 0) return { error: (child.stderr || String(child.error)).trim() }
  const out = JSON.parse(child.stdout.trim())
  const goal = (name, value, op, target) => ({ name, value, op, target, pass: op === '≥' ? value >= target : value < target })
  return {
    ...out,
    ratios: {
      insert_over_rows: out.insert.samples_per_s / out.row_insert.samples_per_s,
      row_open_over_open_dashboard: out.row_open.wall_ms / out.open_dashboard.wall_ms,
      row_open_over_open_get: out.row_open.wall_ms / out.open_get.wall_ms
    },
    goals: [
      goal('insert_samples_per_s', out.insert.samples_per_s, '≥', 500_000),
      goal('open_dashboard_ms', out.open_dashboard.wall_ms, '<', 300),
      goal('open_get_ms', out.open_get.wall_ms, '<', 300)
    ]
  }
}

function printStore(s) {
  if (s.error) {
    console.log(`  FAILED\n${s.error}`)
    return
  }
  const n = (v, digits = 0) => v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  const ms = (t) => `${n(t.wall_ms)} ms (CPU ${n(t.cpu_ms)} ms)`
  console.log(`  ${n(s.samples)} samples, ${s.vms} VMs, median of ${s.trials} rounds (store, then the one-row-per-sample reference)`)
  console.log(`  load average ${s.load_average.map((l) => n(l, 1)).join(', ')} on ${s.cores} cores: wall time counts waiting for a core, CPU time does not`)
  const rows = [
    ['insert, store', `${n(s.insert.samples_per_s)} samples/s`, `${ms(s.insert)}; ${n(s.insert.cpu_samples_per_s)} samples per CPU second`],
    ['  overview at the end', ms(s.overview), `${n(s.overview.samples_per_s_with_insert)} samples/s counting it in`],
    ['insert, rows (ref.)', `${n(s.row_insert.samples_per_s)} samples/s`, ms(s.row_insert)],
    ['  store ÷ rows', `${n(s.ratios.insert_over_rows, 1)} ×`, ''],
    ['database size', `${n(s.bytes_per_sample, 1)} B/sample`, 'file and log after the run, overview included'],
    ['open for the dashboard', ms(s.open_dashboard), `runs:get (no samples) + runs:samples (1,000 points per VM): ${n(s.open_dashboard.reply_bytes / 1e6, 1)} MB of JSON`],
    ['open: runs:get', ms(s.open_get), `with its default 1,000 sample objects per VM: ${n(s.open_get.reply_bytes / 1e6, 1)} MB of JSON`],
    ['open, rows (ref.)', ms(s.row_open), 'the old decimation query and JSON, no schema'],
    ['  rows ÷ dashboard', `${n(s.ratios.row_open_over_open_dashboard, 1)} ×`, ''],
    ['  rows ÷ runs:get', `${n(s.ratios.row_open_over_open_get, 1)} ×`, '']
  ]
  for (const [k, v, note] of rows) console.log(`  ${k.padEnd(22)} ${v.padStart(26)}   ${note}`.trimEnd())
  const show = { insert_samples_per_s: (v) => `${n(v)}/s`, open_dashboard_ms: (v) => `${n(v)} ms`, open_get_ms: (v) => `${n(v)} ms` }
  const label = { insert_samples_per_s: 'sample insert rate', open_dashboard_ms: 'open a 10⁶-sample run (dashboard)', open_get_ms: 'open it with runs:get alone' }
  console.log(`  ${'goal'.padEnd(34)} ${'value'.padStart(14)}   ${'target'.padEnd(14)} result`)
  for (const g of s.goals) {
    console.log(`  ${label[g.name].padEnd(34)} ${show[g.name](g.value).padStart(14)}   ${(g.op + ' ' + show[g.name](g.target)).padEnd(14)} ${g.pass ? 'PASS' : 'MISS'}`)
  }
}

/**
 * Sweep scaling: `--sweep-runs` replications (default 4 per core) of
 * resources/examples/four-vms-one-disk.yaml as one sweep, run by the local pool with
 * one slot and with one slot per core, alternately (`--sweep-trials` rounds, default 2), in this process.
 * Efficiency per core = (wall with 1 slot ÷ wall with N) ÷ N; the CPU the process got while
 * the N-slot sweep ran (CPU time ÷ wall) tells how many cores it was given.
 */
async function runSweepScaling() {
  const { availableParallelism } = await import('node:os')
  const { readFileSync } = await import('node:fs')
  const { timeSweep } = await import(pathToFileURL(join(root, 'out', 'bench', 'sweep.mjs')).href)
  const cores = availableParallelism()
  const runs = option('sweep-runs', 4 * cores)
  const trials = option('sweep-trials', 2)
  const example = 'resources/examples/four-vms-one-disk.yaml'
  const text = `${readFileSync(join(root, example), 'utf8')}\nsweep:\n  replications: ${runs}\n`
  const paths = { workerPath: join(root, 'out', 'bench', 'worker.cjs'), readerPath: join(root, 'out', 'bench', 'reader.cjs') }
  log(`\nSweep scaling: ${runs} runs of ${example} as one sweep, 1 slot against ${cores} (one per core), ${trials} alternating rounds …`)
  const one = []
  const all = []
  for (let t = 0; t < trials; t++) {
    one.push(await timeSweep({ text, slots: 1, ...paths }))
    all.push(await timeSweep({ text, slots: cores, ...paths }))
  }
  const best = (xs) => xs.reduce((a, b) => (b.wall_ms < a.wall_ms ? b : a))
  const b1 = best(one)
  const bn = best(all)
  const speedup = b1.wall_ms / bn.wall_ms
  const { loadavg } = await import('node:os')
  return {
    example,
    runs,
    cores,
    trials,
    one_slot: one,
    all_slots: all,
    speedup,
    efficiency_per_core: speedup / cores,
    cores_obtained: bn.cpu_ms / bn.wall_ms,
    load_average_1min: loadavg()[0],
    goal: { efficiency_per_core: 0.85 },
    pass: speedup / cores >= 0.85
  }
}

function printSweep(s) {
  const row = (t) => `${(t.wall_ms / 1000).toFixed(2).padStart(7)} s wall, ${(t.cpu_ms / 1000).toFixed(2).padStart(7)} s CPU (${(t.cpu_ms / t.wall_ms).toFixed(2)} cores busy), ${t.runs} runs ${t.status}`
  s.one_slot.forEach((t, i) => console.log(`  round ${i + 1}  1 slot    ${row(t)}`))
  s.all_slots.forEach((t, i) => console.log(`  round ${i + 1}  ${String(s.cores).padEnd(2)} slots  ${row(t)}`))
  console.log(`  speedup (best of each)           ${s.speedup.toFixed(2)} ×`)
  console.log(`  efficiency per core              ${(100 * s.efficiency_per_core).toFixed(1)} %   (goal ≥ 85 %) ${s.pass ? 'PASS' : 'MISS'}`)
  console.log(`  cores the ${s.cores}-slot sweep got   ${s.cores_obtained.toFixed(2)} of ${s.cores} (CPU time ÷ wall; load average ${s.load_average_1min.toFixed(1)} — other work on the machine lowers it)`)
}

/**
 * Runs the datacenter scenario in a child Node process (out/bench/datacenter.mjs) and checks it
 * against its goals; `mm1EventsPerS` is the engine kernel's M/M/1 rate measured above.
 */
function runDatacenter(mm1EventsPerS) {
  const child = spawnSync(process.execPath, [join(root, 'out', 'bench', 'datacenter.mjs'), datacenterFile], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024
  })
  if (child.status !== 0) return { file: datacenterFile, error: (child.stderr || String(child.error)).trim() }
  const out = JSON.parse(child.stdout.trim())
  const wallS = out.wall_ms / 1000
  const eventsPerS = out.events / wallS
  const measured = {
    wall_s: wallS,
    events: out.events,
    events_per_s: eventsPerS,
    events_per_simulated_s: out.events / out.simulated_s,
    peak_rss_mb: out.max_rss_kb / 1024,
    real_time_factor: out.simulated_s / wallS
  }
  const goal = (name, value, op, target) => ({ name, value, op, target, pass: op === '≥' ? value >= target : value < target })
  return {
    ...out,
    ...measured,
    goals: [
      goal('real_time_factor', measured.real_time_factor, '≥', 20),
      goal('events_per_s', eventsPerS, '≥', 0.4 * mm1EventsPerS),
      goal('peak_rss_mb', measured.peak_rss_mb, '<', 300)
    ]
  }
}

function printDatacenter(d) {
  if (d.error) {
    console.log(`  FAILED\n${d.error}`)
    return
  }
  const n = (v, digits = 0) => v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  console.log(`  ${d.file}: ${d.hosts} hosts, ${d.vms} VMs, ${d.simulated_s} simulated s, baseline: ${d.baseline}`)
  const rows = [
    ['wall time', `${n(d.wall_s, 2)} s`, 'engine thread start to result: parse, build, main scenario, baselines (on a second thread)'],
    ['  main scenario done', `${n(d.main_wall_ms / 1000, 2)} s`, `after start (± one 20 ms batch): ${n(d.simulated_s / (d.main_wall_ms / 1000), 2)} × real time`],
    ['kernel events', n(d.events), 'main scenario + baselines'],
    ['events/s', `${n(d.events_per_s / 1e6, 2)} M`, ''],
    ['events per simulated s', n(d.events_per_simulated_s), `all events ÷ the main scenario's ${d.simulated_s} s`],
    ['peak RSS', `${n(d.peak_rss_mb, 1)} MB`, 'maxRSS of the child process, both engine threads'],
    ['real-time factor', `${n(d.real_time_factor, 2)} ×`, `${d.simulated_s} simulated s ÷ wall time (which includes the baselines)`]
  ]
  for (const [k, v, note] of rows) console.log(`  ${k.padEnd(24)} ${v.padStart(14)}   ${note}`.trimEnd())
  const show = {
    real_time_factor: (v) => `${n(v, 2)} ×`,
    events_per_s: (v) => `${n(v / 1e6, 2)} M/s`,
    peak_rss_mb: (v) => `${n(v, 1)} MB`
  }
  const label = {
    real_time_factor: 'real-time factor',
    events_per_s: 'events/s (0.4 × M/M/1 engine)',
    peak_rss_mb: 'peak RSS'
  }
  console.log(`  ${'goal'.padEnd(32)} ${'value'.padStart(12)}   ${'target'.padEnd(14)} result`)
  for (const g of d.goals) {
    console.log(`  ${label[g.name].padEnd(32)} ${show[g.name](g.value).padStart(12)}   ${(g.op + ' ' + show[g.name](g.target)).padEnd(14)} ${g.pass ? 'PASS' : 'MISS'}`)
  }
}
