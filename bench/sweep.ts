/**
 * Sweep scaling: the same sweep (replications of one experiment, so every
 * run is the same size) run by the lab's local pool with one slot and with
 * one slot per core, in this process, through the real services (store,
 * runner, engine threads). Reports wall time and the CPU time the process
 * got, so a reader can tell a pool that does not scale from a machine whose
 * cores were busy with other work, and every run's checksum, so the bench
 * can tell that the slots change nothing in the results.
 *
 * A lab is either fresh (the sweep pays for starting the reader and the
 * pool's engine threads and for compiling the engine) or warm: it has run a
 * sweep before, untimed, as a lab does that a user keeps open, so the timed
 * sweep measures the pool's steady state.
 *
 * The reference (`timeBareThreads`): the same runs on the same long-lived
 * engine threads with nothing of the lab around them (no store, runner,
 * reader or sweep), as `hyperlab worker` runs points: what this machine gives
 * N threads of engine work at the moment, the ceiling of any pool on it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseExperimentText } from '../src/shared/experiment'
import { ExperimentReader } from '../src/main/reading/reader'
import { EngineThreadPool } from '../src/main/runner/enginePool'
import { DEFAULT_MEMORY_BUDGET_BYTES, Runner } from '../src/main/runner/runner'
import { runOnEngineThread } from '../src/main/sweeps/engineJob'
import { Store } from '../src/main/store/store'
import { Slots } from '../src/main/sweeps/localPool'
import { SweepService } from '../src/main/sweeps/service'

export interface SweepTiming {
  slots: number
  runs: number
  wall_ms: number
  /** CPU time of this process (every thread) while the sweep ran. */
  cpu_ms: number
  /**
   * CPU time of the main thread alone (store, runner, sweep, messages) while the sweep ran, or null where the
   * system does not tell it: work no engine thread does, taken from one whenever every core has a slot.
   */
  main_cpu_ms: number | null
  status: string
  /** Every run's checksum, by point then replication. */
  checksums: (string | null)[]
}

export interface SweepTimingOptions {
  text: string
  slots: number
  workerPath: string
  readerPath: string
  /** A sweep the lab runs first, untimed (a warm lab); none: a fresh lab. */
  warmText?: string
}

export async function timeSweep(options: SweepTimingOptions): Promise<SweepTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'hyperlab-bench-sweep-'))
  const store = Store.open(join(dir, 'lab.db'))
  const runner = new Runner(store, { workerPath: options.workerPath, batchWallMs: 250 })
  const reader = new ExperimentReader({ threadPath: options.readerPath })
  const sweeps = new SweepService({ store, runner, reader, slots: new Slots(options.slots) })
  try {
    if (options.warmText !== undefined) {
      const warm = await sweeps.wait((await sweeps.start(options.warmText)).id)
      if (warm?.status !== 'done') throw new Error(`the warm-up sweep ended ${warm?.status ?? 'unknown'}`)
    }
    const cpu0 = process.cpuUsage()
    const main0 = mainThreadCpuMs()
    const t0 = performance.now()
    const started = await sweeps.start(options.text)
    const ended = await sweeps.wait(started.id)
    const wall = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const main1 = mainThreadCpuMs()
    return {
      slots: options.slots,
      runs: ended?.runs_done ?? 0,
      wall_ms: wall,
      cpu_ms: (cpu.user + cpu.system) / 1000,
      main_cpu_ms: main0 === null || main1 === null ? null : main1 - main0,
      status: ended?.status ?? 'unknown',
      checksums: store.sweeps.runs(started.id).map((r) => r.checksum)
    }
  } finally {
    await Promise.all([sweeps.shutdown(), runner.shutdown(), reader.close()])
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * CPU time this (main) thread has used, ms, from Linux's /proc/thread-self/stat (utime + stime, in ticks of
 * 10 ms); null elsewhere. (Node 20 has no per-thread CPU clock.)
 */
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return null
  }
}

export interface BareTiming {
  slots: number
  runs: number
  wall_ms: number
  cpu_ms: number
}

/**
 * `runs` runs of the experiment in `text` (no sweep block) on `slots` pooled engine threads and nothing else,
 * after 2 untimed runs per thread (as a warm lab), seeds 1…runs.
 */
export async function timeBareThreads(options: { text: string; slots: number; runs: number; workerPath: string }): Promise<BareTiming> {
  const parsed = parseExperimentText(options.text)
  if (!parsed.ok) throw new Error(`the reference experiment does not read: ${parsed.issues[0]?.message}`)
  const experiment = parsed.experiment
  const pool = new EngineThreadPool(options.workerPath, DEFAULT_MEMORY_BUDGET_BYTES, { keep: options.slots, idleMs: 60_000 })
  // Each slot takes the next run as soon as its last has ended, like the lab's pool.
  const runAll = async (count: number, firstSeed: number): Promise<void> => {
    let next = 0
    const slot = async (): Promise<void> => {
      while (next < count) {
        const seed = firstSeed + next++
        await runOnEngineThread(pool, { ...experiment, seed }, seed).finished
      }
    }
    await Promise.all(Array.from({ length: options.slots }, slot))
  }
  try {
    await runAll(2 * options.slots, 1_000_000)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    await runAll(options.runs, 1)
    const wall = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    return { slots: options.slots, runs: options.runs, wall_ms: wall, cpu_ms: (cpu.user + cpu.system) / 1000 }
  } finally {
    await pool.close()
  }
}
