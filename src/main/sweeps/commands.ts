/**
 * The CLI's sweep commands: `hyperlab sweep FILE` (on this machine's cores,
 * or through Redis with `--redis URL`), `hyperlab worker --redis URL` (run
 * points for a coordinator, on any number of machines), and `hyperlab sweeps
 * list | show | resume | cancel`. Progress goes to stderr, the sweep to
 * stdout (`--json`: hyperlab/sweep@1).
 */
import { availableParallelism } from 'node:os'
import { InvalidArgumentError, type Command } from 'commander'
import type { SweepRecord } from '../../shared/sweeps'
import type { Experiment } from '../../shared/experiment'
import { table } from '../cli/format'
import type { Store } from '../store/store'
import { distributedExecution, removeWaitingJobs } from './coordinator'
import { DEFAULT_QUEUE, probeRedis, redisUrlProblem, shownUrl } from './queue'
import { startWorker } from './remoteWorker'
import { sweepReport, sweepText } from './report'
import type { ExecutionChoice, SweepService } from './service'

/** What the sweep commands use of a lab (lab.ts builds it). */
export interface SweepLab {
  sweeps: SweepService
  store: Store
  dbPath: string
  close(): Promise<void>
}

export interface CliHelpers {
  readText(file: string): Promise<string>
  /** The checked experiment of `text`, or an error naming every issue with its path. */
  checked(file: string, text: string): Promise<Experiment>
  /** An error the CLI reports as bad input (exit code 2), in one line per problem. */
  usage(message: string): Error
  dbHelp: string
  /** Checks a --db value. */
  databasePath(value: string): string
  /** The lab at `db` (the default database when undefined), with `workers` engine slots when given. */
  openLab(db: string | undefined, workers?: number): SweepLab
  /** The built engine thread and experiment reader scripts, for `hyperlab worker`. */
  workerPath: string
  readerPath: string
  /** Memory each engine thread may use (the lab's setting). */
  memoryBudgetBytes: number | undefined
  print(text: string): void
  printJson(value: unknown): void
}

interface SweepOptions {
  db?: string
  redis?: string
  queue: string
  workers?: number
  json?: boolean
}

function count(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${name} is a whole number from 1 to ${max}`)
    return n
  }
}

function seconds(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 1 || n > 3600) throw new InvalidArgumentError('a number of seconds from 1 to 3600')
  return n
}

function redisUrl(value: string): string {
  const problem = redisUrlProblem(value)
  if (problem) throw new InvalidArgumentError(problem)
  return value
}

const QUEUE_HELP = `Redis queue name, the same for the coordinator and its workers (default ${DEFAULT_QUEUE})`

/** The options of a command that runs a sweep's points (`sweep`, `sweeps resume`): here, or through Redis. */
function withRunOptions(command: Command, helpers: CliHelpers, help: { redis: string; workers: string }): Command {
  return command
    .option('--redis <url>', help.redis, redisUrl)
    .option('--queue <name>', QUEUE_HELP, DEFAULT_QUEUE)
    .option('--workers <n>', help.workers, count('--workers', 256))
    .option('--json', 'print the sweep as one hyperlab/sweep@1 JSON document')
    .option('--db <path>', helpers.dbHelp, helpers.databasePath)
}

export function addSweepCommands(program: Command, helpers: CliHelpers): void {
  withRunOptions(
    program
      .command('sweep')
      .description('run an experiment file with a sweep block: every point and replication, as stored runs; means with 95 % intervals on stdout')
      .argument('<file>', 'experiment file (YAML or JSON) with a sweep block'),
    helpers,
    {
      redis: 'enqueue the points on this Redis for `hyperlab worker`s instead of running them here',
      workers: `points run at once on this machine (default ${availableParallelism()}, its cores)`
    }
  ).action(async (file: string, opts: SweepOptions) => {
    const text = await helpers.readText(file)
    const experiment = await helpers.checked(file, text)
    if (!experiment.sweep) throw helpers.usage(`${file}: has no sweep block, so it is one run: use \`hyperlab run ${file}\``)
    await followSweep(helpers, opts, (lab, how) => lab.sweeps.start(text, how))
  })

  program
    .command('worker')
    .description('run sweep points from a Redis queue on this machine, for the `hyperlab sweep --redis` that enqueued them; start one on every machine that should help')
    .requiredOption('--redis <url>', 'the Redis the coordinator uses, e.g. redis://10.0.0.5:6379', redisUrl)
    .option('--queue <name>', QUEUE_HELP, DEFAULT_QUEUE)
    .option('--concurrency <n>', `points run at once (default ${availableParallelism()}, this machine's cores)`, count('--concurrency', 256))
    .option('--lost-after <seconds>', 'how long a worker that stops answering keeps its points before the others run them again (default 30)', seconds)
    .action(async (opts: { redis: string; queue: string; concurrency?: number; lostAfter?: number }) => {
      const log = (line: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`)
      const worker = await startWorker({
        url: opts.redis,
        queue: opts.queue,
        concurrency: opts.concurrency ?? availableParallelism(),
        ...(opts.lostAfter ? { lostAfterMs: opts.lostAfter * 1000 } : {}),
        readerPath: helpers.readerPath,
        workerPath: helpers.workerPath,
        ...(helpers.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: helpers.memoryBudgetBytes } : {}),
        log
      })
      let asked = 0
      const stop = (): void => {
        asked++
        if (asked === 1) {
          log('stopping: finishing the points in hand (Ctrl+C again to stop now; other workers then run them)')
          void worker.close()
        } else {
          log('stopping now')
          void worker.close(true).then(() => process.exit(130))
        }
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
      await worker.closed
      log('stopped')
    })

  const sweeps = program.command('sweeps').description('stored sweeps: `sweeps list`, `sweeps show SWEEP`, `sweeps resume SWEEP`, `sweeps cancel SWEEP`')

  sweeps
    .command('list')
    .description('list stored sweeps, newest first')
    .option('--db <path>', helpers.dbHelp, helpers.databasePath)
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      await withLab(helpers, opts.db, undefined, (lab) => {
        const list = lab.sweeps.list()
        if (opts.json) return helpers.printJson(list)
        if (list.length === 0) return helpers.print(`no sweeps yet in ${lab.dbPath}\n`)
        helpers.print(
          table(
            ['sweep', 'experiment', 'status', 'mode', 'started', 'points', 'repl.', 'done', 'failed'],
            list.map((s) => [s.id.slice(0, 8), s.name.length > 40 ? s.name.slice(0, 39) + '…' : s.name, s.status, s.mode, s.created_at.replace('T', ' ').slice(0, 19), s.points, s.replications, `${s.runs_done}/${s.runs_total}`, s.runs_failed])
          ) + '\n'
        )
      })
    })

  sweeps
    .command('show')
    .description('a stored sweep: per point the mean of each metric over its replications with its 95 % interval')
    .argument('<sweep>', 'sweep id, or its first characters as `sweeps list` shows them')
    .option('--vm <id>', 'only this VM')
    .option('--json', 'print the sweep as one hyperlab/sweep@1 JSON document')
    .option('--db <path>', helpers.dbHelp, helpers.databasePath)
    .action(async (prefix: string, opts: { db?: string; json?: boolean; vm?: string }) => {
      await withLab(helpers, opts.db, undefined, (lab) => {
        const id = findSweep(lab, prefix, helpers)
        const report = sweepReport(lab.sweeps, id)
        const vms = Object.keys(report.points[0]?.vms ?? {})
        if (opts.vm !== undefined && !vms.includes(opts.vm)) throw helpers.usage(`--vm: VM "${opts.vm}" is not in this sweep's results (VMs: ${vms.join(', ') || 'none yet'})`)
        if (opts.json) helpers.printJson(report)
        else helpers.print(sweepText(report, opts.vm) + '\n')
      })
    })

  withRunOptions(
    sweeps
      .command('resume')
      .description('run the points of a cancelled or interrupted sweep that have no finished run (here, or through Redis with --redis)')
      .argument('<sweep>', 'sweep id, or its first characters'),
    helpers,
    { redis: 'enqueue the remaining points on this Redis for `hyperlab worker`s', workers: 'points run at once on this machine' }
  ).action(async (prefix: string, opts: SweepOptions) => {
    await followSweep(helpers, opts, (lab, how) => lab.sweeps.resume(findSweep(lab, prefix, helpers), how))
  })

  sweeps
    .command('cancel')
    .description('mark a sweep nobody runs any more as cancelled and, with --redis, take its waiting points off the queue (a running `hyperlab sweep` is cancelled with Ctrl+C)')
    .argument('<sweep>', 'sweep id, or its first characters')
    .option('--redis <url>', 'the Redis its points were enqueued on', redisUrl)
    .option('--queue <name>', QUEUE_HELP, DEFAULT_QUEUE)
    .option('--db <path>', helpers.dbHelp, helpers.databasePath)
    .action(async (prefix: string, opts: { db?: string; redis?: string; queue: string }) => {
      await withLab(helpers, opts.db, undefined, async (lab) => {
        const id = findSweep(lab, prefix, helpers)
        const sweep = lab.store.sweeps.get(id)!
        if (sweep.status === 'running') throw helpers.usage(`sweep ${id} is being run by another Hyperlab process: stop it there (Ctrl+C in its terminal)`)
        if (sweep.status === 'done') throw helpers.usage(`sweep ${id} is done: nothing to cancel`)
        if (opts.redis) {
          const removed = await removeWaitingJobs({ url: opts.redis, queue: opts.queue }, id, lab.store.sweeps.unfinished(id))
          process.stderr.write(`${removed} waiting point${removed === 1 ? '' : 's'} taken off queue "${opts.queue}" at ${shownUrl(opts.redis)}\n`)
        }
        lab.store.sweeps.markCancelled(id)
        helpers.print(`sweep ${id}: cancelled (${sweep.runs_done} of ${sweep.runs_total} runs done; \`hyperlab sweeps resume ${id.slice(0, 8)}\` runs the rest)\n`)
      })
    })
}

async function withLab<T>(helpers: CliHelpers, db: string | undefined, workers: number | undefined, work: (lab: SweepLab) => T | Promise<T>): Promise<T> {
  const lab = helpers.openLab(db, workers)
  try {
    return await work(lab)
  } finally {
    await lab.close()
    // A Redis that stopped answering can leave a connection retrying: the command has done its work, so it ends.
    setTimeout(() => process.exit(), 5000).unref()
  }
}

function findSweep(lab: SweepLab, prefix: string, helpers: CliHelpers): string {
  const ids = lab.store.sweeps.findIds(prefix)
  if (ids.length !== 1) throw helpers.usage(ids.length === 0 ? `no sweep "${prefix}"` : `"${prefix}" names more than one sweep; give more characters`)
  return ids[0]!
}

/** Starts (or resumes) a sweep, shows its progress, Ctrl+C cancels it; prints it when it ends and sets the exit code. */
async function followSweep(helpers: CliHelpers, opts: SweepOptions, begin: (lab: SweepLab, how: ExecutionChoice) => Promise<SweepRecord>): Promise<void> {
  // A Redis that cannot be used is said at once, before anything is recorded.
  if (opts.redis) await probeRedis(opts.redis)
  await withLab(helpers, opts.db, opts.workers, async (lab) => {
    const tty = process.stderr.isTTY
    const how: ExecutionChoice = opts.redis
      ? {
          mode: 'distributed',
          factory: distributedExecution(lab.store, { url: opts.redis, queue: opts.queue, notice: (m) => void process.stderr.write(`${tty ? '\n' : ''}${m}\n`) })
        }
      : lab.sweeps.local
    let shown = ''
    const stopListening = lab.sweeps.subscribe((e) => {
      const s = e.sweep
      const line = `${s.name}: ${s.runs_done}/${s.runs_total} runs done${s.runs_failed ? `, ${s.runs_failed} failed` : ''}`
      if (line === shown) return
      shown = line
      process.stderr.write(tty ? `\r${line}` : `${line}\n`)
    })
    const record = await begin(lab, how)
    process.stderr.write(
      `sweep ${record.id}: ${record.points} point${record.points === 1 ? '' : 's'} × ${record.replications} replication${record.replications === 1 ? '' : 's'}, ` +
        (opts.redis ? `for \`hyperlab worker\`s on queue "${opts.queue}" at ${shownUrl(opts.redis)}\n` : `on ${opts.workers ?? availableParallelism()} worker${(opts.workers ?? availableParallelism()) === 1 ? '' : 's'} here\n`)
    )
    const cancel = (): void => void lab.sweeps.cancel(record.id).catch(() => undefined)
    process.on('SIGINT', cancel)
    process.on('SIGTERM', cancel)
    const ended = await lab.sweeps.wait(record.id)
    stopListening()
    if (tty) process.stderr.write('\n')
    const report = sweepReport(lab.sweeps, record.id)
    if (opts.json) helpers.printJson(report)
    else helpers.print(sweepText(report) + '\n')
    process.stderr.write(`sweep ${record.id} ${ended?.status ?? 'unknown'}${ended?.error ? `: ${ended.error}` : ''}; stored in ${lab.dbPath}\n`)
    if (ended?.status === 'cancelled') process.exitCode = 130
    else if (ended?.status !== 'done' || ended.runs_failed > 0) process.exitCode = 1
  })
}
