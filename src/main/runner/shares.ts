/**
 * How an engine thread shares a run's independent parts (engine
 * partitionExperiment) out among the threads it may use: whole parts, in
 * the experiment's order, about the same number of VMs to each thread. The
 * sharing decides only where parts run, never what they compute.
 */
import type { Experiment } from '../../shared/experiment/schema'
import { partitionExperiment } from '../engine'

/**
 * Shares the experiment's parts out among `threads` threads, whole parts in the experiment's order, about
 * the same number of VMs each (a part's cost follows its VMs). The first share is this thread's own.
 */
export function shareParts(exp: Experiment, threads: number, partVms?: number): number[][] {
  const parts = partitionExperiment(exp, partVms)
  const n = Math.max(1, Math.min(threads, parts.length))
  const total = parts.reduce((s, p) => s + p.vmIndexes.length, 0)
  const shares: number[][] = Array.from({ length: n }, () => [])
  let done = 0
  parts.forEach((p, i) => {
    // The share whose slice of the VMs this part's middle falls in.
    const k = total > 0 ? Math.min(n - 1, Math.floor(((done + p.vmIndexes.length / 2) * n) / total)) : i % n
    shares[k]!.push(i)
    done += p.vmIndexes.length
  })
  return shares.filter((s) => s.length > 0)
}

