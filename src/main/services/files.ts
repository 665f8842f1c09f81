/**
 * Experiment files in and out of the library: a rename written into the
 * file itself (its `name`, with the rest of the text — comments, order,
 * layout — left as it was), and an experiment exported as stored or
 * converted between YAML and JSON under a file name made from its name.
 */
import { isMap, parse, parseDocument, stringify } from 'yaml'
import type { exportFormats } from '../../shared/library'
import { LIMITS } from '../../shared/limits'

export type ExportFormat = (typeof exportFormats)[number]

/** JSON text (an object), as opposed to YAML: what the user saved decides the format kept. */
export function isJsonText(text: string): boolean {
  return text.trimStart().startsWith('{')
}

/** `text` with its top-level `name` set to `name`; everything else as it was. */
export function renamedText(text: string, name: string): string {
  if (isJsonText(text)) {
    const value = JSON.parse(text) as Record<string, unknown>
    value.name = name
    return JSON.stringify(value, null, 2) + '\n'
  }
  const doc = parseDocument(text, { keepSourceTokens: false })
  if (!isMap(doc.contents)) throw new Error('the experiment file is not a mapping')
  doc.set('name', name)
  return doc.toString({ lineWidth: 0 })
}

/** A file name for an experiment called `name`: its letters and digits, words joined by dashes. */
export function fileNameFor(name: string, extension: 'yaml' | 'json'): string {
  const stem = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 80)
  return `${stem || 'experiment'}.${extension}`
}

export interface ExperimentFile {
  file_name: string
  media_type: 'application/yaml' | 'application/json'
  text: string
}

/** The file of an experiment named `name` with stored text `text`, as stored or converted. */
export function exportFile(text: string, name: string, format: ExportFormat = 'stored'): ExperimentFile {
  const json = format === 'json' || (format === 'stored' && isJsonText(text))
  let out = text
  if (format === 'json' && !isJsonText(text)) out = JSON.stringify(parse(text, { maxAliasCount: LIMITS.yamlAliases }), null, 2) + '\n'
  if (format === 'yaml' && isJsonText(text)) out = stringify(JSON.parse(text), { aliasDuplicateObjects: false, lineWidth: 0 })
  return { file_name: fileNameFor(name, json ? 'json' : 'yaml'), media_type: json ? 'application/json' : 'application/yaml', text: out }
}
