/**
 * The published cases Hyperlab is checked against, as the app and the CLI
 * show them: each with its source, the value the literature reports, the band
 * that value allows (taken from the source, on both sides where it gives
 * both), the model's value, and whether an input of the model was fitted to
 * it (`fitted`, naming those inputs) or nothing was (`validation`). A fitted
 * case shows that the fit holds; only a validation case can show that the
 * model predicts.
 */
import { z } from 'zod'

export const VALIDATION_FORMAT = 'hyperlab/validation@1'

export const validationGroups = ['fitted', 'validation'] as const
export type ValidationGroup = (typeof validationGroups)[number]

export const validationCaseSchema = z.strictObject({
  id: z.string(),
  target: z.string(),
  group: z.enum(validationGroups),
  /** The catalog inputs tuned to this case (empty for a validation case). */
  fitted_inputs: z.array(z.string()),
  /** What the source reports, in its words ("6.2×", "up to 42 %"). */
  literature: z.string(),
  /** The band that value allows; null where the source gives no bound on that side. */
  band: z.strictObject({ min: z.number().nullable(), max: z.number().nullable() }),
  unit: z.string(),
  /** The model's value (null when it could not be computed). */
  value: z.number().nullable(),
  within: z.boolean(),
  source: z.string(),
  /** Why a case that fails does so, and what would fix it; null when it passes for the reason it should. */
  note: z.string().nullable()
})
export type ValidationCaseResult = z.infer<typeof validationCaseSchema>

export const validationReportSchema = z.strictObject({
  format: z.literal(VALIDATION_FORMAT),
  cases: z.array(validationCaseSchema)
})
export type ValidationReport = z.infer<typeof validationReportSchema>

/** Whether `value` lies in a band (bounds inclusive). */
export function withinBand(value: number | null, band: { min: number | null; max: number | null }): boolean {
  if (value === null || !Number.isFinite(value)) return false
  return (band.min === null || value >= band.min) && (band.max === null || value <= band.max)
}

/** A band as text: "1.10–1.15", "≤ 6", "≥ 1.2". */
export function bandText(band: { min: number | null; max: number | null }, unit: string): string {
  const u = unit === '×' ? '×' : unit ? ` ${unit}` : ''
  if (band.min !== null && band.max !== null) return `${band.min}–${band.max}${u}`
  if (band.max !== null) return `≤ ${band.max}${u}`
  if (band.min !== null) return `≥ ${band.min}${u}`
  return 'any'
}
