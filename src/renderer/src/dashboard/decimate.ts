/**
 * Fewer points than pixels: a chart of a long run is drawn from buckets of
 * consecutive windows, at most `max` per line. Rates (throughput, IOPS, CPU,
 * mean latency) take the bucket's mean; a tail measure (p99) its worst, so a
 * spike never disappears by being averaged away.
 */
export type Column = readonly (number | null)[]
export type Reduce = 'mean' | 'max'

/** Bucket width (in points) to fit `length` points into `max`: 1 when they fit. */
export function bucketSize(length: number, max: number): number {
  return length <= max ? 1 : Math.ceil(length / Math.max(1, max))
}

/** The x column decimated: each bucket's last x (the end of its span, as windows are stamped). */
export function decimateX(x: readonly number[], size: number, until = x.length): number[] {
  if (size <= 1) return x.slice(0, until)
  const out: number[] = []
  for (let i = 0; i < until; i += size) out.push(x[Math.min(until, i + size) - 1]!)
  return out
}

export function decimateColumn(col: Column, size: number, how: Reduce, until = col.length): (number | null)[] {
  if (size <= 1) return col.slice(0, until)
  const out: (number | null)[] = []
  for (let i = 0; i < until; i += size) {
    const end = Math.min(until, i + size)
    let sum = 0
    let n = 0
    let worst: number | null = null
    for (let j = i; j < end; j++) {
      const v = col[j]
      if (v === null || v === undefined) continue
      sum += v
      n++
      if (worst === null || v > worst) worst = v
    }
    out.push(n === 0 ? null : how === 'max' ? worst : sum / n)
  }
  return out
}
