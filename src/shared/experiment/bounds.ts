/**
 * Bounds on an experiment's text checked before it is read, so that no text
 * within the size limit can make reading it take minutes or gigabytes. One
 * pass of the YAML lexer (a stream of tokens; it builds nothing) counts what
 * the reader would have to build: values, how deeply flow collections nest,
 * anchors, and aliases. Reading resolves each alias by looking through the
 * anchors and aliases before it, so aliases cost quadratic time; a VM
 * template used by every VM of the largest experiment stays well inside the
 * bound.
 */
import { Lexer } from 'yaml'
import type { Issue } from '../errors'
import { LIMITS } from '../limits'
import { textTooLarge } from '../textSize'

/** The lexer's marker before a plain scalar (yaml's CST.SCALAR). */
const SCALAR = '\x1f'

export interface TextShape {
  values: number
  depth: number
  anchors: number
  aliases: number
}

/** Counts the structure of `text` without building it; stops early once a bound is passed. */
export function measureYaml(text: string): TextShape & { line: number } {
  const shape = { values: 0, depth: 0, anchors: 0, aliases: 0, line: 1 }
  let depth = 0
  for (const token of new Lexer().lex(text)) {
    const first = token.charCodeAt(0)
    // A plain or block scalar comes after the SCALAR marker; a quoted one is a token of its own. Keys count too.
    if (token === SCALAR || first === 0x22 /* " */ || first === 0x27 /* ' */) {
      shape.values++
    } else if (token === '[' || token === '{') {
      shape.values++
      depth++
      if (depth > shape.depth) shape.depth = depth
    } else if (token === ']' || token === '}') {
      depth--
    } else if (first === 0x2a /* * */) {
      shape.aliases++
    } else if (first === 0x26 /* & */) {
      shape.anchors++
    } else if (token === '\n' || token === '\r\n') {
      shape.line++
    }
    if (
      shape.values > LIMITS.yamlValues ||
      shape.depth > LIMITS.yamlDepth ||
      shape.aliases > LIMITS.yamlAliases ||
      shape.anchors > LIMITS.yamlAnchors
    ) {
      break
    }
  }
  return shape
}

/** The size and structure problems of `text`, as issues on `(file)`; empty when it may be read. */
export function checkTextBounds(text: string): Issue[] {
  const tooLarge = textTooLarge(text)
  if (tooLarge) return [tooLarge]
  const shape = measureYaml(text)
  const at = `(by line ${shape.line})`
  if (shape.depth > LIMITS.yamlDepth) {
    return [{ path: '(file)', message: `is nested too deeply: more than ${LIMITS.yamlDepth} levels of [ ] or { } ${at}` }]
  }
  if (shape.values > LIMITS.yamlValues) {
    return [{ path: '(file)', message: `has too many values: more than ${LIMITS.yamlValues.toLocaleString('en-US')} ${at}` }]
  }
  if (shape.aliases > LIMITS.yamlAliases) {
    return [{ path: '(file)', message: `uses too many aliases (*name): more than ${LIMITS.yamlAliases} ${at}` }]
  }
  if (shape.anchors > LIMITS.yamlAnchors) {
    return [{ path: '(file)', message: `defines too many anchors (&name): more than ${LIMITS.yamlAnchors} ${at}` }]
  }
  return []
}
