/**
 * How much memory a run's simulation state takes, from its experiment, before
 * it starts: a run that would not fit is refused with the number and the
 * reason instead of exhausting the machine. The figures are the engine's own
 * data measured (heap plus typed arrays, after a run, 1 to 1,024 VMs and 1 to
 * 100,000 clients per VM) and rounded up for the doubling growth of its pools:
 *
 * - a thread and the engine's code: about 40 MB;
 * - per VM (its histograms, statistics, ports, queues, and its share of its
 *   part's kernel and pools): 77 kB (the 1,024-VM benchmark datacenter after
 *   20 simulated s; histograms keep only the powers of two they saw, and a
 *   part's per-resource accumulators span its own resources, not the whole
 *   datacenter's);
 * - per operation in flight (its record, its queue and kernel entries, its
 *   disk and network requests): 120–340 bytes.
 *
 * The main scenario's parts may run on several threads, each holding its
 * share; on one core they all run on one, so the estimate is for one thread
 * holding them all.
 *
 * A closed loop holds at most one operation per client. An open (Poisson)
 * stream holds as many as have arrived and not completed, which grows
 * without end when arrivals outpace service; the engine stops such a run
 * once its operations in flight reach what the budget leaves for them.
 */
import { resolveWorkload } from '../../../shared/catalog/resolve'
import type { Experiment } from '../../../shared/experiment/schema'

export const MEMORY_MODEL = {
  threadBytes: 64 * 2 ** 20,
  perVmBytes: 96 * 1024,
  perOpBytes: 400
} as const

export interface MemoryEstimate {
  /** Bytes the main scenario's thread needs at most, every closed-loop client in flight. */
  bytes: number
  /** Bytes the baseline thread needs at most (one VM at a time); 0 without baselines. */
  baselineBytes: number
  closedClients: number
  /** The VMs with the most closed-loop clients, most first (at most five). */
  largest: { vm: string; clients: number }[]
}

export function estimateRunMemory(exp: Experiment): MemoryEstimate {
  const { threadBytes, perVmBytes, perOpBytes } = MEMORY_MODEL
  const clients = exp.vms.map((vm) => {
    const arrival = resolveWorkload(vm.workload).arrival
    return { vm: vm.id, clients: arrival.process === 'closed' ? arrival.clients : 0 }
  })
  const closedClients = clients.reduce((sum, c) => sum + c.clients, 0)
  const main = threadBytes + exp.vms.length * perVmBytes + closedClients * perOpBytes
  // Baselines simulate one VM at a time on a second thread.
  const mostClients = Math.max(0, ...clients.map((c) => c.clients))
  const baselines = exp.baseline === 'native' && exp.vms.length > 0 ? threadBytes + perVmBytes + mostClients * perOpBytes : 0
  return {
    bytes: main,
    baselineBytes: baselines,
    closedClients,
    largest: clients.filter((c) => c.clients > 0).sort((a, b) => b.clients - a.clients).slice(0, 5)
  }
}

/** Operations the main scenario may hold in flight within `budgetBytes`, after its fixed parts. */
export function opsInFlightAllowed(exp: Experiment, budgetBytes: number): number {
  const { threadBytes, perVmBytes, perOpBytes } = MEMORY_MODEL
  return Math.max(0, Math.floor((budgetBytes - threadBytes - exp.vms.length * perVmBytes) / perOpBytes))
}

/** A run stopped because it reached a bound of the machine, not because of a fault: the message says which and why. */
export class SimulationLimit extends Error {
  override name = 'SimulationLimit'
}
