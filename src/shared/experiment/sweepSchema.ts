/**
 * The shape of an experiment's optional `sweep:` block: the parameters it
 * varies, each a path into the experiment with the values it takes, and how
 * many replications each point gets. What the paths match, and whether every
 * point is a valid experiment, is checked in `sweep.ts`.
 */
import { z } from 'zod'
import { LIMITS } from '../limits'

/** A value a parameter takes: a number, a word, a switch, or a whole part (a workload, an arrival). */
export const sweepValueSchema = z.union([
  z.number(),
  z.string().max(1000),
  z.boolean(),
  z.record(z.string(), z.unknown()),
  z.array(z.unknown())
])

export const sweepParameterSchema = z.strictObject({
  /** `hosts[*].hypervisor`, `vms[db1].workload.arrival.clients`: ids in brackets, `*` for all, a number for a position. */
  path: z.string().min(1).max(LIMITS.sweepPathChars),
  values: z.array(sweepValueSchema).min(1).max(LIMITS.sweepValues)
})

export const sweepSchema = z.strictObject({
  parameters: z.array(sweepParameterSchema).max(LIMITS.sweepParameters).default([]),
  /** Runs per point, with seeds derived from the experiment's seed; the same replication uses the same seed at every point. */
  replications: z.number().int().min(1).max(LIMITS.sweepReplications).default(1)
})

export type Sweep = z.output<typeof sweepSchema>
export type SweepParameter = z.output<typeof sweepParameterSchema>
export type SweepValue = z.output<typeof sweepValueSchema>
