/**
 * Resolves a VM's `workload` field — a preset name, a preset with parameters,
 * or an explicit `{ kind: 'custom' }` — into the concrete arrival process and
 * per-operation demands the engine runs.
 */
import type { Arrival, PerOp, Workload } from '../experiment/schema'
import type { WorkloadParams } from './types'
import { buildPerOp, workloads } from './workloads'
import { costModel } from './costs'

export interface ResolvedWorkload {
  /** Preset id, or 'custom'. */
  id: string
  arrival: Arrival
  per_op: PerOp
  /** Guest cycles per instruction on the P4 reference. */
  cpi: number
  /** Remote peer wait per operation, µs. */
  peer_us: number
  /** Guest page size, KB (4 or 2048). */
  page_kb: 4 | 2048
  /** Where each demand comes from (the preset's sources; for a custom workload, the experiment). */
  sources: Record<string, string>
}

const OWN = "the experiment's own per_op demand"
const CUSTOM_SOURCES: Record<string, string> = Object.fromEntries(
  ['instructions', 'syscalls', 'page_faults', 'pte_updates', 'context_switches', 'tlb_misses_per_kinstr', 'kernel_instr_pct', 'work_cv', 'io_accesses', 'disk', 'net'].map((k) => [k, OWN])
)

const PARAM_KEYS = ['kb', 'read_pct', 'pattern', 'direction', 'mtu', 'working_set_mb', 'page_kb'] as const

export function resolveWorkload(w: Workload): ResolvedWorkload {
  if (typeof w === 'string') return fromPreset(w, {}, undefined)
  if ('kind' in w) {
    return { id: 'custom', arrival: w.arrival, per_op: w.per_op, cpi: costModel.baseCpi, peer_us: 0, page_kb: 4, sources: CUSTOM_SOURCES }
  }
  const params: WorkloadParams = {}
  for (const key of PARAM_KEYS) {
    const value = w[key]
    if (value !== undefined) (params as Record<string, unknown>)[key] = value
  }
  return fromPreset(w.preset, params, w.arrival)
}

function fromPreset(id: string, params: WorkloadParams, arrival: Arrival | undefined): ResolvedWorkload {
  const preset = workloads[id]
  if (!preset) throw new Error(`unknown workload preset "${id}"`)
  for (const key of Object.keys(params)) {
    if (!preset.params.includes(key)) throw new Error(`workload "${id}" takes no "${key}" (it takes: ${[...preset.params, 'arrival'].join(', ')})`)
  }
  const merged = { ...preset.defaults, ...params }
  return {
    id,
    arrival: arrival ?? preset.arrival,
    per_op: Object.keys(params).length === 0 ? preset.perOp : buildPerOp(id, merged),
    cpi: preset.cpi,
    peer_us: preset.peerUs,
    page_kb: merged.page_kb ?? 4,
    sources: preset.sources
  }
}
