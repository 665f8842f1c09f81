/**
 * The one registry of experiment events: every `do` a timeline may hold, what
 * it names, and whether the simulation carries it out. The schema takes its
 * kinds from here; the reference checks, the engine (which schedules only
 * modelled events), the baselines (which replay the events that change what
 * a VM alone sees) and the result (which reports an unmodelled event as
 * refused, with the reason) all read these flags, so adding live migration
 * means turning `modelled` on here and giving the engine its handler.
 */
export const EVENT_KINDS = ['start', 'stop', 'add-vm', 'set-workload', 'migrate', 'snapshot', 'delete-snapshot', 'clone', 'fail-path', 'restore-path'] as const
export type EventKind = (typeof EVENT_KINDS)[number]

export interface EventSpec {
  do: EventKind
  /** What the event acts on: one VM, or the path from a host to an array. */
  subject: 'vm' | 'path'
  /** The simulation carries it out; otherwise the result lists it refused, "not modelled yet". */
  modelled: boolean
  /** A VM that has this event is powered off until it happens (a `start`). */
  startsPoweredOff: boolean
  /** It changes what the VM sees on its own, so the VM's baselines replay it (and cannot stop early). */
  replayedInBaseline: boolean
  description: string
}

export const experimentEvents: Record<EventKind, EventSpec> = {
  start: { do: 'start', subject: 'vm', modelled: true, startsPoweredOff: true, replayedInBaseline: true, description: 'power a VM on: its clients or arrivals begin' },
  stop: { do: 'stop', subject: 'vm', modelled: true, startsPoweredOff: false, replayedInBaseline: true, description: 'power a VM off: operations in flight finish, no new ones start' },
  'add-vm': { do: 'add-vm', subject: 'vm', modelled: true, startsPoweredOff: true, replayedInBaseline: true, description: 'a VM arrives on its host (a noisy neighbour): absent until then, it runs from then on' },
  'set-workload': { do: 'set-workload', subject: 'vm', modelled: true, startsPoweredOff: false, replayedInBaseline: true, description: 'change a VM\'s load: its workload from then on' },
  migrate: { do: 'migrate', subject: 'vm', modelled: true, startsPoweredOff: false, replayedInBaseline: false, description: 'live-migrate a VM to another host (iterative pre-copy, then stop-and-copy)' },
  snapshot: { do: 'snapshot', subject: 'vm', modelled: true, startsPoweredOff: false, replayedInBaseline: false, description: 'take a snapshot: every disk gets a delta disk that takes its writes from then on' },
  'delete-snapshot': { do: 'delete-snapshot', subject: 'vm', modelled: true, startsPoweredOff: false, replayedInBaseline: false, description: 'delete the snapshot: the delta is consolidated into its parent (copy I/O on the volume)' },
  clone: { do: 'clone', subject: 'vm', modelled: true, startsPoweredOff: false, replayedInBaseline: false, description: 'copy a VM\'s disks through the storage path' },
  'fail-path': { do: 'fail-path', subject: 'path', modelled: true, startsPoweredOff: false, replayedInBaseline: false, description: 'lose a host\'s path to an array (multipath failover, CSV redirected I/O, or a stall)' },
  'restore-path': { do: 'restore-path', subject: 'path', modelled: true, startsPoweredOff: false, replayedInBaseline: false, description: 'bring a lost path back' }
}

/** Why the result refuses an event the simulation does not carry out. */
export function notModelledReason(kind: EventKind): string {
  return `${kind} is not modelled yet`
}
