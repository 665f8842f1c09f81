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
 *
 * How the TypeScript runs: Node 20 cannot execute .ts, so this script first
 * bundles bench/mm1.ts (which imports the engine from src/main/engine) with
 * Vite's build API in SSR mode into out/bench/mm1.mjs — Vite is already a
 * dev dependency, so this works from a clean clone after `npm install` — and
 * then imports that bundle. js-simulator stays external and is loaded from
 * node_modules.
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
const THEORY = 10
const TOLERANCE = 0.05 // a 10⁶-customer run at ρ = 0.9 has a standard error of ~3 % on the mean

const log = (...m) => {
  if (!json) console.log(...m)
}

async function bundle() {
  const outDir = join(root, 'out', 'bench')
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: join(root, 'bench', 'mm1.ts'),
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rollupOptions: { output: { format: 'es', entryFileNames: 'mm1.mjs' } }
    },
    ssr: { external: ['js-simulator'] }
  })
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

if (json) {
  console.log(JSON.stringify({ model: { lambda: mm1.LAMBDA, mu: mm1.MU, customers, theory_mean_response: THEORY }, results, ratios, goals }, null, 2))
} else {
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
const bad = results.filter((r) => !r.skipped && !r.theory_ok)
if (bad.length > 0) process.exitCode = 1
