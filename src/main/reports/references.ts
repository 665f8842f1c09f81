/**
 * The catalog's citations as a report's numbered references. A mechanism's
 * source is free text that quotes one or more catalog citations (with the
 * figure taken from each, or an estimate and why); each quoted citation
 * becomes a number, given in the order of first use, and the rest of the
 * text stays beside it: `[1]: 3,927; demand: estimate: …`.
 */
import { SRC } from '../../shared/catalog/sources'

/** A source text cut into plain text and numbered citations. */
export type SourcePart = { text: string } | { ref: number }

/** Every citation of the catalog, longest first, so a citation that contains another is matched whole. */
const CITATIONS: readonly string[] = [...new Set(Object.values(SRC) as string[])].sort((a, b) => b.length - a.length)

/** The catalog citations a source text quotes, in the order they appear. */
export function citationsIn(source: string): string[] {
  return splitCitations(source).flatMap((p) => (typeof p === 'string' ? [] : [p.citation]))
}

function splitCitations(source: string): Array<string | { citation: string }> {
  const out: Array<string | { citation: string }> = []
  let rest = source
  while (rest.length > 0) {
    let at = -1
    let found = ''
    for (const c of CITATIONS) {
      const i = rest.indexOf(c)
      if (i >= 0 && (at < 0 || i < at)) {
        at = i
        found = c
      }
    }
    if (at < 0) {
      out.push(rest)
      break
    }
    if (at > 0) out.push(rest.slice(0, at))
    out.push({ citation: found })
    rest = rest.slice(at + found.length)
  }
  return out
}

/** The references of one document: numbers handed out as sources are cited. */
export class References {
  private readonly numbers = new Map<string, number>()

  /** The source with each citation replaced by its number (assigned now if new). */
  cite(source: string): SourcePart[] {
    return splitCitations(source).map((p) => (typeof p === 'string' ? { text: p } : { ref: this.number(p.citation) }))
  }

  number(citation: string): number {
    let n = this.numbers.get(citation)
    if (n === undefined) {
      n = this.numbers.size + 1
      this.numbers.set(citation, n)
    }
    return n
  }

  /** The citations in number order (index 0 is reference 1). */
  list(): string[] {
    return [...this.numbers.keys()]
  }
}
