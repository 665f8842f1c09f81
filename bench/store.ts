/**
 * The store benchmark: a run of 10⁶ samples (64 VMs × 15,625 windows of a
 * 250 ms sample, about 65 simulated minutes) written and opened the way the
 * app does it, next to a reference in the same process: the same samples in
 * the one-row-per-sample table the store used before sample blocks.
 *
 * - insert: the runner's path, `Store.appendSamples` in batches of 40
 *   windows × 64 VMs (what an engine thread posts in about 100 ms), each in
 *   its own transaction; the reference inserts the same batches row by row
 *   with one prepared statement, also one transaction per batch.
 *   When the run ends, the runner builds its overview (buckets of 16
 *   windows, store/buckets.ts): timed apart, and counted in a second rate.
 * - open: what a window receives when it opens the stored run, from the
 *   handler to the value the renderer holds: each reply encoded to JSON and
 *   decoded as a transport does, then parsed with the contract's output
 *   schema as the renderer's API does. The dashboard's open (the Runs view
 *   and a live run's resync) is `runs:get` without samples (record, text,
 *   summary) then `runs:samples` at 1,000 points per VM, as columns; beside
 *   it, `runs:get` with its default samples (1,000 per VM, as sample
 *   objects), which the API still offers. The reference is the old
 *   layout's decimation query (4 windows per bucket) on the same samples.
 *
 * Each figure is the median of `trials` rounds, run round robin (store,
 * reference, …) so that a change in the machine's load hits both alike; the
 * process's CPU time is given beside the wall time, since this machine is
 * shared. Prints one JSON line on stdout.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { commands } from '../src/shared/contract'
import type { RunResult, Sample, VmResult } from '../src/shared/result'
import { RESULT_FORMAT } from '../src/shared/result'
import { createServices } from '../src/main/services/services'
import { ExperimentReader } from '../src/main/reading/reader'
import { Runner } from '../src/main/runner/runner'
import { Store } from '../src/main/store/store'
import { sweepCalls } from '../src/main/sweeps/handlers'
import { SweepService } from '../src/main/sweeps/service'

export const VMS = 64
export const WINDOWS = 15_625
export const SAMPLE_MS = 250
const BATCH_WINDOWS = 40

interface Timing {
  wall_ms: number
  cpu_ms: number
}

function timed(work: () => void): Timing {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  work()
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { wall_ms: wall, cpu_ms: (cpu.user + cpu.system) / 1000 }
}

/** A deterministic stream in [0, 1) (mulberry32), so every round writes the same samples. */
function stream(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The run's batches: BATCH_WINDOWS windows × VMS samples each. */
function batches(): Sample[][] {
  const next = stream(42)
  const out: Sample[][] = []
  for (let w0 = 1; w0 <= WINDOWS; w0 += BATCH_WINDOWS) {
    const batch: Sample[] = []
    for (let w = w0; w < w0 + BATCH_WINDOWS && w <= WINDOWS; w++) {
      for (let v = 0; v < VMS; v++) {
        const busy = next() < 0.05
        batch.push({
          t_ms: w * SAMPLE_MS,
          vm: `vm${String(v + 1).padStart(2, '0')}`,
          throughput_ops_s: 200 + 800 * next(),
          latency_mean_ms: busy ? null : 1 + 20 * next(),
          latency_p99_ms: busy ? null : 20 + 200 * next(),
          disk_iops: 100 * next(),
          cpu_pct: 100 * next(),
          cpu_guest_pct: 80 * next(),
          cpu_hypervisor_pct: 20 * next(),
          disk_mb_s: 50 * next(),
          net_gbps: next()
        })
      }
    }
    out.push(batch)
  }
  return out
}

function vmResult(): VmResult {
  return {
    throughput_ops_s: 600,
    ops: 2_343_750,
    latency_ms: { mean: 11, p50: 9, p95: 30, p99: 120 },
    disk: { iops: 50, mb_s: 0.4, latency_ms: { mean: 6, p99: 30 } },
    net: { gbps: 0.01, pps: 900 },
    cpu: { guest_pct: 45, hypervisor_pct: 5, ready_pct: 2 },
    techniques: { cpu: 'hw', mmu: 'nested' },
    native_throughput_ops_s: 650,
    overhead_pct: 7.7,
    overhead_split_pct: { virtualization: 5, contention: 2.7 },
    breakdown_pct: { guest: 80, vm_exits: 5, page_walks: 2, device_emulation: 3, hypervisor_io: 2, device_service: 5, queueing: 3 },
    exits_per_op: 12
  }
}

function result(): RunResult {
  const vms: RunResult['vms'] = {}
  for (let v = 0; v < VMS; v++) vms[`vm${String(v + 1).padStart(2, '0')}`] = vmResult()
  return {
    format: RESULT_FORMAT,
    experiment: 'store benchmark',
    seed: 1,
    checksum: '0123456789abcdef',
    sim: { events: 1e9, wall_ms: 60_000, simulated_s: (WINDOWS * SAMPLE_MS) / 1000 },
    vms,
    hosts: { h1: { cpu_pct: 70, hypervisor_pct: 8 } },
    disks: {},
    arrays: {},
    events: []
  }
}

/** The table of the first schema: one row per sample. */
const ROW_TABLE = `CREATE TABLE samples (
  run_id TEXT NOT NULL, seq INTEGER NOT NULL, t_ms REAL NOT NULL, vm TEXT NOT NULL, throughput_ops_s REAL NOT NULL,
  latency_mean_ms REAL, latency_p99_ms REAL, disk_iops REAL NOT NULL, cpu_pct REAL NOT NULL,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID`

/** The old layout's decimation query (the store's before sample blocks). */
const ROW_DISPLAY = `SELECT MAX(t_ms) AS t_ms, vm, AVG(throughput_ops_s) AS throughput_ops_s,
  SUM(latency_mean_ms * throughput_ops_s) / NULLIF(SUM(CASE WHEN latency_mean_ms IS NOT NULL THEN throughput_ops_s END), 0) AS latency_mean_ms,
  MAX(latency_p99_ms) AS latency_p99_ms, AVG(disk_iops) AS disk_iops, AVG(cpu_pct) AS cpu_pct
  FROM samples WHERE run_id = ? GROUP BY vm, CAST((t_ms - 1) / ? AS INTEGER) ORDER BY MIN(seq)`

const RUN_ID = '0b6f8a3e-1111-4222-8333-944455556666'

function rowInsert(path: string, data: Sample[][]): Timing {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec(ROW_TABLE)
  const insert = db.prepare('INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
  let seq = 0
  const write = db.transaction((batch: Sample[]) => {
    for (const s of batch) insert.run(RUN_ID, seq++, s.t_ms, s.vm, s.throughput_ops_s, s.latency_mean_ms, s.latency_p99_ms, s.disk_iops, s.cpu_pct)
  })
  const t = timed(() => data.forEach((b) => write.immediate(b)))
  db.close()
  return t
}

function rowOpen(path: string): Timing {
  const db = new Database(path, { readonly: true })
  const t = timed(() => {
    const rows = db.prepare(ROW_DISPLAY).all(RUN_ID, 4 * SAMPLE_MS) as Sample[]
    JSON.parse(JSON.stringify(rows))
  })
  db.close()
  return t
}

interface StoreRound {
  insert: Timing
  overview: Timing
  bytes_per_sample: number
  /** runs:get without samples, then runs:samples at 1,000 points per VM: what the dashboard asks for when a run opens. */
  dashboard: Timing
  dashboard_bytes: number
  /** runs:get with its default samples (1,000 per VM as sample objects): the API's other way to the same points. */
  get: Timing
  get_bytes: number
}

function storeRound(dir: string, data: Sample[][], n: number): StoreRound {
  const path = join(dir, `store-${n}.db`)
  const store = Store.open(path)
  const exp = store.saveExperiment('format: hyperlab/experiment@1\nname: store benchmark\n', 'store benchmark', { hypervisors: ['esx-4.0'] })
  const run = store.createRun({ experimentId: exp.id, experimentName: exp.name, experimentText: exp.text, seed: 1, durationS: (WINDOWS * SAMPLE_MS) / 1000 })
  let seq = 0
  const insert = timed(() => {
    for (const b of data) {
      store.appendSamples(run.id, seq, b, seq / (VMS * WINDOWS))
      seq += b.length
    }
  })
  store.finishRun(run.id, { status: 'done', wallMs: 60_000, result: result() })
  // What the runner does when a run ends; timed apart (it is not per sample).
  const overview = timed(() => store.buildSampleOverview(run.id))
  store.close()
  const bytes = statSync(path).size + (() => { try { return statSync(`${path}-wal`).size } catch { return 0 } })()

  // Opened as the app opens it: a fresh store and services over it.
  const again = Store.open(path)
  const runner = new Runner(again, { workerPath: join(dir, 'no-worker.js') })
  const reader = new ExperimentReader({ threadPath: join(dir, 'no-reader.js') })
  const { handlers } = createServices({
    store: again,
    runner,
    reader,
    sweeps: sweepCalls(new SweepService({ store: again, runner, reader })),
    examplesDir: dir,
    mode: 'browser',
    dataPath: path,
    version: 'bench',
    printPdf: { name: 'none', print: () => Promise.reject(new Error('no PDF in the store benchmark')) }
  })
  /** Calls handler → JSON over the wire → the renderer's schema parse, in turn; the bytes that travelled. */
  const receive = (calls: [name: 'runs:get' | 'runs:samples', input: object][]): { t: Timing; bytes: number } => {
    let bytes = 0
    const t = timed(() => {
      for (const [name, input] of calls) {
        const reply = (handlers[name] as (i: unknown) => unknown)(input)
        const wire = JSON.stringify({ ok: true, output: reply })
        bytes += Buffer.byteLength(wire)
        commands[name].output.parse((JSON.parse(wire) as { output: unknown }).output)
      }
    })
    return { t, bytes }
  }
  const dashboard = receive([
    ['runs:get', { run_id: run.id, samples: false }],
    ['runs:samples', { run_id: run.id, max_points: 1000 }]
  ])
  const get = receive([['runs:get', { run_id: run.id }]])
  again.close()
  return { insert, overview, bytes_per_sample: bytes / seq, dashboard: dashboard.t, dashboard_bytes: dashboard.bytes, get: get.t, get_bytes: get.bytes }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const med = (ts: Timing[]): Timing => ({ wall_ms: median(ts.map((t) => t.wall_ms)), cpu_ms: median(ts.map((t) => t.cpu_ms)) })

export interface StoreBenchOutcome {
  /** The machine's load (1, 5, 15 minutes) when the benchmark ended, and its cores: wall times on a shared machine read against them. */
  load_average: number[]
  cores: number
  samples: number
  vms: number
  trials: number
  insert: Timing & { samples_per_s: number; cpu_samples_per_s: number }
  /** Building the overview when the run ends, and the rate counting it in. */
  overview: Timing & { samples_per_s_with_insert: number }
  row_insert: Timing & { samples_per_s: number }
  bytes_per_sample: number
  open_dashboard: Timing & { reply_bytes: number }
  open_get: Timing & { reply_bytes: number }
  row_open: Timing
}

export function storeBench(trials: number): StoreBenchOutcome {
  const dir = mkdtempSync(join(tmpdir(), 'hyperlab-bench-store-'))
  try {
    const data = batches()
    const total = data.reduce((s, b) => s + b.length, 0)
    // Warm-up: the JIT and SQLite's code paths, on a tenth of the run.
    storeRound(dir, data.slice(0, Math.ceil(data.length / 10)), -1)
    const rounds: StoreRound[] = []
    const rows: Timing[] = []
    const rowOpens: Timing[] = []
    for (let i = 0; i < trials; i++) {
      rounds.push(storeRound(dir, data, i))
      const path = join(dir, `rows-${i}.db`)
      rows.push(rowInsert(path, data))
      rowOpens.push(rowOpen(path))
    }
    const insert = med(rounds.map((r) => r.insert))
    const overview = med(rounds.map((r) => r.overview))
    const rowInsertT = med(rows)
    return {
      load_average: loadavg(),
      cores: availableParallelism(),
      samples: total,
      vms: VMS,
      trials,
      insert: { ...insert, samples_per_s: total / (insert.wall_ms / 1000), cpu_samples_per_s: total / (insert.cpu_ms / 1000) },
      overview: { ...overview, samples_per_s_with_insert: total / ((insert.wall_ms + overview.wall_ms) / 1000) },
      row_insert: { ...rowInsertT, samples_per_s: total / (rowInsertT.wall_ms / 1000) },
      bytes_per_sample: median(rounds.map((r) => r.bytes_per_sample)),
      open_dashboard: { ...med(rounds.map((r) => r.dashboard)), reply_bytes: rounds[0]!.dashboard_bytes },
      open_get: { ...med(rounds.map((r) => r.get)), reply_bytes: rounds[0]!.get_bytes },
      row_open: med(rowOpens)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const trialsArg = Number(process.argv[2] ?? 3)
if (process.argv[1]?.endsWith('store.mjs')) process.stdout.write(JSON.stringify(storeBench(Number.isInteger(trialsArg) && trialsArg > 0 ? trialsArg : 3)) + '\n')
