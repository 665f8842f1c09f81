/**
 * How fast a run advances against the wall clock: as fast as the machine
 * allows, or simulated time held to real time × 1, 10 or 100 (for teaching:
 * a class watches a queue fill at the speed it would on real hardware). The
 * pace changes only when samples arrive, never what they are: a paced run
 * has the same samples, summary and checksum as an unpaced one.
 */
import { z } from 'zod'

export const RUN_PACES = ['max', 1, 10, 100] as const
export const runPaceSchema = z.union([z.literal('max'), z.literal(1), z.literal(10), z.literal(100)], {
  error: 'pace must be "max" (as fast as possible) or real time × 1, 10 or 100'
})
export type RunPace = z.infer<typeof runPaceSchema>

/** "as fast as possible", "real time × 10". */
export function paceLabel(pace: RunPace): string {
  return pace === 'max' ? 'as fast as possible' : `real time × ${pace}`
}

/**
 * Simulated seconds a paced run may have reached after `wallMs` of running
 * (pauses excluded); Infinity when it is not paced.
 */
export function pacedLimitS(pace: RunPace, wallMs: number): number {
  return pace === 'max' ? Number.POSITIVE_INFINITY : (pace * Math.max(0, wallMs)) / 1000
}
