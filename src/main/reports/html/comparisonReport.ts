/**
 * The report of a comparison as a self-contained HTML document: the runs and
 * their arms, what changed between the experiments, whether they share
 * random streams, the per-VM deltas with their intervals, charts of the arms
 * side by side, the mechanisms whose share changed most (with numbered
 * references), each arm's experiment and results, every metric in an
 * appendix, and the experiment files.
 */
import { BREAKDOWN_CATEGORIES } from '../../../shared/breakdown'
import { formatChange, metricInfo, type Arm, type ArmComparison, type MetricDelta, type MetricKey } from '../../../shared/compare'
import { formatNumber, formatShare } from '../../../shared/format'
import type { ExplainItem, RunResult } from '../../../shared/result'
import { barChart, seriesColour } from '../charts'
import type { ReportData, ReportRun } from '../data'
import { References } from '../references'
import { figure } from './figures'
import { chunkVms, vmColours, vmGroups, type VmGroup } from './groups'
import { esc, signed } from './markup'
import { referencesList, sourceHtml } from './mechanisms'
import { eventsSection, experimentAppendix, experimentSection, facts, page, type Medium } from './sections'
import { resourceTables, resultsTable } from './tables'

const FULL = 680
/** VMs whose mechanism changes are listed (those whose throughput changed most). */
const MECHANISM_VMS = 12
const MECHANISMS_PER_VM = 6
const CHART_CHUNK = 16

function metric(c: ArmComparison, vm: string, key: MetricKey): MetricDelta | undefined {
  return c.vms.find((v) => v.vm === vm)?.metrics.find((m) => m.key === key)
}

/** Whether a delta is an improvement, a regression, or neither, for colouring. */
function tone(d: MetricDelta | undefined): string {
  if (!d || d.delta === null || d.delta === 0) return ''
  const better = metricInfo(d.key).better
  if (!better) return ''
  // An interval that straddles zero says nothing for sure.
  if (d.ci95 && d.ci95.low <= 0 && d.ci95.high >= 0) return ''
  return (d.delta > 0) === (better === 'higher') ? ' better' : ' worse'
}

function interval(d: MetricDelta | undefined, relative: boolean, digits: number): string {
  if (!d?.ci95) return '—'
  if (relative) {
    if (d.reference === null || d.reference === 0) return '—'
    const r = Math.abs(d.reference)
    return `${signed((100 * d.ci95.low) / r, 1)} … ${signed((100 * d.ci95.high) / r, 1)} %`
  }
  return `${signed(d.ci95.low, digits)} … ${signed(d.ci95.high, digits)}`
}

function valueCell(d: MetricDelta | undefined, side: 'reference' | 'value', digits: number): string {
  const v = d?.[side] ?? null
  return `<td class="num" data-key="${esc(`${d?.key ?? ''}.${side}`)}" data-value="${v ?? ''}">${esc(formatNumber(v, digits))}</td>`
}

function relCell(d: MetricDelta | undefined): string {
  return `<td class="num${tone(d)}" data-key="${esc(`${d?.key ?? ''}.relative_pct`)}" data-value="${d?.relative_pct ?? ''}">${esc(signed(d?.relative_pct, 1, ' %'))}</td>`
}

function ptsCell(d: MetricDelta | undefined): string {
  return `<td class="num${tone(d)}" data-key="${esc(`${d?.key ?? ''}.delta`)}" data-value="${d?.delta ?? ''}">${esc(signed(d?.delta, 1))}</td>`
}

function deltasTable(c: ArmComparison, groups: readonly VmGroup[]): string {
  const head = `<thead>
<tr><th class="l" rowspan="2">VM</th><th colspan="4">Throughput, ops/s</th><th colspan="3">Mean latency, ms</th><th>p99</th><th colspan="3">Overhead, %</th></tr>
<tr><th>${esc(c.reference)}</th><th>${esc(c.arm)}</th><th>Δ</th><th>95 % interval</th><th>${esc(c.reference)}</th><th>${esc(c.arm)}</th><th>Δ</th><th>Δ</th><th>${esc(c.reference)}</th><th>${esc(c.arm)}</th><th>Δ pts</th></tr>
</thead>`
  const compared = new Set(c.vms.map((v) => v.vm))
  const bodies = groups.map((g) => {
    const rows = g.vms
      .filter((vm) => compared.has(vm))
      .map((vm) => {
        const tp = metric(c, vm, 'throughput_ops_s')
        const lat = metric(c, vm, 'latency_mean_ms')
        const p99 = metric(c, vm, 'latency_p99_ms')
        const ov = metric(c, vm, 'overhead_pct')
        return `<tr data-vm="${esc(vm)}" data-arm="${esc(c.arm)}"><td class="l"><b>${esc(vm)}</b></td>${valueCell(tp, 'reference', 1)}${valueCell(tp, 'value', 1)}${relCell(tp)}<td class="num">${esc(interval(tp, true, 1))}</td>${valueCell(lat, 'reference', 2)}${valueCell(lat, 'value', 2)}${relCell(lat)}${relCell(p99)}${valueCell(ov, 'reference', 1)}${valueCell(ov, 'value', 1)}${ptsCell(ov)}</tr>`
      })
    return rows.length > 0 ? `<tbody>${groups.length > 1 ? `<tr><th class="group" colspan="12">${esc(g.title)}</th></tr>` : ''}${rows.join('')}</tbody>` : ''
  })
  return `<table class="deltas" data-table="deltas" data-arm="${esc(c.arm)}">${head}${bodies.join('')}</table>`
}

/** Every metric of every VM, reference against arm: the full model in a table. */
function allMetricsTable(c: ArmComparison): string {
  const rows = c.vms
    .map((v) => {
      const lines = v.metrics.map((d) => {
        const info = metricInfo(d.key)
        return `<tr data-vm="${esc(v.vm)}" data-metric="${d.key}"><td class="l">${esc(info.label)}</td><td class="l muted">${esc(info.unit)}</td><td class="num">${esc(formatNumber(d.reference, 3))}</td><td class="num">${esc(formatNumber(d.value, 3))}</td><td class="num${tone(d)}">${esc(signed(d.delta, 3))}</td><td class="num">${esc(signed(d.relative_pct, 1, ' %'))}</td><td class="num">${esc(interval(d, false, 3))}</td><td class="l">${d.method}</td><td class="num">${d.n_reference} / ${d.n_value}</td></tr>`
      })
      return `<tbody><tr><th class="group" colspan="9">${esc(v.vm)}</th></tr>${lines.join('')}</tbody>`
    })
    .join('')
  return `<table class="metrics" data-table="all-metrics" data-arm="${esc(c.arm)}"><thead><tr><th class="l">Metric</th><th class="l">Unit</th><th>${esc(c.reference)}</th><th>${esc(c.arm)}</th><th>Δ</th><th>Δ %</th><th>95 % interval of Δ</th><th class="l">Method</th><th>n</th></tr></thead>${rows}</table>`
}

/** An arm's replications: per VM the mean of key metrics with its 95 % interval. */
function replicationTable(arm: Arm): string {
  const keys: MetricKey[] = ['throughput_ops_s', 'latency_mean_ms', 'latency_p99_ms', 'overhead_pct']
  const cell = (m: Arm['vms'][number]['metrics'][number] | undefined, digits: number) =>
    `<td class="num" data-key="${m?.key ?? ''}" data-value="${m?.mean ?? ''}">${esc(formatNumber(m?.mean, digits))}</td><td class="num">${m?.ci95 ? esc(`${formatNumber(m.ci95.low, digits)} … ${formatNumber(m.ci95.high, digits)}`) : '—'}</td>`
  const rows = arm.vms
    .map((v) => {
      const get = (k: MetricKey) => v.metrics.find((m) => m.key === k)
      return `<tr data-vm="${esc(v.vm)}" data-arm="${esc(arm.label)}"><td class="l"><b>${esc(v.vm)}</b></td>${cell(get(keys[0]!), 1)}${cell(get(keys[1]!), 2)}${cell(get(keys[2]!), 2)}${cell(get(keys[3]!), 1)}</tr>`
    })
    .join('')
  return `<table class="replications" data-table="replications" data-arm="${esc(arm.label)}"><thead><tr><th class="l" rowspan="2">VM</th><th colspan="2">Throughput, ops/s</th><th colspan="2">Mean latency, ms</th><th colspan="2">p99 latency, ms</th><th colspan="2">Overhead, %</th></tr><tr><th>mean</th><th>95 % interval</th><th>mean</th><th>95 % interval</th><th>mean</th><th>95 % interval</th><th>mean</th><th>95 % interval</th></tr></thead><tbody>${rows}</tbody></table>`
}

function changesList(c: ArmComparison): string {
  if (c.what_changed.length === 0) return '<p>Nothing but the seed: the two experiments are the same.</p>'
  return `<ul class="changes" data-list="changes">${c.what_changed.map((ch) => `<li><code>${esc(formatChange(ch))}</code></li>`).join('')}</ul>`
}

/** One finding per VM whose throughput moved most: throughput, latency and overhead deltas. */
function findings(c: ArmComparison): string {
  const ranked = [...c.vms].sort(
    (a, b) => Math.abs(metric(c, b.vm, 'throughput_ops_s')?.relative_pct ?? 0) - Math.abs(metric(c, a.vm, 'throughput_ops_s')?.relative_pct ?? 0)
  )
  const items = ranked.slice(0, 6).map(({ vm }) => {
    const tp = metric(c, vm, 'throughput_ops_s')
    const lat = metric(c, vm, 'latency_mean_ms')
    const ov = metric(c, vm, 'overhead_pct')
    const ci = tp?.ci95 ? ` (95 % interval ${interval(tp, true, 1)})` : ''
    const overhead = ov?.delta !== null && ov?.delta !== undefined ? `; overhead ${signed(ov.delta, 1)} pts (${formatNumber(ov.reference, 1)} → ${formatNumber(ov.value, 1)} %)` : ''
    return `<li><b>${esc(vm)}</b>: throughput ${esc(signed(tp?.relative_pct, 1, ' %'))}${esc(ci)}, mean latency ${esc(signed(lat?.relative_pct, 1, ' %'))}${esc(overhead)}.</li>`
  })
  const added = c.vms_added.length > 0 ? `<p>Only in ${esc(c.arm)}: ${esc(c.vms_added.join(', '))}.</p>` : ''
  const removed = c.vms_removed.length > 0 ? `<p>Only in ${esc(c.reference)}: ${esc(c.vms_removed.join(', '))}.</p>` : ''
  return `<ul class="findings">${items.join('')}</ul>${added}${removed}`
}

function armBars(title: string, unit: string, valueName: string, runs: readonly ReportRun[], groups: readonly VmGroup[], get: (r: RunResult, vm: string) => number | null): string {
  const chunks = chunkVms(groups, CHART_CHUNK)
  return chunks
    .map((vms, i) => {
      const part = chunks.length > 1 ? ` (${i + 1} of ${chunks.length})` : ''
      const svg = barChart({
        label: `${title}${part}`,
        categories: vms,
        series: runs.map((run, k) => ({ name: `${run.arm}: ${run.experiment.name}`, colour: seriesColour(k), values: vms.map((vm) => (run.result.vms[vm] ? get(run.result, vm) : null)) })),
        valueName,
        width: FULL
      })
      return figure(`<b>${esc(title)}</b>, ${esc(unit)}, by arm${part}`, svg)
    })
    .join('')
}

function breakdownByArm(runs: readonly ReportRun[], groups: readonly VmGroup[]): string {
  const chunks = chunkVms(groups, Math.max(1, Math.floor(24 / runs.length)))
  return chunks
    .map((vms, i) => {
      const rows = vms.flatMap((vm) => runs.filter((r) => r.result.vms[vm]).map((r) => ({ label: `${vm} · ${r.arm}`, v: r.result.vms[vm]! })))
      const part = chunks.length > 1 ? ` (${i + 1} of ${chunks.length})` : ''
      const svg = barChart({
        label: `Where the response time went, by arm${part}`,
        categories: rows.map((r) => r.label),
        series: BREAKDOWN_CATEGORIES.map((c) => ({ name: c.label, colour: c.colour, values: rows.map((r) => r.v.breakdown_pct[c.key] ?? 0) })),
        valueName: '% of the response time',
        stacked: true,
        max: 100,
        width: FULL
      })
      return figure(`<b>Where the response time went</b>, % of an operation’s response time by category, each VM per arm${part}`, svg)
    })
    .join('')
}

/** The mechanisms whose share of the response time moved most between two arms, for the VMs that moved most. */
function mechanismChanges(c: ArmComparison, ref: ReportRun, arm: ReportRun, refs: References): string {
  const key = (e: ExplainItem) => `${e.category}\u0000${e.mechanism}`
  const vms = [...c.vms]
    .sort((a, b) => Math.abs(metric(c, b.vm, 'throughput_ops_s')?.relative_pct ?? 0) - Math.abs(metric(c, a.vm, 'throughput_ops_s')?.relative_pct ?? 0))
    .slice(0, MECHANISM_VMS)
    .map((v) => v.vm)
  return vms
    .map((vm) => {
      const a = new Map((ref.result.vms[vm]?.explain ?? []).map((e) => [key(e), e]))
      const b = new Map((arm.result.vms[vm]?.explain ?? []).map((e) => [key(e), e]))
      const keys = [...new Set([...a.keys(), ...b.keys()])]
      const moved = keys
        .map((k) => ({ k, a: a.get(k), b: b.get(k), d: (b.get(k)?.share_pct ?? 0) - (a.get(k)?.share_pct ?? 0) }))
        .filter((m) => Math.abs(m.d) >= 0.05)
        .sort((x, y) => Math.abs(y.d) - Math.abs(x.d))
        .slice(0, MECHANISMS_PER_VM)
      if (moved.length === 0) return ''
      const rows = moved
        .map((m) => {
          const e = (m.b ?? m.a)!
          const cat = BREAKDOWN_CATEGORIES.find((x) => x.key === e.category)!
          return `<tr><td class="l mechanism"><span class="swatch" style="background:${cat.colour}" title="${esc(cat.label)}"></span>${esc(e.mechanism)}</td><td class="num">${m.a ? esc(formatShare(m.a.share_pct)) : 'absent'}</td><td class="num">${m.b ? esc(formatShare(m.b.share_pct)) : 'absent'}</td><td class="num">${esc(signed(m.d, 1))}</td><td class="l src">${sourceHtml(refs.cite(e.source))}</td></tr>`
        })
        .join('')
      return `<div class="vmhead"><b>${esc(vm)}</b></div><table class="mech" data-table="mechanism-changes" data-vm="${esc(vm)}"><colgroup><col style="width:36%"><col style="width:9%"><col style="width:9%"><col style="width:8%"><col></colgroup><thead><tr><th class="l">Mechanism</th><th>${esc(c.reference)} share</th><th>${esc(c.arm)} share</th><th>Δ pts</th><th class="l">Source</th></tr></thead><tbody>${rows}</tbody></table>`
    })
    .join('')
}

export function comparisonReportHtml(data: ReportData, medium: Medium): string {
  const cmp = data.comparison!
  const refs = new References()
  // One run stands for each arm: the first given of its seeds.
  const armRuns = cmp.arms.map((arm) => data.runs.find((r) => r.record.id === arm.run_ids[0])!)
  const reference = armRuns[0]!
  const groups = vmGroups(reference.experiment, reference.result)
  // VMs only the other arms have go last, in a group of their own.
  const extra = [...new Set(armRuns.slice(1).flatMap((r) => Object.keys(r.result.vms)))].filter((vm) => !reference.result.vms[vm])
  const allGroups = extra.length > 0 ? [...groups, { host: '', title: 'VMs not in the reference arm', vms: extra }] : groups
  const names = [...new Set(armRuns.map((r) => r.experiment.name))]
  const title = names.length > 1 ? `${names.join(' vs ')}` : `${names[0]} (${data.runs.length} runs)`
  const h3 = (t: string) => `<h3>${esc(t)}</h3>`

  const runsTable = `<table class="runs" data-table="runs"><thead><tr><th class="l">Arm</th><th class="l">Run</th><th class="l">Experiment</th><th>Seed</th><th class="l">Checksum</th><th class="l">Started</th></tr></thead><tbody>${cmp.runs
    .map(
      (r) =>
        `<tr data-run="${esc(r.run_id)}"><td class="l"><b>${esc(r.arm)}</b></td><td class="l"><code>${esc(r.run_id)}</code></td><td class="l">${esc(r.experiment_name)}</td><td class="num">${r.seed}</td><td class="l"><code>${esc(r.checksum)}</code></td><td class="l">${esc(r.created_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</td></tr>`
    )
    .join('')}</tbody></table>`
  const replications = cmp.arms.some((a) => a.run_ids.length > 1)
    ? `<p class="small muted">Runs of one experiment with different seeds are replications of one arm: means and 95 % intervals come from them.${cmp.arms.some((a) => a.duplicate_run_ids.length > 0) ? ' A rerun of an experiment with a seed already listed gives the same result and is counted once.' : ''}</p>`
    : ''

  const pairs = cmp.comparisons.map((c) => {
    const armRun = armRuns[cmp.arms.findIndex((a) => a.label === c.arm)]!
    return { c, armRun }
  })

  const summary = pairs
    .map(
      ({ c }) =>
        `<h3>${esc(c.arm)} against ${esc(c.reference)}</h3><p>${c.what_changed.length === 0 ? 'The experiments differ only in the seed.' : `${c.what_changed.length} change${c.what_changed.length === 1 ? '' : 's'} (see <a href="#changes-${esc(c.arm)}">What changed</a>).`} ${esc(c.random_streams.note)}</p>${findings(c)}`
    )
    .join('')
  const mechanisms = pairs.map(({ c, armRun }) => `${pairs.length > 1 ? h3(`${c.arm} against ${c.reference}`) : ''}${mechanismChanges(c, reference, armRun, refs)}`).join('')
  const arms = armRuns
    .map((run) => {
      const g = vmGroups(run.experiment, run.result)
      const note = (cmp.arms.find((a) => a.label === run.arm)?.run_ids.length ?? 1) > 1 ? `<p class="small muted">Results of run <code>${esc(run.record.id)}</code> (seed ${run.record.seed}), one of this arm's replications; the deltas above use all of them.</p>` : ''
      return `<section><h2 id="arm-${esc(run.arm ?? '')}">Arm ${esc(run.arm ?? '')}: ${esc(run.experiment.name)}</h2>${experimentSection(run, h3)}${h3('Results per VM')}${note}${resultsTable(run.result, g, vmColours(g))}${resourceTables(run.result)}${h3('Timeline')}${eventsSection(run)}</section>`
    })
    .join('')

  const body = [
    `<header><h1>${esc(title)}</h1><p class="subtitle">Hyperlab comparison report · ${cmp.arms.length} arm${cmp.arms.length === 1 ? '' : 's'}, ${data.runs.length} runs · written ${esc(data.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</p>`,
    facts([
      ['Engine', `Hyperlab ${esc(data.version)}`],
      ['Reference', `arm ${esc(cmp.arms[0]!.label)}: ${esc(cmp.arms[0]!.experiment_name)}`]
    ]),
    runsTable,
    replications,
    '</header>',
    `<section><h2 id="summary">Summary</h2>${pairs.length === 0 ? '<p>All runs are replications of one experiment (only the seed differs): the table below gives each VM\'s mean over them with its 95 % interval.</p>' : summary}</section>`,
    cmp.arms.some((a) => a.run_ids.length > 1)
      ? `<section><h2 id="replications">Replications</h2>${cmp.arms
          .filter((a) => a.run_ids.length > 1)
          .map((a) => `${h3(`Arm ${a.label}: ${a.experiment_name}, seeds ${a.seeds.join(', ')}`)}${replicationTable(a)}`)
          .join('')}</section>`
      : '',
    pairs.length > 0
      ? `<section><h2 id="changes">What changed</h2>${pairs.map(({ c }) => `<h3 id="changes-${esc(c.arm)}">${esc(c.arm)} against ${esc(c.reference)}</h3>${changesList(c)}<p class="note">${esc(c.random_streams.note)}</p>`).join('')}</section>`
      : '',
    pairs.length > 0
      ? `<section><h2 id="deltas">Deltas per VM</h2><p class="small muted">Δ: the arm against the reference, in % of the reference (overhead in points). Green: better, red: worse, when the 95 % interval (where replications give one) excludes zero.</p>${pairs.map(({ c }) => `${pairs.length > 1 ? h3(`${c.arm} against ${c.reference}`) : ''}${deltasTable(c, allGroups)}`).join('')}</section>`
      : '',
    `<section><h2 id="charts">Charts</h2>${armBars('Throughput', 'ops/s', 'ops/s', armRuns, allGroups, (r, vm) => r.vms[vm]!.throughput_ops_s)}${armBars('Mean latency', 'ms per operation', 'ms', armRuns, allGroups, (r, vm) => r.vms[vm]!.latency_ms.mean)}${
      armRuns.some((r) => Object.values(r.result.vms).some((v) => v.overhead_pct !== null))
        ? armBars('Overhead versus native', '%', '% below native throughput', armRuns, allGroups, (r, vm) => r.vms[vm]!.overhead_pct)
        : ''
    }${breakdownByArm(armRuns, allGroups)}</section>`,
    pairs.length > 0
      ? `<section><h2 id="mechanisms">Mechanisms that changed most</h2><p class="small muted">Per VM (those whose throughput moved most first), the mechanisms whose share of the response time changed most, with the source of their cost.</p>${mechanisms}</section>`
      : '',
    arms,
    `<section><h2 id="references">References</h2><p class="small muted">The catalog's sources for the costs of the mechanisms above. Grades: A read in the primary source, B reputable secondary, C transcription of the primary.</p>${referencesList(refs)}</section>`,
    pairs.length > 0 ? `<section class="appendix"><h2 id="all-metrics">Appendix: every metric</h2>${pairs.map(({ c }) => `${pairs.length > 1 ? h3(`${c.arm} against ${c.reference}`) : ''}${allMetricsTable(c)}`).join('')}</section>` : '',
    ...armRuns.map((run) => experimentAppendix(run, `Appendix: the experiment file of arm ${run.arm}`, medium))
  ]
  return page(`${title} — Hyperlab comparison`, body.join('\n'), data)
}
