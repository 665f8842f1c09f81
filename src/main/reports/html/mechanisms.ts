/**
 * Why each VM takes the time it takes, in a report: the mechanisms of
 * `hyperlab explain` per VM, grouped by category with the category's share,
 * each with its count per operation, cost each, VM exits, share and source —
 * catalog citations as numbered references — and the one-line findings that
 * open a report (overhead, its split, the largest costs and waits).
 */
import { BREAKDOWN_CATEGORIES, breakdownCategory } from '../../../shared/breakdown'
import { formatCount, formatMicros, formatNumber, formatShare } from '../../../shared/format'
import type { BreakdownKey, ExplainItem, RunResult, VmResult } from '../../../shared/result'
import type { References, SourcePart } from '../references'
import { esc } from './markup'
import { overheadWords } from './tables'
import { cpuTechniqueWords, mmuTechniqueWords } from '../words'

const TAX: readonly BreakdownKey[] = ['vm_exits', 'page_walks', 'device_emulation', 'hypervisor_io']

/** A source with its citations as links to the numbered references. */
export function sourceHtml(parts: readonly SourcePart[]): string {
  return parts.map((p) => ('ref' in p ? `<a class="cite" href="#ref-${p.ref}" data-ref="${p.ref}">[${p.ref}]</a>` : esc(p.text))).join('')
}

/** The largest mechanisms of some categories: `hidden page faults 9.1 %; …`. */
export function largest(items: readonly ExplainItem[], keys: readonly BreakdownKey[], n = 3): string {
  return items
    .filter((e) => keys.includes(e.category) && e.share_pct >= 0.1)
    .sort((a, b) => b.share_pct - a.share_pct)
    .slice(0, n)
    .map((e) => `${e.mechanism} ${formatNumber(e.share_pct, 1)} %`)
    .join('; ')
}

/** One finding per VM: its rate, how far from native and why. */
export function vmFinding(id: string, host: string | undefined, v: VmResult): string {
  const tech = `${cpuTechniqueWords(v.techniques.cpu)}, ${mmuTechniqueWords(v.techniques.mmu)}`
  const items = v.explain ?? []
  const tax = largest(items, TAX)
  const waits = largest(items, ['queueing'])
  const parts = [
    `<b>${esc(id)}</b>${host ? ` on ${esc(host)}` : ''} (${esc(tech)}): ${esc(formatNumber(v.throughput_ops_s, 1))} ops/s, mean ${esc(formatNumber(v.latency_ms.mean, 2))} ms; ${esc(overheadWords(v))}.`
  ]
  if (tax) parts.push(`Largest virtualization costs: ${esc(tax)}.`)
  if (waits) parts.push(`Largest waits: ${esc(waits)}.`)
  return parts.join(' ')
}

/** In a compact table, mechanisms under this share of the response time are gathered per category, %. */
export const COMPACT_MIN_SHARE = 0.5

function mechanismRow(e: ExplainItem, refs: References, swatch = ''): string {
  return `<tr data-category="${e.category}"><td class="l mechanism">${swatch}${esc(e.mechanism)}</td><td class="num">${esc(formatCount(e.per_op))}</td><td class="num">${esc(formatMicros(e.cost_us))}</td><td class="num">${e.exits > 0 ? esc(formatCount(e.exits)) : ''}</td><td class="num" data-key="share_pct" data-value="${e.share_pct}">${esc(formatShare(e.share_pct))}</td><td class="l src">${sourceHtml(refs.cite(e.source))}</td></tr>`
}

/** Every mechanism, under a line per category with the category's share and what it means. */
function fullRows(v: VmResult, refs: References): string {
  const items = v.explain ?? []
  return BREAKDOWN_CATEGORIES.map((c) => {
    const rows = items.filter((e) => e.category === c.key)
    if (rows.length === 0) return ''
    const head = `<tr class="cat"><th colspan="4"><span class="swatch" style="background:${c.colour}"></span>${esc(c.label)}</th><th class="num">${esc(formatShare(v.breakdown_pct[c.key] ?? 0))}</th><th class="l hint">${esc(c.hint)}</th></tr>`
    return `<tbody>${head}${rows.map((e) => mechanismRow(e, refs)).join('')}</tbody>`
  }).join('')
}

/** The mechanisms of at least COMPACT_MIN_SHARE, largest first, each marked with its category's colour; the rest in one line. */
function compactRows(v: VmResult, refs: References): string {
  const items = v.explain ?? []
  const shown = items.filter((e) => e.share_pct >= COMPACT_MIN_SHARE).sort((a, b) => b.share_pct - a.share_pct)
  const rest = items.filter((e) => e.share_pct < COMPACT_MIN_SHARE)
  const swatch = (e: ExplainItem) => `<span class="swatch" style="background:${breakdownCategory(e.category).colour}" title="${esc(breakdownCategory(e.category).label)}"></span>`
  const gathered =
    rest.length > 0
      ? `<tr class="gathered"><td class="l mechanism muted">${rest.length} smaller mechanism${rest.length === 1 ? '' : 's'}, each under ${COMPACT_MIN_SHARE} %</td><td colspan="3"></td><td class="num">${esc(formatShare(rest.reduce((sum, e) => sum + e.share_pct, 0)))}</td><td class="l src">all are in the JSON export</td></tr>`
      : ''
  return `<tbody>${shown.map((e) => mechanismRow(e, refs, swatch(e))).join('')}${gathered}</tbody>`
}

/**
 * Every VM's mechanisms table, in the order given, citing into `refs`. A
 * compact table (for runs with many VMs) lists the larger mechanisms,
 * largest first, and gathers the small ones into one line.
 */
export function mechanismTables(
  result: RunResult,
  vms: readonly string[],
  hostOf: (vm: string) => string | undefined,
  refs: References,
  opts: { idPrefix?: string; compact?: boolean } = {}
): string {
  return vms
    .map((id) => {
      const v = result.vms[id]!
      const exits = v.exits_per_op !== undefined && v.exits_per_op > 0 ? ` · ${esc(formatCount(v.exits_per_op))} VM exits per operation` : ''
      const host = hostOf(id)
      const head = `<div class="vmhead" id="${esc(`${opts.idPrefix ?? ''}mech-${id}`)}"><b>${esc(id)}</b>${host ? ` on ${esc(host)}` : ''} — ${esc(overheadWords(v))}${exits}</div>`
      if (!v.explain || v.explain.length === 0) return `${head}<p class="small muted">No mechanisms recorded: no operation completed after the warm-up, or the run predates them.</p>`
      return `${head}<table class="mech" data-table="mechanisms" data-vm="${esc(id)}"><colgroup><col style="width:31%"><col style="width:8%"><col style="width:9%"><col style="width:6%"><col style="width:7%"><col></colgroup><thead><tr><th class="l">Mechanism</th><th>Per op</th><th>Cost each</th><th>Exits</th><th>Share</th><th class="l">Source</th></tr></thead>${opts.compact ? compactRows(v, refs) : fullRows(v, refs)}</table>`
    })
    .join('')
}

/** The numbered references, in the order first cited. */
export function referencesList(refs: References): string {
  const list = refs.list()
  if (list.length === 0) return '<p class="muted">No catalog citation was needed: every cost in this report was measured in the simulation or is an estimate said in place.</p>'
  return `<ol class="refs" data-list="references">${list.map((c, i) => `<li id="ref-${i + 1}" data-ref="${i + 1}">${esc(c)}</li>`).join('')}</ol>`
}
