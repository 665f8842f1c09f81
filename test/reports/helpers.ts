/** What the report tests share: a lab with the bundled examples run, and readers for the HTML and PDF they check. */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openLab, type Lab } from '../../src/main/lab'
import { examplesDir } from '../../src/main/paths'
import { startRun } from '../../src/main/services/services'
import { ROOT } from '../fixtures'

/** The bundled examples that are one run each (a sweep example, with its sweep block, is many runs). */
export function exampleFiles(): { id: string; text: string }[] {
  const dir = examplesDir(ROOT)
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ id: f.replace(/\.yaml$/, ''), text: readFileSync(join(dir, f), 'utf8') }))
    .filter((e) => !/^sweep:/m.test(e.text))
}

export function openTestLab(dbPath: string): Lab {
  return openLab({ mode: 'browser', dbPath })
}

/** Runs the experiment text to the end; its run id. */
export async function runToEnd(lab: Lab, text: string, seed?: number): Promise<string> {
  const run = await startRun(lab, text, seed)
  const ended = await lab.runner.wait(run.id)
  if (ended?.status !== 'done') throw new Error(`run of ${text.slice(0, 60)}… ended ${ended?.status}: ${ended?.error}`)
  return run.id
}

/** Every value of an attribute in the document. */
export function attributeValues(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'gi'))].map((m) => m[2] ?? m[3] ?? m[4] ?? '')
}

/** The rows of the tables marked `data-table="name"`: per row its data-* attributes and its cells' data-key → data-value and text. */
export function tableRows(html: string, name: string): { attrs: Record<string, string>; cells: Map<string, { value: string; text: string }> }[] {
  const tables = [...html.matchAll(new RegExp(`<table[^>]*data-table="${name}"[^>]*>([\\s\\S]*?)</table>`, 'g'))].map((t) => t[1]!).join('')
  return [...tables.matchAll(/<tr([^>]*)>([\s\S]*?)<\/tr>/g)]
    .map((m) => {
      const attrs = Object.fromEntries([...m[1]!.matchAll(/data-([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]))
      const cells = new Map(
        [...m[2]!.matchAll(/<td[^>]*data-key="([^"]*)"[^>]*data-value="([^"]*)"[^>]*>([\s\S]*?)<\/td>/g)].map((c) => [c[1]!, { value: c[2]!, text: c[3]! }])
      )
      return { attrs, cells }
    })
    .filter((r) => Object.keys(r.attrs).length > 0)
}

/** Runs a poppler tool; a clear failure when poppler-utils is missing. */
export function poppler(tool: 'pdfinfo' | 'pdftotext' | 'pdfdetach', ...args: string[]): string {
  const r = spawnSync(tool, args, { encoding: 'utf8' })
  if (r.error) throw new Error(`${tool} is needed to check PDFs: apt-get install -y poppler-utils (${r.error.message})`)
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr}`)
  return r.stdout
}
