/**
 * The datacenter benchmark's child process: reads one experiment file (argv[2]),
 * parses it with the shared parser and runs it end to end exactly as the app
 * does — in the engine thread the runner starts (out/bench/worker.cjs, built
 * from src/main/runner/worker.ts), which simulates the baselines on a second
 * thread beside the main scenario — then prints one JSON line on stdout, a
 * `DatacenterOutcome`. scripts/bench.mjs starts it in a fresh Node process, so
 * the peak RSS it reports belongs to this run alone (both threads).
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { parseExperimentText } from '../src/shared/experiment/parse'
import { workerMessageSchema, type WorkerInput } from '../src/main/runner/messages'
import { totalCount } from '../src/main/store/sampleBlocks'
import { availableParallelism } from 'node:os'
import { opsInFlightAllowed, partitionExperiment } from '../src/main/engine'
import { shareParts } from '../src/main/runner/shares'
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../src/main/runner/runner'
import type { RunResult } from '../src/shared/result'

export interface DatacenterOutcome {
  file: string
  hosts: number
  vms: number
  baseline: 'native' | 'none'
  /** Threads the main scenario's parts were shared out among (its independent parts, at most). */
  threads: number
  parts: number
  /** The main scenario's simulated seconds (the baselines are not counted). */
  simulated_s: number
  /** Kernel events, main scenario and baselines. */
  events: number
  /** Start of the engine thread to its result: parse, build, main scenario and baselines. */
  wall_ms: number
  /** When the main scenario had simulated all its seconds (to within one sample batch). */
  main_wall_ms: number
  samples: number
  checksum: string
  /** CPU time of the whole process (every thread), ms: what the run cost, whatever else the machine was doing. */
  cpu_ms: number
  /** process.resourceUsage().maxRSS at the end of the run, in KB. */
  max_rss_kb: number
}

/** Wall ms between the engine thread's sample batches: fine enough to see when the main scenario ends. */
const BATCH_WALL_MS = 20

/**
 * `threads`: threads the main scenario's parts may use (every core when absent); `mainOnly`: run with
 * `baseline: none`, to measure the main scenario alone.
 */
async function main(file: string | undefined, threads: number | undefined, mainOnly: boolean): Promise<void> {
  if (!file) throw new Error('usage: node out/bench/datacenter.mjs EXPERIMENT_FILE [THREADS|all] [main-only]')
  const text = readFileSync(file, 'utf8')
  const parsed = parseExperimentText(text)
  if (!parsed.ok) throw new Error(`${file} is not valid:\n${parsed.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`)
  const exp = mainOnly ? { ...parsed.experiment, baseline: 'none' as const } : parsed.experiment
  const t0 = performance.now()
  // The engine thread's input as the app's runner gives it (its memory budget included), so the bench runs what a user's run runs.
  const workerData: WorkerInput = {
    experiment: exp,
    seed: exp.seed,
    batchWallMs: BATCH_WALL_MS,
    pace: 'max',
    eventBudget: 1e10,
    maxOpsInFlight: Math.max(1, opsInFlightAllowed(exp, DEFAULT_MEMORY_BUDGET_BYTES)),
    memoryMb: Math.max(64, Math.floor(DEFAULT_MEMORY_BUDGET_BYTES / 2 ** 20)),
    control: new SharedArrayBuffer(4),
    ...(threads === undefined ? {} : { threads })
  }
  const worker = new Worker(join(dirname(fileURLToPath(import.meta.url)), 'worker.cjs'), { workerData })
  let samples = 0
  let mainWall = 0
  const result = await new Promise<RunResult>((resolve, reject) => {
    worker.on('message', (raw: unknown) => {
      const m = workerMessageSchema.parse(raw)
      if (m.type === 'batch') {
        samples += totalCount(m.blocks)
        if (mainWall === 0 && m.simulated_s >= exp.duration_s) mainWall = performance.now() - t0
      } else if (m.type === 'done') resolve(m.result)
      else if (m.type === 'failed') reject(new Error(m.message))
    })
    worker.on('error', reject)
  })
  const wall = performance.now() - t0
  await worker.terminate()
  const out: DatacenterOutcome = {
    file,
    hosts: exp.hosts.length,
    vms: exp.vms.length,
    baseline: exp.baseline,
    threads: shareParts(exp, threads ?? availableParallelism()).length,
    parts: partitionExperiment(exp).length,
    simulated_s: result.sim.simulated_s,
    events: result.sim.events,
    wall_ms: wall,
    main_wall_ms: mainWall || wall,
    samples,
    checksum: result.checksum,
    cpu_ms: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    max_rss_kb: process.resourceUsage().maxRSS
  }
  process.stdout.write(JSON.stringify(out) + '\n')
}

const threadsArg = process.argv[3]
main(process.argv[2], threadsArg === undefined || threadsArg === 'all' ? undefined : Number(threadsArg), process.argv[4] === 'main-only').catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
})
