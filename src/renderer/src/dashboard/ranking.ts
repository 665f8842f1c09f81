/**
 * Which VMs to draw when there are too many to read: the top N by a
 * measure (the headline overhead, or the p99 response time), largest first.
 * VMs without a value rank last, in their given order.
 */
export type ShowMode = 'all' | 'top-overhead' | 'top-p99'

export function topN(vms: readonly string[], value: (vm: string) => number | null, n: number): string[] {
  const ranked = vms
    .map((vm, i) => ({ vm, i, v: value(vm) }))
    .sort((a, b) => {
      if (a.v === null && b.v === null) return a.i - b.i
      if (a.v === null) return 1
      if (b.v === null) return -1
      return b.v - a.v || a.i - b.i
    })
  return ranked.slice(0, Math.max(0, n)).map((r) => r.vm)
}
