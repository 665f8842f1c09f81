/**
 * Bounds on experiment sizes. They keep a typo (10⁹ VMs, a 10⁹ s run) from
 * exhausting memory; each is far above what a desktop lab can usefully show.
 */
export const LIMITS = {
  hosts: 256,
  arrays: 64,
  volumes: 1024,
  vms: 1024,
  eventsPerExperiment: 10_000,
  durationS: 86_400,
  sampleMsMin: 10,
  sampleMsMax: 60_000,
  /** windows × VMs: bounds the stored samples of one run. */
  sampleRows: 2_000_000,
  vcpus: 64,
  memoryGb: 4096,
  socketsPerHost: 8,
  devicesPerHost: 64,
  devicesPerVm: 16,
  diskGb: 1_000_000,
  arrayDisks: 1024,
  clients: 100_000,
  ratePerS: 10_000_000,
  /** Operations an open stream may ask of one VM over a run (rate × duration). */
  opsPerVm: 100_000_000,
  instructionsPerOp: 1e12,
  eventsPerOp: 1e7,
  gbps: 400,
  servers: 1024,
  serviceMs: 3_600_000,
  /**
   * An experiment's text, in UTF-8 bytes: seven times the 1,024-VM datacenter
   * file, with room for measured service-time distributions. The YAML reader
   * takes about 2 s per MB on a desktop core, so this also bounds how long
   * reading a valid file can take.
   */
  textBytes: 2_000_000,
  /**
   * Canvas positions saved with a draft, as JSON bytes: they travel in the
   * same frame as the draft's text, within the 64 kB the frame allows beyond it.
   */
  layoutBytes: 32_000,
  /** Structure an experiment's YAML may have before it is read (see experiment/bounds.ts). */
  yamlValues: 500_000,
  yamlDepth: 64,
  /** Aliases read (one per VM of the largest experiment: a VM template used by every VM). */
  yamlAliases: 1024,
  yamlAnchors: 4096,
  /** An experiment's name, in UTF-16 code units (what a text field's maxlength counts). */
  nameChars: 200,
  /** The library's notes on an experiment, in UTF-16 code units. */
  notesChars: 20_000,
  /** One tag, in UTF-16 code units, and tags on one experiment. */
  tagChars: 40,
  tagsPerExperiment: 32,
  /** A sweep: parameters it varies, values per parameter, points (the product of the values), replications, runs (points × replications). */
  sweepParameters: 8,
  sweepValues: 1000,
  sweepPoints: 1000,
  sweepReplications: 1000,
  sweepRuns: 10_000,
  /**
   * Points × VMs: every point is checked as a whole experiment when the file
   * is read (1.5 ms per point of the 64-VM datacenter, 20 ms per point of 320
   * VMs on one host, on a desktop core), so a sweep of a 1,024-VM datacenter
   * may span fewer points than one of a few VMs: reading stays within seconds.
   */
  sweepPointVms: 100_000,
  /** Characters of a sweep parameter's path. */
  sweepPathChars: 300
} as const
