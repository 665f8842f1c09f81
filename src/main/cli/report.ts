/**
 * `hyperlab report`: the options of the command (format, CSV table, sample
 * series) parsed into a report request, each refusal naming the option and
 * what it accepts, and the finished report written to a file or stdout.
 */
import { writeFile } from 'node:fs/promises'
import { InvalidArgumentError } from 'commander'
import { CSV_TABLES, REPORT_FORMATS, SAMPLE_SERIES, type CsvTable, type ReportFormat, type SampleSeriesKey } from '../../shared/report'
import type { RenderedReport } from '../reports'

export function reportFormat(value: string): ReportFormat {
  if (!(REPORT_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`a format is one of ${REPORT_FORMATS.join(', ')}`)
  return value as ReportFormat
}

export function csvTable(value: string): CsvTable {
  if (!(CSV_TABLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`a CSV table is one of ${CSV_TABLES.join(', ')}`)
  return value as CsvTable
}

export function seriesList(value: string): SampleSeriesKey[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = names.filter((n) => !(SAMPLE_SERIES as readonly string[]).includes(n))
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`${unknown.length > 0 ? `unknown series ${unknown.map((u) => `"${u}"`).join(', ')}; ` : ''}series are a comma-separated list of ${SAMPLE_SERIES.join(', ')}`)
  }
  return [...new Set(names)] as SampleSeriesKey[]
}

/**
 * Writes the report to `out` (`-` for stdout, through `toTerminal` when
 * given: text shown on a terminal is made printable first); the bytes of the
 * report.
 */
export async function writeReport(report: RenderedReport, out: string, toTerminal?: (text: string) => void): Promise<number> {
  const bytes = typeof report.body === 'string' ? Buffer.from(report.body, 'utf8') : report.body
  if (out !== '-') await writeFile(out, bytes)
  else if (toTerminal && typeof report.body === 'string') toTerminal(report.body)
  else process.stdout.write(bytes)
  return bytes.byteLength
}
