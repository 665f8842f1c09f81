/** The experiment document: schema, parsing and checks (format 1). */
export * from './schema'
export { parseExperiment, parseExperimentText, zodIssues, type ParseOutcome } from './parse'
export { checkReferences, formatPath, formatsFor, resolveDevice, type DeviceRef } from './references'
export { techniqueDefaults, type TechniqueDefaults } from './defaults'
export { EVENT_KINDS, experimentEvents, notModelledReason, type EventKind, type EventSpec } from './events'
