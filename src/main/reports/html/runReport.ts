/**
 * The report of one run as a self-contained HTML document: the facts to
 * reproduce it, the findings, the experiment in words and as a diagram, the
 * per-VM results, charts, the overhead and its split, where the time went
 * and the mechanisms behind it with numbered references, the timeline, and
 * the experiment file. Runs with many VMs keep the mechanism tables in an
 * appendix, grouped by host.
 */
import { BREAKDOWN_CATEGORIES } from '../../../shared/breakdown'
import { formatNumber } from '../../../shared/format'
import type { ReportData, ReportRun } from '../data'
import { References } from '../references'
import { breakdownFigure, overheadFigure, runFigures } from './figures'
import { vmColours, vmGroups } from './groups'
import { esc } from './markup'
import { COMPACT_MIN_SHARE, mechanismTables, referencesList, vmFinding } from './mechanisms'
import { eventsSection, experimentAppendix, experimentSection, facts, page, runFacts, type Medium } from './sections'
import { overheadTable, resourceTables, resultsTable } from './tables'

/** Up to this many VMs, the mechanisms follow the breakdown chart; beyond, they go to an appendix. */
const INLINE_MECHANISMS = 12
/** Findings name at most this many VMs (the largest overheads first). */
const FINDINGS_VMS = 6

function findings(run: ReportRun): string {
  const r = run.result
  const ids = Object.keys(r.vms)
  const hostOf = (id: string) => run.experiment.vms.find((v) => v.id === id)?.host
  const withOverhead = ids.filter((id) => r.vms[id]!.overhead_pct !== null)
  const ranked = [...ids].sort((a, b) => (r.vms[b]!.overhead_pct ?? -Infinity) - (r.vms[a]!.overhead_pct ?? -Infinity))
  const shown = ranked.slice(0, FINDINGS_VMS)
  const items = shown.map((id) => `<li>${vmFinding(id, hostOf(id), r.vms[id]!)}</li>`)
  let range = ''
  if (withOverhead.length > 1) {
    const sorted = withOverhead.map((id) => ({ id, o: r.vms[id]!.overhead_pct! })).sort((a, b) => a.o - b.o)
    const lo = sorted[0]!
    const hi = sorted[sorted.length - 1]!
    const mid = sorted[Math.floor((sorted.length - 1) / 2)]!.o
    range = `<p>Across the ${withOverhead.length} VMs, the overhead versus native ranges from ${esc(formatNumber(lo.o, 1))} % (${esc(lo.id)}) to ${esc(formatNumber(hi.o, 1))} % (${esc(hi.id)}); median ${esc(formatNumber(mid, 1))} %.${ids.length > shown.length ? ` The ${shown.length} largest:` : ''}</p>`
  }
  const refused = r.events.filter((e) => !e.ok)
  const events = refused.length > 0 ? `<p>${refused.length} timeline event${refused.length === 1 ? ' was' : 's were'} refused (see <a href="#events">Timeline</a>).</p>` : ''
  return `${range}<ul class="findings">${items.join('')}</ul>${events}`
}

export function runReportHtml(data: ReportData, medium: Medium): string {
  const run = data.runs[0]!
  const r = run.result
  const groups = vmGroups(run.experiment, r)
  const colours = vmColours(groups)
  const refs = new References()
  const vms = groups.flatMap((g) => g.vms)
  const hostOf = (id: string) => run.experiment.vms.find((v) => v.id === id)?.host
  const h3 = (t: string) => `<h3>${esc(t)}</h3>`
  const inline = vms.length <= INLINE_MECHANISMS
  // Citations are numbered in reading order: the mechanism tables are the only place that cites.
  const mechanisms = groups
    .map((g) => (groups.length > 1 && !inline ? `<h3>${esc(g.title)}</h3>` : '') + mechanismTables(r, g.vms, hostOf, refs, { compact: !inline }))
    .join('')
  const contents = [
    ['summary', 'Summary'],
    ['experiment', 'The experiment'],
    ['results', 'Results per VM'],
    ['charts', 'Charts'],
    ['overhead', 'Overhead versus native'],
    ['breakdown', 'Where the response time went'],
    ['events', 'Timeline'],
    ['references', 'References'],
    ...(inline ? [] : [['mechanisms', 'Appendix: mechanisms per VM']]),
    [`appendix-${run.record.id}`, 'Appendix: the experiment file']
  ]
  const body = [
    `<header><h1>${esc(run.experiment.name)}</h1><p class="subtitle">Hyperlab run report · ${vms.length} VM${vms.length === 1 ? '' : 's'} on ${groups.length} host${groups.length === 1 ? '' : 's'} · written ${esc(data.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</p>`,
    facts(runFacts(run, data.version)),
    `<ol class="contents screen-only">${contents.map(([id, t]) => `<li><a href="#${esc(id!)}">${esc(t!)}</a></li>`).join('')}</ol></header>`,
    `<section><h2 id="summary">Summary</h2>${findings(run)}</section>`,
    `<section><h2 id="experiment">The experiment</h2>${experimentSection(run, h3)}</section>`,
    `<section><h2 id="results">Results per VM</h2><p class="small muted">After the warm-up. Overhead: 100 × (1 − throughput ÷ native throughput of the same workload alone on the same hardware).</p>${resultsTable(r, groups, colours)}${resourceTables(r)}</section>`,
    `<section><h2 id="charts">Charts</h2>${runFigures(r, run.chartSamples, run.bucketMs, groups, colours)}</section>`,
    `<section><h2 id="overhead">Overhead versus native</h2><p class="small muted">Virtualization tax: the VM alone under its hypervisor against native. Contention: with its neighbours against alone. The two add up to the overhead, in points of native throughput.</p>${overheadTable(r, groups, colours)}${overheadFigure(r, groups)}</section>`,
    `<section><h2 id="breakdown">Where the response time went</h2>${breakdownFigure(r, groups)}${
      inline
        ? `<p class="small muted">Each VM's mechanisms: count per operation, cost of one, hardware VM exits it takes, share of the response time, and the source of its cost (numbers refer to the references).</p>${mechanisms}`
        : `<p>The mechanisms behind each VM's time are listed per host in <a href="#mechanisms">the appendix</a>.</p>`
    }</section>`,
    `<section><h2 id="events">Timeline</h2>${eventsSection(run)}</section>`,
    `<section><h2 id="references">References</h2><p class="small muted">The catalog's sources for the costs the mechanisms use. Grades: A read in the primary source, B reputable secondary, C transcription of the primary. "measured in the simulation": produced by this run; "estimate": says why in place.</p>${referencesList(refs)}</section>`,
    inline
      ? ''
      : `<section class="appendix"><h2 id="mechanisms">Appendix: mechanisms per VM</h2><p class="small muted">Per host, each VM's mechanisms of at least ${COMPACT_MIN_SHARE} % of its response time, largest first, marked with the colour of their category:</p><ul class="legend">${BREAKDOWN_CATEGORIES.map((c) => `<li><span class="swatch" style="background:${c.colour}"></span>${esc(c.label)}: ${esc(c.hint)}</li>`).join('')}</ul><p class="small muted">The smaller ones are gathered in one line per VM to keep this appendix short; the JSON export lists every one.</p>${mechanisms}</section>`,
    experimentAppendix(run, 'Appendix: the experiment file', medium)
  ]
  return page(`${run.experiment.name} — Hyperlab report`, body.join('\n'), data)
}
