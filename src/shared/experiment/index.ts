/** The experiment document: schema, parsing and checks (format 1). */
export * from './schema'
export { parseExperiment, parseExperimentText, zodIssues, type ParseOutcome } from './parse'
export { checkReferences, formatPath, formatsFor, resolveDevice, type DeviceRef } from './references'
export { techniqueDefaults, type TechniqueDefaults } from './defaults'
export { EVENT_KINDS, experimentEvents, notModelledReason, type EventKind, type EventSpec } from './events'
export { checkSweep, formatSweepValue, planSweep, pointCondition, pointDocument, replicationSeeds } from './sweep'
export type { PlanOutcome, SweepParameterPlan, SweepPlan, SweepPointPlan } from './sweep'
export type { Sweep, SweepParameter, SweepValue } from './sweepSchema'
