/**
 * Reports: what a user can export of one run or of a comparison of runs —
 * the request (runs, format, which sample series a CSV holds) and the file
 * that comes back. The same request serves the UI (`reports:render`,
 * `reports:save`) and the CLI (`hyperlab report`).
 */
import { z } from 'zod'
import { comparisonSchema } from './compare/schema'
import { runResultSchema, sampleSchema } from './result'

export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** The per-window series of a run's samples a CSV can hold (the columns of `hyperlab/result@1` samples). */
/** Series of the sample windows a CSV may carry; the last four are empty for runs stored before they were sampled. */
export const SAMPLE_SERIES = ['throughput_ops_s', 'latency_mean_ms', 'latency_p99_ms', 'disk_iops', 'cpu_pct', 'cpu_guest_pct', 'cpu_hypervisor_pct', 'disk_mb_s', 'net_gbps'] as const
export type SampleSeriesKey = (typeof SAMPLE_SERIES)[number]

/** The tables a CSV export can hold. */
export const CSV_TABLES = ['summary', 'samples', 'deltas'] as const
export type CsvTable = (typeof CSV_TABLES)[number]

/** Runs one report may hold: the first, then those compared with it. */
export const MAX_REPORT_RUNS = 12

/**
 * Largest report content handed over through the LabApi (a preview, a
 * browser download), as it travels: base64 for a PDF, JSON-escaped text
 * otherwise. It stays below the 64 MB that browser mode lets wait for one
 * client before closing it (SEND_CLOSE_BYTES in src/main/browser/server.ts),
 * so one reply never cuts a page off. Larger exports (a long run's every
 * sample as JSON) are written directly: the desktop app's save, the CLI.
 */
export const MAX_REPORT_TRANSFER_BYTES = 48 * 1000 * 1000

const runId = z.string().min(1).max(64)

export const reportRequestSchema = z.strictObject({
  /** One run, or the runs of a comparison (the first is the reference). */
  run_ids: z.array(runId).min(1).max(MAX_REPORT_RUNS),
  format: z.enum(REPORT_FORMATS),
  /** CSV only: the summary table (one row per VM and run), the sample series, or a comparison's deltas. */
  csv_table: z.enum(CSV_TABLES).default('summary'),
  /** CSV samples only: which series; all when omitted. */
  series: z.array(z.enum(SAMPLE_SERIES)).min(1).max(SAMPLE_SERIES.length).optional()
})
export type ReportRequest = z.input<typeof reportRequestSchema>
export type ParsedReportRequest = z.output<typeof reportRequestSchema>

export const reportFileSchema = z.strictObject({
  /** A suggested file name, safe on every system. */
  file_name: z.string(),
  mime: z.string(),
  /** utf8: `content` is the text; base64: `content` holds the bytes (PDF). */
  encoding: z.enum(['utf8', 'base64']),
  content: z.string().max(MAX_REPORT_TRANSFER_BYTES),
  /** Size of the file the content stands for. */
  bytes: z.number().int().nonnegative()
})
export type ReportFile = z.infer<typeof reportFileSchema>

export const reportSavedSchema = z.strictObject({
  /** False when the user closed the save dialog. */
  saved: z.boolean(),
  path: z.string().nullable(),
  bytes: z.number().int().nonnegative()
})

/**
 * A run exported as JSON: its `hyperlab/result@1` summary with every stored
 * sample, the run's id and the experiment file as it ran, so the export alone
 * is enough to read, chart and reproduce the run.
 */
export const resultExportSchema = runResultSchema.extend({
  run_id: z.string(),
  experiment_text: z.string(),
  samples: z.array(sampleSchema)
})
export type ResultExport = z.infer<typeof resultExportSchema>

export const COMPARISON_FORMAT = 'hyperlab/comparison@1'

/** A comparison exported as JSON: the comparison model and each run as in `resultExportSchema`. */
export const comparisonExportSchema = z.strictObject({
  format: z.literal(COMPARISON_FORMAT),
  comparison: comparisonSchema,
  runs: z.array(resultExportSchema)
})
export type ComparisonExport = z.infer<typeof comparisonExportSchema>

