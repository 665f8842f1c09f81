/**
 * The experiment as YAML text that both views edit. The canvas changes the
 * document through the `yaml` package's Document API, which keeps comments and
 * key order; then only the top-level sections whose content changed are
 * written anew, so everything else (a folded description, a hand-aligned
 * list, blank lines) stays byte for byte as the user left it.
 */
import { Document, isMap, isScalar, parseDocument, YAMLMap, type Pair } from 'yaml'

/** How a changed section is written: no re-folding of long lines, `{ a: 1 }` flow maps. */
export const STRINGIFY_OPTIONS = { lineWidth: 0, flowCollectionPadding: true } as const

export type YamlDocument = Document.Parsed

export function parseYaml(text: string): YamlDocument {
  return parseDocument(text, { uniqueKeys: true, keepSourceTokens: false })
}

/** True when the text is YAML the canvas can edit: no syntax errors, a map at the top (or nothing). */
export function isEditable(doc: YamlDocument): boolean {
  return doc.errors.length === 0 && (doc.contents === null || isMap(doc.contents))
}

interface Section {
  key: string
  /** Start of the section in the original text (its leading comments and blank lines included). */
  start: number
  end: number
  json: string
}

function keyOf(pair: Pair): string | null {
  return isScalar(pair.key) ? String(pair.key.value) : null
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

/** Walks back over comment and blank lines that sit just above `offset` (they belong to the key below them). */
function leadingStart(text: string, offset: number, floor: number): number {
  let start = lineStart(text, offset)
  while (start > floor) {
    const prevStart = lineStart(text, start - 1)
    const line = text.slice(prevStart, start - 1).trim()
    if (line !== '' && !line.startsWith('#')) break
    start = prevStart
  }
  return start
}

function sections(text: string, doc: YamlDocument): Section[] | null {
  if (!isMap(doc.contents)) return null
  const pairs = doc.contents.items
  const out: Section[] = []
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!
    const key = keyOf(pair)
    const keyRange = isScalar(pair.key) ? pair.key.range : undefined
    if (key === null || !keyRange) return null
    out.push({ key, start: keyRange[0], end: 0, json: JSON.stringify(pair.value ?? null) })
  }
  // Each section runs from its leading comments to the start of the next one's.
  for (let i = 0; i < out.length; i++) {
    const floor = i === 0 ? 0 : out[i - 1]!.start
    out[i]!.start = i === 0 ? lineStart(text, out[i]!.start) : leadingStart(text, out[i]!.start, floor)
  }
  for (let i = 0; i < out.length; i++) out[i]!.end = i + 1 < out.length ? out[i + 1]!.start : text.length
  return out
}

/** One top-level pair written alone, with its comments, ending in a newline. */
function writePair(pair: Pair): string {
  const single = new Document()
  const map = new YAMLMap()
  map.items.push(pair)
  single.contents = map
  return single.toString(STRINGIFY_OPTIONS)
}

/**
 * The text of `after` (the document parsed from `before` and then edited),
 * with every top-level section whose value did not change copied from
 * `before` unchanged. Falls back to writing the whole document where the
 * original cannot be cut into sections.
 */
export function renderEdited(before: string, after: YamlDocument): string {
  const original = parseYaml(before)
  const old = isEditable(original) ? sections(before, original) : null
  if (!old || !isMap(after.contents)) return after.toString(STRINGIFY_OPTIONS)
  const byKey = new Map(old.map((s) => [s.key, s]))
  const firstStart = old[0]?.start ?? before.length
  let out = before.slice(0, firstStart)
  for (const pair of after.contents.items) {
    const key = keyOf(pair)
    const prior = key === null ? undefined : byKey.get(key)
    if (prior && prior.json === JSON.stringify(pair.value ?? null)) {
      out += before.slice(prior.start, prior.end)
      continue
    }
    let written = writePair(pair)
    // Keep the separation the section had: a blank line after it stays a blank line after it.
    const trailing = prior ? /\n(\s*\n)*$/.exec(before.slice(prior.start, prior.end))?.[0] ?? '\n' : '\n'
    written = written.replace(/\n+$/, '') + trailing
    if (!out.endsWith('\n') && out !== '') out += '\n'
    out += written
  }
  return out
}
