/**
 * The lab notebook on the command line: `runs show|export|compare|delete`
 * and `experiments list|show|export|import`, each a thin adapter over the
 * same handlers the app calls. Runs and experiments are named by their id
 * or its first characters (experiments also by their exact name); anything
 * the user gives that cannot be used is bad input naming the option.
 */
import { writeFile } from 'node:fs/promises'
import { type Command, InvalidArgumentError } from 'commander'
import { stringify } from 'yaml'
import type { ExperimentQuery, ExperimentSummary, Handlers, RunRecord } from '../../shared/contract'
import type { ArraySample, Sample } from '../../shared/result'
import { experimentQuerySchema, experimentSortKeys, exportFormats } from '../../shared/library'
import type { Comparison, MetricDelta } from '../../shared/compare/schema'
import type { RunEvent, Verification } from '../../shared/replay'
import { runStatuses } from '../../shared/status'
import { num, resultText, table } from './format'
import { readExperimentFile } from './input'

/** The lab as these commands use it: its handlers, and the look-ups by id prefix the CLI adds. */
export interface NotebookLab {
  dbPath: string
  handlers: Handlers
  /** Ids of runs (experiments) that start with `prefix`: at most two. */
  findRunIds(prefix: string): string[]
  findExperimentIds(prefix: string): string[]
  /** Every stored sample of a run, as the engine produced it. */
  samples(runId: string): Sample[]
  /** Every stored sample of the run's SAN arrays (none for a run stored before they were recorded). */
  arraySamples(runId: string): ArraySample[]
  close(): Promise<void>
}

/** What the notebook commands borrow from the CLI's entry point. */
export interface CliTools {
  openLab(db: string | undefined): NotebookLab
  print(text: string): void
  printJson(value: unknown): void
  report(message: string): void
  /** Bad input: the message is printed and the exit code is 2. */
  usage(message: string): Error
  databasePath(value: string): string
  dbHelp: string
  /** Reads `text` (from `file`) as an experiment, or bad input naming every issue with its path. */
  checked(file: string, text: string): Promise<unknown>
}

const RUN_FORMAT = 'hyperlab/run@1'

function formatOf<T extends string>(allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${allowed.join(', ')}`)
    return value as T
  }
}

function positive(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1')
  return n
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)]
}

/** The one run `prefix` names (its id or first characters), or bad input. */
function oneRun(lab: NotebookLab, prefix: string, tools: CliTools): string {
  const ids = lab.findRunIds(prefix)
  if (ids.length === 1) return ids[0]!
  throw tools.usage(ids.length === 0 ? `no run "${prefix}" (see \`hyperlab runs list\`)` : `"${prefix}" names more than one run; give more characters`)
}

/** The one live experiment `arg` names: its id or first characters, else its exact name. */
async function oneExperiment(lab: NotebookLab, arg: string, tools: CliTools): Promise<string> {
  const ids = lab.findExperimentIds(arg)
  if (ids.length === 1) return ids[0]!
  if (ids.length > 1) throw tools.usage(`"${arg}" names more than one experiment; give more characters`)
  const named = (await lab.handlers['experiments:list']({})).experiments.filter((e) => e.name === arg)
  if (named.length === 1) return named[0]!.id
  if (named.length > 1) throw tools.usage(`${named.length} experiments are named "${arg}"; give an id (${named.map((e) => e.id.slice(0, 8)).join(', ')})`)
  throw tools.usage(`no experiment "${arg}" (see \`hyperlab experiments list\`)`)
}

/** Writes `text` to `out`, or to stdout (made printable on a terminal, as it is in a pipe). */
async function emit(text: string, out: string | undefined, tools: CliTools): Promise<void> {
  if (out !== undefined && out !== '-') {
    try {
      await writeFile(out, text)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      throw tools.usage(`--out ${out}: cannot write the file (${code === 'ENOENT' ? 'no such folder' : (code ?? 'error')})`)
    }
    return
  }
  if (process.stdout.isTTY) tools.print(text)
  else process.stdout.write(text)
}

const when = (iso: string | null): string | null => (iso ? iso.replace('T', ' ').slice(0, 19) : null)
const short = (s: string, n = 40): string => (s.length > n ? s.slice(0, n - 1) + '…' : s)

function runLines(run: RunRecord): string {
  const rows: [string, string][] = [
    ['run', run.id],
    ['experiment', `${run.experiment_name} (${run.experiment_id.slice(0, 8)}, version ${run.version ?? '—'})`],
    ['status', `${run.status}${run.error ? `: ${run.error}` : ''}`],
    ['started', when(run.created_at) ?? '—'],
    ['ended', when(run.ended_at) ?? '—'],
    ['seed', String(run.seed)],
    ['simulated', `${run.duration_s} s`],
    ['wall time', run.wall_ms === null ? '—' : `${Math.round(run.wall_ms)} ms`],
    ['checksum', run.checksum ?? '—'],
    ['Hyperlab', run.app_version ?? 'unknown (stored before versions were recorded)']
  ]
  return rows.map(([k, v]) => `${k.padEnd(11)} ${v}`).join('\n')
}

function eventLines(events: readonly RunEvent[]): string {
  if (events.length === 0) return 'no notable events'
  return table(['at s', 'event'], events.map((e) => [num(e.t_ms / 1000, 2), e.text]), ['r', 'l'])
}

/** What a re-simulation produced differently: the versions, then each figure that differs. */
export function verificationText(v: Verification): string {
  const versions =
    v.stored_app_version === v.app_version
      ? `made and checked by Hyperlab ${v.app_version}`
      : `made by Hyperlab ${v.stored_app_version ?? '(version not recorded)'}, checked by ${v.app_version}`
  const rows = v.differences.map((d) => [d.path, String(d.stored), String(d.recomputed), d.delta_pct === null ? null : `${d.delta_pct >= 0 ? '+' : ''}${num(d.delta_pct, 2)} %`])
  const more = v.differences_total > v.differences.length ? `\n… and ${v.differences_total - v.differences.length} more` : ''
  return `${versions}\n\n${table(['figure', 'stored', 'now', 'change'], rows, ['l', 'r', 'r', 'r'])}${more}`
}

const COMPARED: readonly MetricDelta['key'][] = ['throughput_ops_s', 'latency_mean_ms', 'latency_p99_ms', 'cpu_guest_pct', 'overhead_pct']

/** A comparison as text: per compared arm, what changed, its random streams, and per VM the deltas of the main metrics. */
export function comparisonText(c: Comparison): string {
  const parts: string[] = []
  for (const arm of c.arms) {
    parts.push(`${arm.label}: ${arm.experiment_name} — ${arm.run_ids.length} run(s), seeds ${arm.seeds.join(', ')}`)
  }
  for (const cmp of c.comparisons) {
    parts.push('', `${cmp.arm} against ${cmp.reference}`)
    parts.push(cmp.what_changed.length === 0 ? '  what changed: nothing but the seed' : '  what changed:')
    for (const ch of cmp.what_changed) parts.push(`    ${ch.path}: ${ch.from ?? '(none)'} → ${ch.to ?? '(none)'}`)
    parts.push(`  random streams: ${cmp.random_streams.note}`)
    if (cmp.vms_added.length > 0) parts.push(`  VMs only in ${cmp.arm}: ${cmp.vms_added.join(', ')}`)
    if (cmp.vms_removed.length > 0) parts.push(`  VMs only in ${cmp.reference}: ${cmp.vms_removed.join(', ')}`)
    const rows = cmp.vms.flatMap((v) =>
      v.metrics
        .filter((m) => COMPARED.includes(m.key))
        .map((m) => [
          v.vm,
          m.key,
          num(m.reference, 3),
          num(m.value, 3),
          num(m.delta, 3),
          m.relative_pct === null ? null : `${m.relative_pct >= 0 ? '+' : ''}${num(m.relative_pct, 1)} %`,
          m.ci95 ? `[${num(m.ci95.low, 3)}, ${num(m.ci95.high, 3)}]` : null
        ])
    )
    parts.push('', table(['vm', 'metric', cmp.reference, cmp.arm, 'delta', 'relative', '95 % CI of delta'], rows, ['l', 'l']))
  }
  return parts.join('\n')
}

function experimentRows(list: readonly ExperimentSummary[]): (string | number | null)[][] {
  return list.map((e) => [
    e.id.slice(0, 8),
    short(e.name),
    e.tags.join(', ') || null,
    e.hypervisors.join(', '),
    e.runs,
    e.last_run?.status ?? 'never run',
    when(e.activity_at)
  ])
}

/** The query of `experiments list` from its options, refused naming the option when it is not one. */
function queryOf(opts: Record<string, unknown>, tools: CliTools): ExperimentQuery {
  const given: Record<string, unknown> = {
    text: opts.search,
    tags: opts.tag,
    hypervisors: opts.hypervisor,
    statuses: opts.status,
    from: opts.from,
    to: opts.to,
    sort: opts.sort,
    order: opts.order,
    deleted: opts.deleted,
    limit: opts.limit
  }
  const parsed = experimentQuerySchema.safeParse(Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)))
  if (parsed.success) return parsed.data
  const option: Record<string, string> = { text: '--search', tags: '--tag', hypervisors: '--hypervisor', statuses: '--status' }
  const first = parsed.error.issues[0]!
  const key = String(first.path[0])
  // An item of a list option: say which value.
  const item = first.path.length > 1 ? (given[key] as unknown[])[Number(first.path[1])] : undefined
  throw tools.usage(`${option[key] ?? `--${key}`}${item !== undefined ? ` ${JSON.stringify(item)}` : ''}: ${first.message}`)
}

export function addNotebookCommands(program: Command, runs: Command, tools: CliTools): void {
  const withLab = async <T>(db: string | undefined, work: (lab: NotebookLab) => Promise<T> | T): Promise<T> => {
    const lab = tools.openLab(db)
    try {
      return await work(lab)
    } finally {
      await lab.close()
    }
  }
  const h = (lab: NotebookLab) => lab.handlers

  runs
    .command('show')
    .description('a stored run: its record, summary and notable events')
    .argument('<run>', 'run id, or its first characters as `runs list` shows them')
    .option('--json', 'print JSON: run, result and events')
    .option('--db <path>', tools.dbHelp, tools.databasePath)
    .action((prefix: string, opts: { json?: boolean; db?: string }) =>
      withLab(opts.db, async (lab) => {
        const id = oneRun(lab, prefix, tools)
        const detail = await h(lab)['runs:get']({ run_id: id, samples: false })
        const events = await h(lab)['runs:events']({ run_id: id })
        if (opts.json) return tools.printJson({ run: detail.run, result: detail.result, events })
        const parts = [runLines(detail.run), '', detail.result ? resultText(detail.result) : 'no summary (the run did not finish)', '', eventLines(events)]
        tools.print(parts.join('\n') + '\n')
      })
    )

  runs
    .command('export')
    .description(`a stored run as one document (${RUN_FORMAT}): record, experiment text, summary, events, and the VMs' and arrays' samples`)
    .argument('<run>', 'run id, or its first characters')
    .option('--format <format>', 'json | yaml', formatOf(['json', 'yaml'] as const), 'json')
    .option('--no-samples', 'leave the samples out')
    .option('--out <path>', 'file to write (default: stdout)')
    .option('--db <path>', tools.dbHelp, tools.databasePath)
    .action((prefix: string, opts: { format: 'json' | 'yaml'; samples: boolean; out?: string; db?: string }) =>
      withLab(opts.db, async (lab) => {
        const id = oneRun(lab, prefix, tools)
        const detail = await h(lab)['runs:get']({ run_id: id, samples: false })
        const doc = {
          format: RUN_FORMAT,
          run: detail.run,
          experiment_text: detail.experiment_text,
          result: detail.result,
          events: await h(lab)['runs:events']({ run_id: id }),
          ...(opts.samples ? { samples: lab.samples(id), array_samples: lab.arraySamples(id) } : {})
        }
        const text = opts.format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 })
        await emit(text, opts.out, tools)
      })
    )

  runs
    .command('compare')
    .description('compare stored runs: what changed between their experiments, and per VM the deltas against the first')
    .argument('<runs...>', 'two or more run ids (or first characters); runs of one experiment with other seeds are replications')
    .option('--json', 'print the whole comparison as JSON')
    .option('--db <path>', tools.dbHelp, tools.databasePath)
    .action((prefixes: string[], opts: { json?: boolean; db?: string }) =>
      withLab(opts.db, async (lab) => {
        if (prefixes.length < 2) throw tools.usage('runs compare: give at least two runs')
        const ids = prefixes.map((p) => oneRun(lab, p, tools))
        const comparison = await h(lab)['runs:compare']({ run_ids: ids })
        if (opts.json) tools.printJson(comparison)
        else tools.print(comparisonText(comparison) + '\n')
      })
    )

  runs
    .command('delete')
    .description('delete stored runs with their samples and events (not a run in progress)')
    .argument('<runs...>', 'run ids, or their first characters')
    .option('--db <path>', tools.dbHelp, tools.databasePath)
    .action((prefixes: string[], opts: { db?: string }) =>
      withLab(opts.db, async (lab) => {
        // Every name is checked before anything is deleted.
        const ids = prefixes.map((p) => oneRun(lab, p, tools))
        for (const id of new Set(ids)) {
          const gone = await h(lab)['runs:delete']({ run_id: id })
          tools.print(`deleted run ${gone.run_id} (${gone.samples.toLocaleString('en-US')} samples)\n`)
        }
      })
    )

  const experiments = program.command('experiments').description('the experiment library: `experiments list`, `show`, `export`, `import`')

  experiments
    .command('list')
    .description('list kept experiments, most recently active first; every filter given must hold')
    .option('--search <words>', 'words found in the name, notes or tags')
    .option('--tag <tags>', 'carrying these tags (repeat, or comma-separated)', collect)
    .option('--hypervisor <ids>', 'a host runs one of these hypervisors (repeat, or comma-separated)', collect)
    .option('--status <statuses>', `latest run is one of: ${[...runStatuses, 'none'].join(', ')}`, collect)
    .option('--from <date>', 'active on or after this date (YYYY-MM-DD)')
    .option('--to <date>', 'active on or before this date (YYYY-MM-DD)')
    .option('--sort <key>', experimentSortKeys.join(' | '))
    .option('--order <order>', 'asc | desc')
    .option('--deleted', 'list deleted experiments not yet purged')
    .option('--limit <n>', 'at most this many', positive)
    .option('--json', 'print JSON: the experiments, how many matched, and the tags and hypervisors in the library')
    .option('--db <path>', tools.dbHelp, tools.databasePath)
    .action((opts: Record<string, unknown> & { json?: boolean; db?: string }) =>
      withLab(opts.db, async (lab) => {
        const list = await h(lab)['experiments:list'](queryOf(opts, tools))
        if (opts.json) return tools.printJson(list)
        if (list.total === 0) return tools.print(`no experiments match in ${lab.dbPath}\n`)
        const shown = list.experiments.length < list.total ? `\n${list.experiments.length} of ${list.total} shown` : ''
        tools.print(table(['id', 'name', 'tags', 'hypervisors', 'runs', 'last run', 'active'], experimentRows(list.experiments), ['l', 'l', 'l', 'l', 'r', 'l', 'l']) + `${shown}\n`)
      })
    )

  experiments
    .command('show')
    .description('one experiment: its notes, tags, versions and runs; or the text of a version, or what changed between two')
    .argument('<experiment>', 'experiment id (or its first characters) or exact name')
    .option('--version <n>', 'print the text of this version', positive)
    .option('--diff <a..b>', 'what changed from version a to version b (unified diff)')
    .option('--json', 'print JSON')
    .option('--db <path>', tools.dbHelp, tools.databasePath)
    .action((arg: string, opts: { version?: number; diff?: string; json?: boolean; db?: string }) =>
      withLab(opts.db, async (lab) => {
        const id = await oneExperiment(lab, arg, tools)
        if (opts.diff !== undefined) {
          const m = /^(\d+)\.\.(\d+)$/.exec(opts.diff)
          if (!m) throw tools.usage('--diff: give two version numbers as a..b, e.g. 1..3')
          const diff = await h(lab)['experiments:diff']({ id, from: Number(m[1]), to: Number(m[2]) })
          if (opts.json) return tools.printJson(diff)
          const lines = [`--- version ${diff.from}`, `+++ version ${diff.to}`]
          for (const hunk of diff.hunks) lines.push(`@@ -${hunk.old_start},${hunk.old_lines} +${hunk.new_start},${hunk.new_lines} @@`, ...hunk.lines)
          return tools.print(lines.join('\n') + '\n')
        }
        if (opts.version !== undefined) {
          const version = await h(lab)['experiments:version']({ id, number: opts.version })
          return opts.json ? tools.printJson(version) : await emit(version.text, undefined, tools)
        }
        const got = await h(lab)['experiments:get']({ id })
        if (opts.json) return tools.printJson(got)
        const e = got.experiment
        const head = [
          `experiment  ${e.name}`,
          `id          ${e.id}`,
          `tags        ${e.tags.join(', ') || '—'}`,
          `hypervisors ${e.hypervisors.join(', ')}`,
          `created     ${when(e.created_at)}`,
          `changed     ${when(e.updated_at)}`,
          ...(e.notes ? ['', e.notes] : [])
        ]
        const versions = table(['version', 'saved', 'runs', ''], got.versions.map((v) => [v.number, when(v.created_at), v.runs, v.current ? 'current' : '']))
        const runRows = got.runs.map((r) => [r.id.slice(0, 8), r.version, r.status, when(r.created_at), r.seed, r.checksum ? r.checksum.slice(0, 12) : null])
        const runsTable = runRows.length > 0 ? table(['run', 'version', 'status', 'started', 'seed', 'checksum'], runRows, ['l', 'r', 'l', 'l']) : 'no runs'
        tools.print([...head, '', versions, '', runsTable].join('\n') + '\n')
      })
    )

  experiments
    .command('export')
    .description('an experiment file: as stored, or as YAML or JSON; its current text or one version')
    .argument('<experiment>', 'experiment id (or its first characters) or exact name')
    .option('--format <format>', exportFormats.join(' | '), formatOf(exportFormats), 'stored')
    .option('--version <n>', 'this version instead of the current text', positive)
    .option('--out <path>', 'file to write (default: stdout)')
    .option('--db <path>', tools.dbHelp, tools.databasePath)
    .action((arg: string, opts: { format: (typeof exportFormats)[number]; version?: number; out?: string; db?: string }) =>
      withLab(opts.db, async (lab) => {
        const id = await oneExperiment(lab, arg, tools)
        const file = await h(lab)['experiments:export']({ id, format: opts.format, ...(opts.version !== undefined ? { version: opts.version } : {}) })
        await emit(file.text, opts.out, tools)
        if (opts.out !== undefined && opts.out !== '-') {
          const { experiment } = await h(lab)['experiments:get']({ id })
          tools.report(`${opts.out}: ${file.media_type === 'application/json' ? 'JSON' : 'YAML'} of "${experiment.name}"`)
        }
      })
    )

  experiments
    .command('import')
    .description('read an experiment file into the library (a file already kept is not kept twice)')
    .argument('<file>', 'experiment file (YAML or JSON)')
    .option('--db <path>', tools.dbHelp, tools.databasePath)
    .action(async (file: string, opts: { db?: string }) => {
      const text = await readExperimentFile(file)
      await tools.checked(file, text)
      await withLab(opts.db, async (lab) => {
        const { experiment, created } = await h(lab)['experiments:import']({ text, file_name: file })
        tools.print(`${file}: ${created ? 'kept as' : 'already kept as'} experiment ${experiment.id} ("${experiment.name}")\n`)
      })
    })
}
