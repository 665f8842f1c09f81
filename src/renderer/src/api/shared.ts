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
export type { ArraySample, Breakdown, BreakdownKey, EventResult, ExplainItem, RunResult, Sample, VmResult } from '../../../shared/result'
export { EVENT_KINDS, experimentEvents } from '../../../shared/experiment/events'
export type { EventKind } from '../../../shared/experiment/events'
export { LIMITS } from '../../../shared/limits'
export { formatBytes, textTooLarge, utf8Length } from '../../../shared/textSize'
export { decodeExperimentBytes } from '../../../shared/decode'
export * from '../../../shared/format'
export { CSV_TABLES, MAX_REPORT_RUNS, REPORT_FORMATS, SAMPLE_SERIES } from '../../../shared/report'
export type { CsvTable, ReportFormat, SampleSeriesKey } from '../../../shared/report'
export { bandText, withinBand } from '../../../shared/validation'
export type { ValidationCaseResult, ValidationGroup, ValidationReport } from '../../../shared/validation'
// The experiment format and the catalog: the builder checks, completes and explains as the user edits,
// with the same parser and checks the lab runs (one source of truth, no second validator).
export {
  EXPERIMENT_FORMAT,
  closest,
  formatPath,
  formatsFor,
  isRecord,
  isWithin,
  keysAt,
  labelPath,
  parseExperiment,
  parseExperimentText,
  parsePath,
  slotAt,
  sweepSize,
  valueAt
} from '../../../shared/experiment'
export type { Experiment, ParseOutcome, PathPart, SchemaSlot } from '../../../shared/experiment'
export { catalog, diskDevice, nicDevice } from '../../../shared/catalog'
export type { CpuSpec, DeviceSpec, HypervisorSpec, VolumeKindId } from '../../../shared/catalog'
export { ID_PATTERN } from '../../../shared/ids'
export { SWEEP_METRICS, SWEEP_METRIC_KEYS } from '../../../shared/sweeps'
export type { SweepDetail, SweepMetric, SweepPoint, SweepRecord, SweepRun, SweepStatus } from '../../../shared/sweeps'
export type { MeanWithInterval } from '../../../shared/stats/interval'
// The library's query and the comparison of runs: the views read them as the lab computes them.
export { experimentSortKeys, exportFormats, tagSchema } from '../../../shared/library'
export type { Experiment as LibraryExperiment, ExperimentList, ExperimentQuery, ExperimentSummary, ExperimentVersion, VersionDiff } from '../../../shared/library'
export { formatChange, METRICS, metricInfo } from '../../../shared/compare'
export type { ArmComparison, Change, Comparison, MetricDelta, MetricInfo, MetricKey } from '../../../shared/compare'
export { RUN_PACES, paceLabel } from '../../../shared/pace'
export type { RunPace } from '../../../shared/pace'
export { runEventKinds } from '../../../shared/replay'
export type { Difference, RunEvent, RunEventKind, RunSeries, SummaryAt, Verification } from '../../../shared/replay'
export { OVERHEAD_MEASURES, formatOverheadFigure, headlineText, measureLabel, vmOverhead } from '../../../shared/overhead'
export type { OverheadFigure, OverheadMeasure, VmOverhead } from '../../../shared/overhead'
