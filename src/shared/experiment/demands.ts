/**
 * The parts of an experiment that say what work is and how long service
 * takes: service-time distributions, arrival processes and the demands of one
 * operation. They stand alone (no catalog) so that the catalog's types can
 * name them without the experiment schema, which itself takes its enums
 * from the catalog: schema → catalog → demands, never back.
 */
import { z } from 'zod'
import { LIMITS } from '../limits'
import { network } from '../catalog/network'

const positive = (max: number) => z.number().positive().max(max)
const count = (max: number) => z.number().min(0).max(max)
const intIn = (min: number, max: number) => z.number().int().min(min).max(max)

export const distributionSchema = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('exponential'), mean: positive(LIMITS.serviceMs) }),
  z.strictObject({ dist: z.literal('deterministic'), mean: positive(LIMITS.serviceMs) }),
  z.strictObject({
    dist: z.literal('lognormal'),
    mean: positive(LIMITS.serviceMs),
    cv: z.number().positive().max(100)
  }),
  z.strictObject({
    dist: z.literal('empirical'),
    points: z.array(z.number().min(0).max(LIMITS.serviceMs)).min(1).max(100_000)
  })
])

export const arrivalSchema = z.discriminatedUnion('process', [
  z.strictObject({
    process: z.literal('closed'),
    clients: intIn(1, LIMITS.clients),
    think_ms: count(LIMITS.serviceMs).default(0)
  }),
  z.strictObject({ process: z.literal('poisson'), rate_per_s: positive(LIMITS.ratePerS) })
])

export const diskDemandSchema = z.strictObject({
  kind: z.enum(['read', 'write']),
  kb: positive(16_384),
  pattern: z.enum(['random', 'sequential']).default('random'),
  count: count(LIMITS.eventsPerOp)
})

export const netDemandSchema = z.strictObject({
  direction: z.enum(['tx', 'rx']),
  /** One packet on the wire, headers included; at most an IPv4 datagram. */
  bytes: intIn(1, network.maxDatagramBytes),
  count: count(LIMITS.eventsPerOp)
})

export const perOpSchema = z.strictObject({
  instructions: count(LIMITS.instructionsPerOp).default(0),
  syscalls: count(LIMITS.eventsPerOp).default(0),
  page_faults: count(LIMITS.eventsPerOp).default(0),
  pte_updates: count(LIMITS.eventsPerOp).default(0),
  context_switches: count(LIMITS.eventsPerOp).default(0),
  tlb_misses_per_kinstr: count(1000).default(0),
  /** Share of the instructions the guest kernel executes (binary translation translates kernel code; user code runs directly). */
  kernel_instr_pct: z.number().min(0).max(100).default(0),
  /** Spread of one operation's CPU work around its mean (coefficient of variation; lognormal), 0: every operation alike. */
  work_cv: z.number().min(0).max(10).default(0),
  io_accesses: count(LIMITS.eventsPerOp).default(0),
  disk: z.array(diskDemandSchema).max(16).default([]),
  net: z.array(netDemandSchema).max(16).default([])
})

export type Arrival = z.output<typeof arrivalSchema>
export type PerOp = z.output<typeof perOpSchema>
export type Distribution = z.output<typeof distributionSchema>
