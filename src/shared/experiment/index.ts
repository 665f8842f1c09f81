/** The experiment document: schema, parsing and checks (format 1). */
export * from './schema'
export { parseExperiment, parseExperimentText, zodIssues, type ParseOutcome } from './parse'
export { checkReferences, formatsFor, referenceProblems, resolveDevice, type DeviceRef } from './references'
export { formatPath, labelPath, parsePath, isWithin, type PathPart } from './paths'
export { closest, didYouMean } from './suggest'
export { keysAt, slotAt, type SchemaSlot } from './schemaShape'
export { techniqueDefaults, type TechniqueDefaults } from './defaults'
export { EVENT_KINDS, experimentEvents, notModelledReason, type EventKind, type EventSpec } from './events'
