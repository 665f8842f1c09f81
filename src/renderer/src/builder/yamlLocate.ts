/**
 * Between paths and places in the YAML text: where a problem at
 * `vms[3].disks[0].on` is (to underline it and jump to it), and which object
 * the cursor is in and whether at a key or a value (to complete it).
 */
import { isMap, isNode, isScalar, isSeq, type Node, type Pair } from 'yaml'
import type { PathPart } from '../api/shared'
import type { YamlDocument } from './yamlText'

export interface TextRange {
  from: number
  to: number
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset)
  return end === -1 ? text.length : end
}

function pairOf(node: unknown, key: PathPart): Pair | undefined {
  if (isMap(node) && typeof key === 'string') return node.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
  return undefined
}

/**
 * The text of the field at `parts`: its key and value on their first line; for
 * a field that is missing, the key of the nearest thing that holds it.
 */
export function rangeOf(text: string, doc: YamlDocument, parts: readonly PathPart[]): TextRange {
  let node: unknown = doc.contents
  let best: TextRange | null = null
  for (const part of parts) {
    const pair = pairOf(node, part)
    if (pair) {
      const keyRange = isNode(pair.key) ? pair.key.range : undefined
      const value = pair.value as Node | null
      const start = keyRange?.[0] ?? value?.range?.[0]
      if (start !== undefined) {
        const valueEnd = value?.range?.[1] ?? keyRange?.[1] ?? start
        best = { from: start, to: Math.min(valueEnd, lineEnd(text, start)) }
      }
      node = value
      continue
    }
    if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined
      if (item && isNode(item) && item.range) {
        best = { from: item.range[0], to: Math.min(item.range[1], lineEnd(text, item.range[0])) }
        node = item
        continue
      }
    }
    break
  }
  if (best && best.to <= best.from) best = { from: best.from, to: Math.min(text.length, best.from + 1) }
  return best ?? { from: 0, to: Math.min(text.length, lineEnd(text, 0)) }
}

/** The offset of a `line N, column M` position in the text (1-based), clamped to it. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset)
    if (next === -1) return text.length
    offset = next + 1
  }
  return Math.min(text.length, offset + Math.max(0, column - 1))
}

export interface CursorContext {
  /** Path of the object the cursor is in. */
  path: PathPart[]
  /** Completing a key, or the value of `key`. */
  at: 'key' | 'value'
  key: string
  /** Where the word being completed starts. */
  from: number
}

/** The innermost map or list holding `offset`, with its path. */
function containerAt(doc: YamlDocument, offset: number): { node: unknown; path: PathPart[] } {
  let node: unknown = doc.contents
  const path: PathPart[] = []
  for (let depth = 0; depth < 64; depth++) {
    let next: { node: unknown; part: PathPart } | null = null
    if (isMap(node)) {
      for (const pair of node.items) {
        const value = pair.value as Node | null
        if ((isMap(value) || isSeq(value)) && value.range && value.range[0] <= offset && offset <= value.range[1]) {
          next = { node: value, part: isScalar(pair.key) ? String(pair.key.value) : '' }
          break
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (!next && (isMap(item) || isSeq(item)) && item.range && item.range[0] <= offset && offset <= item.range[1]) next = { node: item, part: i }
      })
    }
    if (!next) break
    node = next.node
    path.push(next.part)
  }
  return { node, path }
}

/** Where completion is asked for: the object's path, and a key or which key's value. */
export function contextAt(text: string, doc: YamlDocument, offset: number): CursorContext | null {
  const start = text.lastIndexOf('\n', offset - 1) + 1
  const line = text.slice(start, offset)
  // In a flow map `{ id: n0, gb|`, or on a block line `  gb|` / `  - gb|` / `  model: pv|`.
  const flowKey = /[{,]\s*([A-Za-z_]*)$/.exec(line)
  const flowValue = /[{,]\s*([A-Za-z_]+):\s*([^,{}[\]\s]*)$/.exec(line)
  const blockKey = /^\s*(?:-\s+)?([A-Za-z_]*)$/.exec(line)
  const blockValue = /^\s*(?:-\s+)?([A-Za-z_]+):\s*([^#]*?)$/.exec(line)
  const { node, path } = containerAt(doc, Math.max(0, offset - 1))
  // A list of maps: the cursor after `- ` is in its item.
  const itemPath = (): PathPart[] => {
    if (isSeq(node)) {
      const index = node.items.findIndex((item) => isNode(item) && item.range && item.range[0] <= offset && offset <= item.range[1] + 1)
      return [...path, index === -1 ? Math.max(0, node.items.length - 1) : index]
    }
    return path
  }
  if (flowValue) return { path: itemPath(), at: 'value', key: flowValue[1]!, from: offset - flowValue[2]!.length }
  if (flowKey && line.includes('{')) return { path: itemPath(), at: 'key', key: '', from: offset - flowKey[1]!.length }
  if (blockValue) {
    const partial = blockValue[2]!.trim()
    return { path: blockPath(text, start, line, itemPath), at: 'value', key: blockValue[1]!, from: offset - partial.length }
  }
  if (blockKey) return { path: blockPath(text, start, line, itemPath), at: 'key', key: '', from: offset - blockKey[1]!.length }
  return null
}

/**
 * For a block line, the path of the map the line belongs to: found from the
 * parsed document where it can be, else from indentation (the document may
 * not hold a key that is still being typed).
 */
function blockPath(text: string, start: number, line: string, itemPath: () => PathPart[]): PathPart[] {
  const indent = /^\s*/.exec(line)![0].length + (/^\s*-\s+/.test(line) ? /^\s*-\s+/.exec(line)![0].length - /^\s*/.exec(line)![0].length : 0)
  if (indent === 0) return []
  // Walk up to the first line with less indentation: the key whose value holds this line.
  const keys: { indent: number; key: string | null; dash: boolean }[] = []
  let cursor = start - 1
  let want = indent
  while (cursor > 0 && want > 0) {
    const s = text.lastIndexOf('\n', cursor - 1) + 1
    const l = text.slice(s, cursor)
    cursor = s - 1
    if (l.trim() === '' || l.trim().startsWith('#')) continue
    const ind = /^\s*/.exec(l)![0].length
    const dash = /^\s*-\s+/.test(l)
    const contentIndent = dash ? /^\s*-\s+/.exec(l)![0].length : ind
    const key = /^\s*(?:-\s+)?([A-Za-z_]+):/.exec(l)?.[1] ?? null
    if (contentIndent < want || (dash && ind < want)) {
      keys.unshift({ indent: ind, key: contentIndent < want ? key : null, dash: dash && ind < want })
      want = ind
    }
  }
  const parts: PathPart[] = []
  for (const k of keys) {
    if (k.key) parts.push(k.key)
    if (k.dash) parts.push(0)
  }
  // The document knows the real indexes; where its path agrees on the keys, take it.
  const doc = itemPath()
  const docKeys = doc.filter((p) => typeof p === 'string')
  const ownKeys = parts.filter((p) => typeof p === 'string')
  return docKeys.length === ownKeys.length && docKeys.every((k, i) => k === ownKeys[i]) ? doc : parts
}
