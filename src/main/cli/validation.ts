/**
 * `hyperlab validation` as text: the fitted cases and the validation cases in
 * two tables, each with the literature value, the band, the model's value and
 * whether it is in the band; then why each miss misses, and the sources.
 */
import { bandText, type ValidationCaseResult, type ValidationReport } from '../../shared/validation'
import { table } from './format'

const shown = (c: ValidationCaseResult): string => {
  if (c.value === null) return '–'
  const v = Math.abs(c.value) < 0.005 ? '0' : String(Number(c.value.toPrecision(3)))
  return c.unit === '×' ? `${v}×` : `${v} ${c.unit}`
}

export function validationText(report: ValidationReport): string {
  const parts: string[] = []
  for (const group of ['fitted', 'validation'] as const) {
    const rows = report.cases.filter((c) => c.group === group)
    const ok = rows.filter((c) => c.within).length
    parts.push(
      group === 'fitted'
        ? `Fitted cases (${ok} of ${rows.length} in band): an input was tuned to each, so they show that the fit holds, not that the model predicts.`
        : `Validation cases (${ok} of ${rows.length} in band): nothing was tuned to them.`
    )
    parts.push(
      table(
        ['case', 'literature', 'band', 'Hyperlab', 'in band', ...(group === 'fitted' ? ['fitted inputs'] : [])],
        rows.map((c) => [c.id, c.literature, bandText(c.band, c.unit), shown(c), c.within ? 'yes' : 'NO', ...(group === 'fitted' ? [c.fitted_inputs.join(', ')] : [])]),
        ['l', 'l', 'l', 'r', 'l', 'l']
      )
    )
    parts.push('')
  }
  const misses = report.cases.filter((c) => !c.within)
  if (misses.length > 0) {
    parts.push('Outside the band:')
    for (const c of misses) parts.push(`  ${c.id}: ${c.note ?? 'no note'}`)
    parts.push('')
  }
  parts.push('Sources:')
  for (const c of report.cases) parts.push(`  ${c.id}: ${c.source}`)
  return parts.join('\n')
}
