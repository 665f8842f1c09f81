/**
 * Runs the published cases and reports each with its group, literature
 * value, band and the model's value (`hyperlab validation`, the app's
 * Validation view, and the calibration suite all read this).
 */
import { VALIDATION_FORMAT, withinBand, type ValidationCaseResult, type ValidationReport } from '../../shared/validation'
import { cases, type Measured, type ValidationCase } from './cases'

export { cases, type ValidationCase } from './cases'

/** One case's report line, from what its measurement gave. */
export function reportCase(c: ValidationCase, m: Measured | null): ValidationCaseResult {
  const value = m && Number.isFinite(m.value) ? m.value : null
  const failedChecks = (m?.checks ?? []).filter((x) => !x.ok).map((x) => x.what)
  const within = withinBand(value, c.band) && failedChecks.length === 0
  const notes = [...(c.failing && !within ? [c.failing] : []), ...failedChecks.map((w) => `condition not met: ${w}`)]
  return {
    id: c.id,
    target: c.target,
    group: c.group,
    fitted_inputs: [...c.fittedInputs],
    literature: c.literature,
    band: { ...c.band },
    unit: c.unit,
    value,
    within,
    source: c.source,
    note: notes.length > 0 ? notes.join('; ') : null
  }
}

/** Runs every case (or those named), in the catalogue's order. */
export function runValidation(ids?: readonly string[], onCase?: (done: number, total: number) => void): ValidationReport {
  const chosen = ids && ids.length > 0 ? cases.filter((c) => ids.includes(c.id)) : cases
  const out: ValidationCaseResult[] = []
  for (const c of chosen) {
    out.push(reportCase(c, c.measure()))
    onCase?.(out.length, chosen.length)
  }
  return { format: VALIDATION_FORMAT, cases: out }
}
