/**
 * The report's one stylesheet, embedded in the document: system fonts only
 * (nothing to fetch), a readable column on screen, and for paper A4 pages
 * with numbered footers, headings kept with what follows, figures and table
 * rows never cut across a page, and table headers repeated on each page.
 */
import { FONT } from '../charts'

export const REPORT_CSS = `
:root { --ink: #1d232b; --muted: #5b6570; --line: #d5dbe1; --soft: #f3f5f8; --accent: #2f6690; --good: #2e7d32; --bad: #b3261e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${FONT}; font-size: 10pt; line-height: 1.45; color: var(--ink); background: #e9ecef; }
main { max-width: 210mm; margin: 16px auto; padding: 14mm 14mm 18mm; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 19pt; line-height: 1.2; margin: 0 0 2px; }
h2 { font-size: 13.5pt; margin: 22px 0 8px; padding-bottom: 3px; border-bottom: 1.5px solid var(--accent); color: var(--accent); }
h3 { font-size: 11pt; margin: 14px 0 6px; }
h4 { font-size: 10pt; margin: 10px 0 4px; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p { margin: 4px 0 8px; }
.subtitle { color: var(--muted); margin: 0 0 12px; font-size: 10.5pt; }
.muted { color: var(--muted); }
.small { font-size: 8.5pt; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt; }
.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px; margin: 8px 0 12px; font-size: 9pt; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.findings li { margin-bottom: 5px; }
.contents { columns: 2; font-size: 9pt; margin: 4px 0 8px; padding-left: 18px; }
.contents a { color: var(--ink); text-decoration: none; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 8pt; }
th, td { padding: 2px 4px; border-bottom: 0.6px solid var(--line); vertical-align: top; }
thead th { background: var(--soft); text-align: right; font-weight: 600; border-bottom: 1px solid #a9b3bd; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th.l, td.l { text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th.group { text-align: left; background: #eef2f6; font-weight: 600; padding-top: 4px; }
td.better { color: var(--good); font-weight: 600; }
td.worse { color: var(--bad); font-weight: 600; }
.keep { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 8px 0 14px; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 9pt; color: var(--muted); margin-bottom: 3px; }
figcaption b { color: var(--ink); }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 14px; }
.grid2 figure { margin: 4px 0 8px; }
.host { margin: 6px 0 10px; }
.keep-next { break-after: avoid; page-break-after: avoid; }
table.config td { font-size: 7.5pt; }
table.config tbody th.group { font-weight: 400; }
.host ul { margin: 2px 0 0; padding-left: 18px; }
.vmline { margin: 2px 0; break-inside: avoid; page-break-inside: avoid; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 8pt; color: var(--muted); margin: 2px 0 6px; padding: 0; list-style: none; }
.swatch { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.mech td.src { color: var(--muted); font-size: 7.5pt; overflow-wrap: anywhere; }
.mech td.mechanism { padding-left: 12px; }
.mech .cat th { text-align: left; background: #f7f8fa; font-weight: 600; }
.mech .cat th.num { text-align: right; }
.mech .cat th.hint { font-weight: 400; font-size: 7.5pt; color: var(--muted); }
.vmhead { margin: 12px 0 2px; font-size: 9.5pt; break-after: avoid; page-break-after: avoid; }
.refs { font-size: 8.5pt; padding-left: 26px; }
.refs li { margin-bottom: 3px; }
.changes { font-size: 9pt; }
.changes code { font-size: 8.5pt; }
.note { font-size: 8.5pt; color: var(--muted); border-left: 3px solid var(--line); padding: 2px 8px; margin: 6px 0 10px; }
pre.file { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); border: 0.6px solid var(--line); padding: 8px; font-size: 7.5pt; line-height: 1.35; }
.appendix { break-before: page; page-break-before: always; }
.attach { display: inline-block; margin: 4px 0 8px; }
@page { size: A4; margin: 14mm 13mm 16mm; @bottom-right { content: "page " counter(page) " of " counter(pages); font-family: ${FONT}; font-size: 8pt; color: #777; } @bottom-left { content: "Hyperlab report"; font-family: ${FONT}; font-size: 8pt; color: #777; } }
@media print {
  body { background: #fff; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  .screen-only { display: none; }
  a { color: inherit; text-decoration: none; }
}
`
