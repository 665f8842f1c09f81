/**
 * `hyperlab`: the lab without a window. Runs experiment files through the same
 * services, runner and engine as the app, and stores the runs in the same
 * database, so they appear in the app's Runs list.
 *
 * Exit codes: 0 success; 1 a run that failed or was interrupted; 2 bad input
 * (unreadable file, invalid experiment, bad option); 130 cancelled by Ctrl+C.
 */
import { statSync } from 'node:fs'
import { Command, InvalidArgumentError } from 'commander'
import { catalog } from '../shared/catalog'
import { errorMessage, LabError, type Issue } from '../shared/errors'
import type { RunRecord } from '../shared/contract'
import { techniqueDefaults, type Experiment } from '../shared/experiment'
import { printable, printableJson, readableIssues } from '../shared/printable'
import { SAMPLE_SERIES, type CsvTable, type ReportFormat, type SampleSeriesKey } from '../shared/report'
import type { RunResult } from '../shared/result'
import { explainJson, explainText } from './cli/explain'
import { addSweepCommands } from './sweeps/commands'
import { num, resultText, table } from './cli/format'
import { InputError, readExperimentFile } from './cli/input'
import { addNotebookCommands, verificationText } from './cli/notebook'
import { csvTable, reportFormat, seriesList, writeReport } from './cli/report'
import { validationText } from './cli/validation'
import { migrationNotice, openLab } from './lab'
import { playwrightPrinter } from './reports/pdf'
import { appVersion, databasePathProblem, readerPath, workerPath } from './paths'
import { readSettings } from './settings'
import { handleOutputErrors } from './pipes'
import { ExperimentReader } from './reading/reader'
import { startRun } from './services/services'
import { runPaceSchema, type RunPace } from '../shared/pace'
import { DatabaseError } from './store/errors'

class UsageError extends Error {}

/** Text to stdout. Experiment names and ids come from user files: anything a terminal would act on is escaped. */
function print(text: string): void {
  process.stdout.write(printable(text, { multiline: true, max: Infinity }))
}

/** One JSON document to stdout, the same value with terminal-active characters \\u-escaped. */
function printJson(value: unknown): void {
  process.stdout.write(printableJson(value, 2) + '\n')
}

function seedNumber(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 4_294_967_295) throw new InvalidArgumentError('a seed is a whole number from 0 to 4294967295')
  return n
}

/** `--pace max|1|10|100`, parsed by the same schema the app's runs:start uses. */
function paceOption(value: string): RunPace {
  const parsed = runPaceSchema.safeParse(value === 'max' ? value : Number(value))
  if (!parsed.success) throw new InvalidArgumentError('a pace is "max" (as fast as possible) or real time × 1, 10 or 100')
  return parsed.data
}

function databasePath(value: string): string {
  const problem = databasePathProblem(value)
  if (problem) throw new InvalidArgumentError(problem)
  return value
}

/** The lab at `--db`, or at the data folder when it is not given; says on stderr when its schema was updated. */
function openCliLab(db: string | undefined, batchWallMs?: number) {
  const lab = openLab({ mode: 'cli', ...(db !== undefined ? { dbPath: db, dbSource: '--db' } : {}), ...(batchWallMs ? { batchWallMs } : {}) })
  const notice = migrationNotice(lab.dbPath, lab.migration)
  if (notice) report(`hyperlab: ${notice}`)
  return lab
}

function limitNumber(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('a limit is a whole number from 1 to 10000')
  return n
}

/** Reads experiment text off the main thread, with the same limits as the app. */
let reader: ExperimentReader | null = null

/** Issues as lines to print: printable, repeats folded, at most a screenful; `prefix` names the file. */
function issueLines(issues: readonly Issue[], prefix = ''): string {
  return readableIssues(issues)
    .map((i) => (i.path === '(file)' && prefix ? `${prefix}${i.message}` : `${prefix}${i.path}: ${i.message}`))
    .join('\n')
}

/** The experiment in `text` (read from `file`), or a UsageError naming every issue with its path. */
async function checked(file: string, text: string) {
  reader ??= new ExperimentReader({ threadPath: readerPath() })
  const parsed = await reader.read(text)
  if (!parsed.ok) throw new UsageError(issueLines(parsed.issues, `${printable(file, { max: 300 })}: `))
  return parsed.experiment
}

const program = new Command()
  .name('hyperlab')
  .description('Hyperlab: what does virtualization cost a workload, and why?')
  .version(appVersion(), '-v, --version')
  // `-v, --version` before a command only, so a command may have a --version of its own (`experiments show X --version 2`).
  .enablePositionalOptions()
  .showHelpAfterError()
  .configureOutput({ outputError: (str, write) => write(printable(str, { multiline: true, max: 10_000 })) })
  .exitOverride()

const DB_HELP = 'database file (default: hyperlab.db in the user data folder)'

/** `exp` when it is one run; a file with a sweep block is many (`hyperlab sweep`). */
function oneRun(file: string, exp: Experiment): Experiment {
  if (!exp.sweep) return exp
  const points = exp.sweep.parameters.reduce((n, p) => n * p.values.length, 1)
  throw new UsageError(`${file}: has a sweep block (${points} point${points === 1 ? '' : 's'} × ${exp.sweep.replications} replication${exp.sweep.replications === 1 ? '' : 's'}): run it with \`hyperlab sweep ${file}\``)
}

interface RunOptions {
  db?: string
  seed?: number
  pace?: RunPace
}

/** Runs an experiment file through the services like the app does; the run and its result, or null after reporting why not. */
async function runFile(file: string, text: string, opts: RunOptions): Promise<{ run: RunRecord; result: RunResult } | null> {
  const lab = openCliLab(opts.db, 250)
  try {
    const run = await startRun(lab, text, opts.seed, undefined, opts.pace)
    const tty = process.stderr.isTTY
    const name = printable(run.experiment_name, { max: 80 })
    let last = -1
    let result: RunResult | null = null
    lab.runner.subscribe((e) => {
      if (e.type === 'progress' && e.runId === run.id) {
        const pct = Math.floor(e.progress * 100)
        if (tty) process.stderr.write(`\r${name}: ${pct}% (${e.simulatedS.toFixed(1)} simulated s)`)
        else if (pct >= last + 10) {
          process.stderr.write(`${pct}%\n`)
          last = pct
        }
      } else if (e.type === 'ended' && e.run.id === run.id) {
        result = e.result
      }
    })
    const cancel = (): void => void lab.runner.cancel(run.id)
    process.on('SIGINT', cancel)
    process.on('SIGTERM', cancel)
    const ended = await lab.runner.wait(run.id)
    if (tty) process.stderr.write('\n')
    if (!ended || ended.status !== 'done' || !result) {
      const status = ended?.status ?? 'unknown'
      report(`run ${run.id} ${status}${ended?.error ? `: ${ended.error}` : ''}`)
      process.exitCode = status === 'cancelled' ? 130 : 1
      return null
    }
    report(`${file}: saved as run ${run.id} in ${lab.dbPath}`)
    return { run, result }
  } finally {
    await lab.close()
  }
}

program
  .command('run')
  .description('run an experiment file; progress on stderr, the result on stdout')
  .argument('<file>', 'experiment file (YAML or JSON)')
  .option('--json', 'print the result as one hyperlab/result@1 JSON document')
  .option('--db <path>', DB_HELP, databasePath)
  .option('--seed <n>', "override the experiment's seed", seedNumber)
  .option('--pace <x>', 'max (as fast as possible, the default) or real time × 1, 10 or 100', paceOption)
  .action(async (file: string, opts: RunOptions & { json?: boolean }) => {
    const text = await readExperimentFile(file)
    oneRun(file, await checked(file, text))
    const done = await runFile(file, text, opts)
    if (!done) return
    if (opts.json) printJson(done.result)
    else print(resultText(done.result) + '\n')
  })

program
  .command('explain')
  .description('run an experiment file and explain each VM\'s time: every mechanism with its count per operation, cost each, share and source')
  .argument('<file>', 'experiment file (YAML or JSON)')
  .option('--vm <id>', 'explain only this VM')
  .option('--json', 'print JSON: per VM its overhead, breakdown and mechanisms')
  .option('--db <path>', DB_HELP, databasePath)
  .option('--seed <n>', "override the experiment's seed", seedNumber)
  .action(async (file: string, opts: RunOptions & { json?: boolean; vm?: string }) => {
    const text = await readExperimentFile(file)
    const exp = oneRun(file, await checked(file, text))
    if (opts.vm !== undefined && !exp.vms.some((v) => v.id === opts.vm)) {
      throw new UsageError(`--vm: VM "${opts.vm}" is not in ${file} (VMs: ${exp.vms.map((v) => v.id).join(', ')})`)
    }
    const done = await runFile(file, text, opts)
    if (!done) return
    const { result } = done
    const ids = opts.vm !== undefined ? [opts.vm] : Object.keys(result.vms)
    if (opts.json) {
      const out = Object.fromEntries(ids.map((id) => [id, explainJson(result, id)]))
      printJson({ experiment: result.experiment, seed: result.seed, checksum: result.checksum, vms: out })
    } else print(ids.map((id) => explainText(exp, result, id)).join('\n\n') + '\n')
  })

program
  .command('validate')
  .description('check an experiment file and name every problem with its field path')
  .argument('<file>', 'experiment file (YAML or JSON)')
  .action(async (file: string) => {
    const exp = await checked(file, await readExperimentFile(file))
    const points = exp.sweep?.parameters.reduce((n, p) => n * p.values.length, 1)
    const sweep = exp.sweep ? `; a sweep of ${points} point(s) × ${exp.sweep.replications} replication(s)` : ''
    print(
      `${file}: valid — "${exp.name}", ${exp.hosts.length} host(s), ${exp.vms.length} VM(s), ${exp.duration_s} simulated s${sweep}\n`
    )
  })

const sections: Record<string, keyof typeof catalog> = {
  cpus: 'cpus',
  hypervisors: 'hypervisors',
  devices: 'devices',
  disks: 'disks',
  formats: 'formats',
  volumes: 'volumes',
  workloads: 'workloads',
  storage: 'storage'
}

program
  .command('catalog')
  .description(`list the catalog: ${Object.keys(sections).join(', ')}; \`catalog defaults\`: which techniques auto picks per hypervisor and CPU`)
  .argument('[section]', 'one section; all when omitted')
  .option('--json', 'print JSON, with every source')
  .action((section: string | undefined, opts: { json?: boolean }) => {
    if (section === 'defaults') {
      const rows = techniqueDefaults()
      if (opts.json) return void printJson({ defaults: rows })
      const cpuIds = Object.keys(catalog.cpus)
      const short = (v: string): string => (v.startsWith('refused') ? '—' : v)
      for (const [title, key] of [['unmodified guest', 'unmodified'], ['paravirtualized guest (guest.paravirt: true)', 'paravirtualized']] as const) {
        print(`defaults (cpu_virt: auto, mmu_virt: auto), ${title}; — = refused\n`)
        print(table(['hypervisor', ...cpuIds], rows.map((r) => [r.id, ...cpuIds.map((c) => short(r[key][c]!))]), ['l']) + '\n\n')
      }
      return
    }
    if (section !== undefined && !sections[section]) {
      throw new UsageError(`catalog: unknown section "${section}" (sections: ${[...Object.keys(sections), 'defaults'].join(', ')})`)
    }
    const chosen = section ? [section] : Object.keys(sections)
    if (opts.json) {
      const out = Object.fromEntries(chosen.map((s) => [s, Object.values(catalog[sections[s] as keyof typeof catalog])]))
      printJson(out)
      return
    }
    for (const s of chosen) {
      const entries = Object.values(catalog[sections[s] as keyof typeof catalog]) as { id: string; name: string }[]
      print(`${s}\n${table(['id', 'name'], entries.map((e) => [e.id, e.name]))}\n\n`)
    }
  })

program
  .command('validation')
  .description('run the published cases the model is checked against: each with its source, the literature value and band, the model\'s value, and whether an input was fitted to it')
  .option('--json', 'print JSON (hyperlab/validation@1)')
  .option('--db <path>', DB_HELP, databasePath)
  .action(async (opts: { json?: boolean; db?: string }) => {
    const lab = openCliLab(opts.db)
    try {
      const tty = process.stderr.isTTY
      const off = lab.services.subscribe((event, payload) => {
        if (event !== 'validation:progress' || !tty) return
        const p = payload as { done: number; total: number }
        process.stderr.write(`\rpublished cases: ${p.done} of ${p.total}`)
      })
      const report = await lab.services.handlers['validation:run']({})
      off()
      if (tty) process.stderr.write('\n')
      if (opts.json) return printJson(report)
      print(validationText(report) + '\n')
    } finally {
      await lab.close()
    }
  })

const runsCommand = program.command('runs').description('stored runs: `runs list`, `show`, `export`, `compare`, `delete`, `verify`')

runsCommand
  .command('list')
  .description('list stored runs, newest first')
  .option('--db <path>', DB_HELP, databasePath)
  .option('--json', 'print JSON')
  .option('--limit <n>', 'at most this many (1–10000)', limitNumber, 50)
  .action(async (opts: { db?: string; json?: boolean; limit: number }) => {
    const lab = openCliLab(opts.db)
    try {
      const runs = lab.store.listRuns(opts.limit)
      if (opts.json) {
        printJson(runs)
        return
      }
      if (runs.length === 0) {
        print(`no runs yet in ${lab.dbPath}\n`)
        return
      }
      print(
        table(
          ['run', 'experiment', 'status', 'started', 'sim s', 'wall ms', 'seed', 'checksum'],
          runs.map((r) => [
            r.id.slice(0, 8),
            r.experiment_name.length > 40 ? r.experiment_name.slice(0, 39) + '…' : r.experiment_name,
            r.status,
            r.created_at.replace('T', ' ').slice(0, 19),
            num(r.duration_s, 0),
            num(r.wall_ms, 0),
            r.seed,
            r.checksum ? r.checksum.slice(0, 12) : null
          ])
        ) + '\n'
      )
    } finally {
      await lab.close()
    }
  })

runsCommand
  .command('verify')
  .description('simulate a stored run again from its experiment and seed, and compare checksums')
  .argument('<run>', 'run id, or its first characters as `runs list` shows them')
  .option('--db <path>', DB_HELP, databasePath)
  .action(async (prefix: string, opts: { db?: string }) => {
    const lab = openCliLab(opts.db)
    try {
      const ids = lab.store.findRunIds(prefix)
      if (ids.length !== 1) throw new UsageError(ids.length === 0 ? `no run "${prefix}"` : `"${prefix}" names more than one run; give more characters`)
      const v = await lab.services.handlers['runs:verify']({ run_id: ids[0] as string })
      if (v.identical) print(`run ${v.run_id}: reproduced exactly, checksum ${v.stored_checksum}\n`)
      else {
        print(`run ${v.run_id}: DIFFERENT — stored ${v.stored_checksum}, now ${v.recomputed_checksum}\n${verificationText(v)}\n`)
        process.exitCode = 1
      }
    } finally {
      await lab.close()
    }
  })

/** A stored run named by its id or first characters, or an experiment file run now; its run id, or null when the run failed. */
async function runOf(arg: string, opts: RunOptions): Promise<string | null> {
  let isFile = false
  try {
    isFile = statSync(arg).isFile()
  } catch {
    // Not a file: a run id.
  }
  if (isFile) {
    const text = await readExperimentFile(arg)
    await checked(arg, text)
    return (await runFile(arg, text, opts))?.run.id ?? null
  }
  const lab = openCliLab(opts.db)
  try {
    const ids = lab.store.findRunIds(arg)
    if (ids.length !== 1) throw new UsageError(ids.length === 0 ? `"${arg}" is neither a file nor a stored run (see \`hyperlab runs list\`)` : `"${arg}" names more than one run; give more characters`)
    return ids[0]!
  } finally {
    await lab.close()
  }
}

interface ReportOptions extends RunOptions {
  format: ReportFormat
  out: string
  compare?: string[]
  table?: CsvTable
  series?: SampleSeriesKey[]
}

program
  .command('report')
  .description('write a report of a stored run, or of an experiment file (run first); with --compare, of a comparison of runs')
  .argument('<run>', 'run id (or its first characters, as `runs list` shows them), or an experiment file to run first')
  .requiredOption('--format <format>', 'html | pdf | csv | json', reportFormat)
  .requiredOption('--out <path>', 'file to write (`-` for stdout)')
  .option('--compare <runs...>', 'runs (or experiment files) to compare with the first')
  .option('--table <table>', 'CSV: summary (default, one row per VM and run), samples, or deltas of a comparison', csvTable)
  .option('--series <list>', `CSV samples: which series, comma-separated (${SAMPLE_SERIES.join(', ')})`, seriesList)
  .option('--db <path>', DB_HELP, databasePath)
  .option('--seed <n>', 'for an experiment file: override its seed', seedNumber)
  .action(async (first: string, opts: ReportOptions) => {
    if (opts.format !== 'csv' && (opts.table || opts.series)) throw new UsageError('--table and --series apply to --format csv only')
    if (opts.series && opts.table && opts.table !== 'samples') throw new UsageError('--series picks sample series: use it with --table samples')
    if (opts.out === '-' && opts.format === 'pdf') throw new UsageError('--out: a PDF goes to a file, not to stdout')
    const runIds: string[] = []
    for (const arg of [first, ...(opts.compare ?? [])]) {
      const id = await runOf(arg, opts)
      if (id === null) return
      runIds.push(id)
    }
    const lab = openCliLab(opts.db)
    try {
      if (opts.format === 'pdf') report('printing the PDF with a Chromium…')
      // Loaded here: the other commands never need the report renderer.
      const { renderReport } = await import('./reports')
      const rendered = await renderReport(
        { store: lab.store, reader: lab.reader, version: appVersion(), printPdf: playwrightPrinter() },
        {
          run_ids: runIds,
          format: opts.format,
          csv_table: opts.table ?? (opts.series ? 'samples' : 'summary'),
          ...(opts.series ? { series: opts.series } : {})
        }
      )
      let bytes: number
      try {
        // A terminal gets the text made printable; a pipe or a file gets the file as it is.
        bytes = await writeReport(rendered, opts.out, process.stdout.isTTY ? print : undefined)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        throw new UsageError(`--out ${opts.out}: cannot write the file (${code === 'ENOENT' ? 'no such folder' : (code ?? errorMessage(err))})`)
      }
      if (opts.out !== '-') report(`${opts.out}: ${opts.format.toUpperCase()} report of ${runIds.length === 1 ? `run ${runIds[0]}` : `${runIds.length} runs`}, ${bytes.toLocaleString('en-US')} bytes`)
    } finally {
      await lab.close()
    }
  })

addNotebookCommands(program, runsCommand, {
  openLab: (db) => {
    const lab = openCliLab(db)
    return {
      dbPath: lab.dbPath,
      handlers: lab.services.handlers,
      findRunIds: (prefix) => lab.store.findRunIds(prefix),
      findExperimentIds: (prefix) => lab.store.findExperimentIds(prefix),
      samples: (runId) => lab.store.getSamples(runId),
      arraySamples: (runId) => lab.store.getArraySamples(runId),
      close: () => lab.close()
    }
  },
  print,
  printJson,
  report,
  usage: (message) => new UsageError(message),
  databasePath,
  dbHelp: DB_HELP,
  checked
})

addSweepCommands(program, {
  readText: readExperimentFile,
  checked,
  usage: (message) => new UsageError(message),
  dbHelp: DB_HELP,
  databasePath,
  openLab: (db, workers) => openLab({ mode: 'cli', ...(db !== undefined ? { dbPath: db, dbSource: '--db' } : {}), batchWallMs: 250, ...(workers ? { maxConcurrentRuns: workers } : {}) }),
  print,
  printJson,
  workerPath: workerPath(),
  readerPath: readerPath(),
  memoryBudgetBytes: readSettings().memoryBudgetBytes
})

/** One report on stderr; whatever it quotes from the user's input is made printable. */
function report(message: string): void {
  process.stderr.write(printable(message, { multiline: true, max: 10_000 }) + '\n')
}

async function main(): Promise<void> {
  handleOutputErrors('hyperlab')
  try {
    await program.parseAsync(process.argv)
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') {
      process.exitCode = 0
    } else if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = 2
    } else if (err instanceof UsageError || err instanceof InputError || err instanceof DatabaseError) {
      report(err.message)
      process.exitCode = 2
    } else if (err instanceof LabError) {
      report(err.issues ? issueLines(err.issues) : err.message)
      process.exitCode = err.code === 'invalid-experiment' ? 2 : 1
    } else {
      report(`hyperlab: ${errorMessage(err)}`)
      process.exitCode = 1
    }
  }
}

void main()
