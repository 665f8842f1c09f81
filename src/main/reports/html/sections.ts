/**
 * Sections every report shares: the page around the content, the facts
 * that let a reader reproduce a run (engine version, seed, checksum), the
 * experiment in words with its topology, the timeline events, and the
 * appendix that embeds the experiment file — attached to the PDF, or a
 * download link in the HTML.
 */
import { formatNumber, formatWallMs } from '../../../shared/format'
import type { ReportRun } from '../data'
import { topologySvg } from '../topology'
import { describeExperiment, type HostWords } from '../words'
import { figure } from './figures'
import { esc, slug } from './markup'
import { REPORT_CSS } from './style'

/** Who reads the document: a browser (download links work) or the PDF printer (files are attached). */
export type Medium = 'screen' | 'print'

export function page(title: string, body: string, meta: { version: string; generatedAt: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Hyperlab ${esc(meta.version)}">
<meta name="date" content="${esc(meta.generatedAt)}">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`
}

/** A definition list of facts, two pairs to a line. */
export function facts(pairs: ReadonlyArray<readonly [string, string]>): string {
  return `<dl class="facts">${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`
}

/** When, which engine, which seed and checksum: what it takes to reproduce the run. */
export function runFacts(run: ReportRun, version: string): Array<readonly [string, string]> {
  const r = run.record
  const res = run.result
  return [
    ['Run', `<code>${esc(r.id)}</code>`],
    ['Started', esc(r.created_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC'))],
    ['Engine', `Hyperlab ${esc(version)}`],
    ['Seed', esc(String(r.seed))],
    ['Checksum', `<code data-key="checksum">${esc(res.checksum)}</code>`],
    ['Simulated', `${esc(formatNumber(res.sim.simulated_s, 1))} s, ${esc(formatNumber(res.sim.events, 0))} events`],
    ['Wall time', esc(formatWallMs(r.wall_ms ?? res.sim.wall_ms))],
    ['Experiment file', `<code>${esc(experimentFileName(run))}</code> (appendix)`]
  ]
}

/** The name the experiment file gets when attached or downloaded. */
export function experimentFileName(run: Pick<ReportRun, 'experiment' | 'experimentText'>): string {
  const json = run.experimentText.trimStart().startsWith('{')
  return `${slug(run.experiment.name)}.${json ? 'json' : 'yaml'}`
}

/** Up to this many VMs, each is told in a sentence; beyond, in a table grouped by host. */
const PROSE_VMS = 12

function vmTable(hosts: readonly HostWords[]): string {
  const rows = hosts
    .map(
      (h) =>
        `<tbody><tr><th class="group" colspan="6"><b>${esc(h.id)}</b>: ${esc(h.headline)}. ${esc(h.details.join(' '))}</th></tr>${h.vms
          .map(
            (vm) =>
              `<tr data-vm="${esc(vm.id)}"><td class="l"><b>${esc(vm.id)}</b></td><td class="l">${esc(vm.sizing)}</td><td class="l">${esc(vm.techniques)}</td><td class="l">${esc(vm.workload)}</td><td class="l">${esc(vm.disks.join('; '))}</td><td class="l">${esc(vm.nics.join('; '))}</td></tr>`
          )
          .join('')}</tbody>`
    )
    .join('')
  return `<table class="config" data-table="vm-config"><colgroup><col style="width:9%"><col style="width:13%"><col style="width:15%"><col style="width:17%"><col style="width:30%"><col></colgroup><thead><tr><th class="l">VM</th><th class="l">Size</th><th class="l">Techniques</th><th class="l">Workload</th><th class="l">Disks</th><th class="l">NICs</th></tr></thead>${rows}</table>`
}

function vmProse(hosts: readonly HostWords[]): string {
  return hosts
    .map(
      (h) =>
        `<div class="host"><p class="vmline keep-next"><b>${esc(h.id)}</b>: ${esc(h.headline)}. ${esc(h.details.join(' '))}</p><ul>${h.vms
          .map((vm) => `<li class="vmline"><b>${esc(vm.id)}</b>: ${esc(vm.text)}</li>`)
          .join('')}</ul></div>`
    )
    .join('')
}

/** The experiment in words with its topology diagram. */
export function experimentSection(run: ReportRun, heading: (text: string) => string): string {
  const w = describeExperiment(run.experiment, run.result)
  const vmCount = w.hosts.reduce((n, h) => n + h.vms.length, 0)
  const description = run.experiment.description.trim() ? `<p>${esc(run.experiment.description.trim())}</p>` : ''
  const parts = [
    description,
    `<p>${esc(w.run)}</p>`,
    figure('<b>Topology</b>: hosts with their VMs (workload, CPU + MMU technique, volumes), local disks and adapters; SAN arrays with their LUNs and volumes; a line per storage path, labelled with the adapter', topologySvg(run.experiment, run.result)),
    heading('Hosts and VMs'),
    vmCount <= PROSE_VMS ? vmProse(w.hosts) : vmTable(w.hosts)
  ]
  if (w.storage.length > 0) parts.push(heading('Storage'), `<ul>${w.storage.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`)
  if (w.workloads.length > 0) parts.push(heading('Workloads'), `<ul class="small">${w.workloads.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`)
  return parts.join('')
}

export function eventsSection(run: ReportRun): string {
  const w = describeExperiment(run.experiment, run.result)
  if (w.events.length === 0) return '<p class="muted">The experiment has no timeline events: every VM ran from the start to the end.</p>'
  return `<ul data-list="events">${w.events.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>`
}

/** The experiment file: embedded as text, and attached (PDF) or offered for download (HTML). */
export function experimentAppendix(run: ReportRun, title: string, medium: Medium): string {
  const name = experimentFileName(run)
  const how =
    medium === 'print'
      ? `<p>The file is also attached to this PDF as <code>${esc(name)}</code> (the attachments panel of a PDF reader saves it). Run it again with <code>hyperlab run ${esc(name)} --seed ${run.record.seed}</code>: the same Hyperlab version gives checksum <code>${esc(run.result.checksum)}</code>.</p>`
      : `<p><a class="attach" download="${esc(name)}" href="data:text/yaml;charset=utf-8;base64,${Buffer.from(run.experimentText, 'utf8').toString('base64')}">Save ${esc(name)}</a> — run it again with <code>hyperlab run ${esc(name)} --seed ${run.record.seed}</code>: the same Hyperlab version gives checksum <code>${esc(run.result.checksum)}</code>.</p>`
  return `<section class="appendix"><h2 id="appendix-${esc(run.record.id)}">${esc(title)}</h2>${how}<pre class="file" data-file="${esc(name)}">${esc(run.experimentText)}</pre></section>`
}
