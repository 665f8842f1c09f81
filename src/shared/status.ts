/** Where a run is in its life: waiting for an engine slot, running, or ended one of four ways. */
import { z } from 'zod'

export const runStatuses = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const
export const runStatusSchema = z.enum(runStatuses)
export type RunStatus = z.infer<typeof runStatusSchema>
