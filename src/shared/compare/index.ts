/** Comparing stored runs: the model (arms, deltas, intervals), the experiment diff and the wire schema. */
export { compareRuns, metricInfo, METRICS, type ComparedRun, type MetricInfo } from './compare'
export { diffExperiments, formatChange } from './diff'
export * from './schema'
export { meanInterval, pairedInterval, t975, welchInterval, type Interval } from './stats'
