/**
 * Experiment files in and out of the library: a rename written into the
 * file itself (its `name`, with the rest of the text — comments, order,
 * layout — left as it was), and an experiment exported as stored or
 * converted between YAML and JSON under a file name made from its name.
 */
import { CST, isMap, parse, parseDocument, Parser, stringify } from 'yaml'
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
  // Only the name's own characters change, so the history's diff of a rename is the name's line alone.
  const inPlace = renamedInPlace(text, name)
  if (inPlace !== null) return inPlace
  const doc = parseDocument(text, { keepSourceTokens: false })
  if (!isMap(doc.contents)) throw new Error('the experiment file is not a mapping')
  doc.set('name', name)
  return doc.toString({ lineWidth: 0 })
}

/**
 * The text with the scalar of its top-level `name:` replaced in the file's
 * own tokens (every other byte kept); null when the file has no such scalar
 * or the result would not read back as that name (then the document is
 * rewritten instead).
 */
function renamedInPlace(text: string, name: string): string | null {
  for (const type of ['KEEP', 'PLAIN', 'QUOTE_DOUBLE'] as const) {
    const tokens = [...new Parser().parse(text)]
    const documents = tokens.filter((t) => t.type === 'document')
    const map = documents.length === 1 ? documents[0]!.value : undefined
    if (map?.type !== 'block-map') return null
    const item = map.items.find((i) => i.key && CST.isScalar(i.key) && i.key.source === 'name')
    if (!item?.value || !CST.isScalar(item.value)) return null
    const quoted = item.value.type === 'single-quoted-scalar' || item.value.type === 'double-quoted-scalar'
    // A quoted name stays quoted as it was; a plain one stays plain when it reads back as itself that way.
    if ((type === 'KEEP') !== quoted) continue
    try {
      CST.setScalarValue(item.value, name, type === 'KEEP' ? {} : { type })
    } catch {
      continue
    }
    const result = tokens.map((t) => CST.stringify(t)).join('')
    if (readsAs(result, name)) return result
  }
  return null
}

function readsAs(text: string, name: string): boolean {
  try {
    const value = parse(text) as { name?: unknown } | null
    return value !== null && typeof value === 'object' && value.name === name
  } catch {
    return false
  }
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
