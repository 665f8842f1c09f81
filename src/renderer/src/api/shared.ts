/**
 * The renderer's one door to `src/shared`: the contract, envelopes and
 * errors it programs against. Everything else in the renderer imports from
 * here, so the boundary is visible in one file.
 */
export { buildLabApi, isEventName, runStatuses } from '../../../shared/contract'
export type {
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
  LabApi,
  RunRecord,
  RunStatus,
  Transport
} from '../../../shared/contract'
export { MAX_FRAME_BYTES, replySchema, serverMessageSchema, WS_PATH } from '../../../shared/wire'
export type { ClientMessage } from '../../../shared/wire'
export { LabError, formatIssues } from '../../../shared/errors'
export type { Issue } from '../../../shared/errors'
export { BREAKDOWN_KEYS } from '../../../shared/result'
export { BREAKDOWN_CATEGORIES } from '../../../shared/breakdown'
export type { BreakdownCategory } from '../../../shared/breakdown'
export type { Breakdown, BreakdownKey, ExplainItem, RunResult, Sample, VmResult } from '../../../shared/result'
export { LIMITS } from '../../../shared/limits'
export { formatBytes, textTooLarge, utf8Length } from '../../../shared/textSize'
export { decodeExperimentBytes } from '../../../shared/decode'
export * from '../../../shared/format'
export { CSV_TABLES, MAX_REPORT_RUNS, REPORT_FORMATS, SAMPLE_SERIES } from '../../../shared/report'
export type { CsvTable, ReportFormat, SampleSeriesKey } from '../../../shared/report'
export { bandText, withinBand } from '../../../shared/validation'
export type { ValidationCaseResult, ValidationGroup, ValidationReport } from '../../../shared/validation'
export { SWEEP_METRICS, SWEEP_METRIC_KEYS } from '../../../shared/sweeps'
export type { SweepDetail, SweepMetric, SweepPoint, SweepRecord, SweepRun, SweepStatus } from '../../../shared/sweeps'
export type { MeanWithInterval } from '../../../shared/stats/interval'
