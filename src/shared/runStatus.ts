/** The states of a run, from queued (waiting for an engine slot) to its one end; shared by the LabApi contract and the sweeps built on runs. */
import { z } from 'zod'

export const runStatuses = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const
export const runStatusSchema = z.enum(runStatuses)
export type RunStatus = z.infer<typeof runStatusSchema>
