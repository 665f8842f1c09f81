/**
 * `hyperlab explain`: a VM's response time taken apart for the terminal —
 * how far it is from native and how much of that is virtualization tax or
 * contention, the share of each category, and each mechanism with its count
 * per operation, its cost each, its share and its source.
 */
import type { Experiment } from '../../shared/experiment/schema'
import { BREAKDOWN_KEYS, type BreakdownKey, type RunResult, type VmResult } from '../../shared/result'
import { num, table } from './format'

const CATEGORY_LABELS: Record<BreakdownKey, string> = {
  guest: 'guest work',
  vm_exits: 'VM exits & traps',
  page_walks: 'page walks',
  device_emulation: 'device emulation',
  hypervisor_io: 'hypervisor I/O',
  device_service: 'device service',
  queueing: 'queueing'
}

/** A time in µs with a unit that keeps three significant figures readable. */
function duration(us: number): string {
  if (us === 0) return '0'
  if (us < 1) return `${(us * 1000).toPrecision(3)} ns`
  if (us < 1000) return `${us.toPrecision(3)} µs`
  if (us < 1e6) return `${(us / 1000).toPrecision(3)} ms`
  return `${(us / 1e6).toPrecision(3)} s`
}

/** A count per operation: small ones with decimals, large ones with k/M/G. */
function count(n: number): string {
  if (n === 0) return '0'
  if (n < 10) return n.toPrecision(2)
  if (n < 1e4) return n.toFixed(0)
  if (n < 1e6) return `${(n / 1e3).toPrecision(3)} k`
  if (n < 1e9) return `${(n / 1e6).toPrecision(3)} M`
  return `${(n / 1e9).toPrecision(3)} G`
}

function headline(exp: Experiment, id: string, v: VmResult): string {
  const spec = exp.vms.find((x) => x.id === id)
  const host = spec ? exp.hosts.find((h) => h.id === spec.host) : undefined
  const where = host ? ` on ${host.id} (${host.hypervisor}, ${host.cpu})` : ''
  const tech = `CPU ${v.techniques.cpu}, MMU ${v.techniques.mmu}`
  const lines = [`${id}${where}: ${tech}`, `  ${num(v.throughput_ops_s, 2)} ops/s, mean ${num(v.latency_ms.mean, 3)} ms per operation`]
  if (v.overhead_pct !== null && v.native_throughput_ops_s !== null) {
    const split = v.overhead_split_pct
    const why = split ? ` = ${num(split.virtualization, 1)} pts virtualization tax + ${num(split.contention, 1)} pts contention` : ''
    lines.push(`  native ${num(v.native_throughput_ops_s, 2)} ops/s → ${num(v.overhead_pct, 1)} % slower${why}`)
  } else lines.push('  no native baseline (set `baseline: native` to see the overhead)')
  if (v.exits_per_op !== undefined && v.exits_per_op > 0) lines.push(`  ${count(v.exits_per_op)} hardware VM exits per operation`)
  return lines.join('\n')
}

/** The explanation of one VM as text. */
export function explainText(exp: Experiment, r: RunResult, id: string): string {
  const v = r.vms[id]
  if (!v) return `${id}: no result`
  const b = v.breakdown_pct
  const cats = BREAKDOWN_KEYS.filter((k) => (b[k] ?? 0) > 0.05).map((k) => `${CATEGORY_LABELS[k]} ${num(b[k], 1)} %`)
  const parts = [headline(exp, id, v), `  time per operation: ${cats.join(', ')}`]
  const items = v.explain ?? []
  if (items.length === 0) {
    parts.push('  no operation completed after the warm-up, so there is nothing to explain')
    return parts.join('\n')
  }
  const top = (keys: BreakdownKey[]): string =>
    items
      .filter((e) => keys.includes(e.category) && e.share_pct >= 0.1)
      .sort((a, b) => b.share_pct - a.share_pct)
      .slice(0, 3)
      .map((e) => `${e.mechanism} ${num(e.share_pct, 1)} %`)
      .join('; ')
  const tax = top(['vm_exits', 'page_walks', 'device_emulation', 'hypervisor_io'])
  const waits = top(['queueing'])
  if (tax) parts.push(`  largest virtualization costs: ${tax}`)
  if (waits) parts.push(`  largest waits: ${waits}`)
  parts.push(
    '',
    table(
      ['mechanism', 'category', 'per op', 'each', 'exits', 'share %', 'source'],
      items.map((e) => [
        e.mechanism,
        CATEGORY_LABELS[e.category],
        count(e.per_op),
        duration(e.cost_us),
        e.exits > 0 ? count(e.exits) : '',
        num(e.share_pct, 2),
        e.source
      ]),
      ['l', 'l', 'r', 'r', 'r', 'r', 'l']
    )
  )
  return parts.join('\n')
}

/** The explanation of one VM as data. */
export function explainJson(r: RunResult, id: string): Pick<VmResult, 'throughput_ops_s' | 'native_throughput_ops_s' | 'overhead_pct' | 'overhead_split_pct' | 'breakdown_pct' | 'exits_per_op' | 'explain' | 'techniques'> | null {
  const v = r.vms[id]
  if (!v) return null
  const { throughput_ops_s, native_throughput_ops_s, overhead_pct, overhead_split_pct, breakdown_pct, exits_per_op, explain, techniques } = v
  return { throughput_ops_s, native_throughput_ops_s, overhead_pct, overhead_split_pct, breakdown_pct, exits_per_op, explain, techniques }
}
