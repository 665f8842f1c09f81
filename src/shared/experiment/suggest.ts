/**
 * "Did you mean …?": the closest known name to a misspelled one (a key of
 * the format, a catalog id, an id in the document), by edit distance with
 * adjacent transpositions, only when it is close enough to be a typo.
 */

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0)
    row[0] = i
    return row
  })
  for (let j = 0; j < cols; j++) d[0]![j] = j
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[rows - 1]![cols - 1]!
}

/**
 * The candidate `word` most likely meant: within a third of its length in
 * edits (at least one, at most three), or the one candidate it is a prefix of
 * or that is a prefix of it (`nehalem` → `nehalem-x5570`). Case is ignored.
 */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const w = word.toLowerCase()
  if (w === '') return null
  const list = [...new Set(candidates)].filter((c) => c !== word)
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)))
  let best: string | null = null
  let bestDistance = Infinity
  for (const c of list) {
    const dist = editDistance(w, c.toLowerCase())
    if (dist < bestDistance) {
      best = c
      bestDistance = dist
    }
  }
  if (best !== null && bestDistance <= limit) return best
  if (w.length >= 3) {
    const prefixed = list.filter((c) => c.toLowerCase().startsWith(w) || w.startsWith(c.toLowerCase()))
    if (prefixed.length === 1) return prefixed[0]!
  }
  return null
}

/** `; did you mean "vcpus"?`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closest(word, candidates)
  return hit === null ? '' : `; did you mean "${hit}"?`
}
