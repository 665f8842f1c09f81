/**
 * The experiment's timeline as the scenario plays it: each event of the
 * registry (shared/experiment/events.ts) runs at its time or is refused with
 * the reason, and leaves an outcome record (shared/result.ts
 * `eventResultSchema`) that the run result carries — a migration's rounds and
 * downtime, a copy's progress, how a lost path is worked around. Events that
 * take time (a migration, a consolidation, a clone) fill their record in as
 * they go; `finish` brings the unfinished ones up to the end of the run.
 */
import { experimentEvents, type EventKind } from '../../../shared/experiment/events'
import type { ExperimentEvent } from '../../../shared/experiment/schema'
import { resolveWorkload } from '../../../shared/catalog'
import type { EventResult } from '../../../shared/result'
import { bindVm } from './build'
import { Migration, migrationRefusal } from './migration'
import { PathFailures } from './pathfail'
import type { Scenario } from './scenario'
import { Snapshots, snapshotRefusal } from './snapshots'
import type { VmRuntime } from './vm'

const NS_PER_S = 1e9

type Handler = (t: Timeline, e: ExperimentEvent, out: EventResult) => void

/** What each event kind does; every kind of the registry has one (a kind without one fails to compile). */
const HANDLERS: Record<EventKind, Handler> = {
  start: (t, e, out) => t.onVm(e, out, (vm) => {
    t.s.driver.powerOn(vm)
    out.summary = `"${vm.spec.id}" powered on`
  }),
  'add-vm': (t, e, out) => t.onVm(e, out, (vm) => {
    t.s.driver.powerOn(vm)
    out.summary = `"${vm.spec.id}" arrived on host "${t.s.hosts[vm.host]!.spec.id}" and runs from now on`
  }),
  stop: (t, e, out) => t.onVm(e, out, (vm) => {
    t.s.driver.powerOff(vm)
    out.summary = `"${vm.spec.id}" powered off: operations in flight finish`
  }),
  'set-workload': (t, e, out) => t.onVm(e, out, (vm) => {
    if (e.do !== 'set-workload') return
    const before = vm.workload
    const next = resolveWorkload(e.workload)
    vm.workload = next
    try {
      bindVm(t.s.ctx, vm, t.s.hosts[vm.host]!)
    } catch (err) {
      vm.workload = before
      bindVm(t.s.ctx, vm, t.s.hosts[vm.host]!)
      return t.refuse(out, (err as Error).message)
    }
    vm.samplersFromWorkload()
    t.s.driver.workloadChanged(vm)
    out.summary = `"${vm.spec.id}" now runs ${next.id === 'custom' ? 'a custom workload' : `"${next.id}"`}`
  }),
  migrate: (t, e, out) => t.onVm(e, out, (vm) => {
    if (e.do !== 'migrate') return
    const to = t.s.hosts.find((h) => h.spec.id === e.to)
    if (!to) return t.refuse(out, `host "${e.to}" is not in this run`)
    const why = migrationRefusal(t.s, vm, to)
    if (why) return t.refuse(out, why)
    if (!vm.powered) {
      // A VM that is off moves cold: nothing to copy but its configuration.
      t.s.moveVm(vm.spec.id, to.spec.id)
      out.summary = `"${vm.spec.id}" was powered off and moved cold to "${to.spec.id}"`
      out.done_s = t.s.sim.now / NS_PER_S
      return
    }
    out.done_s = null
    out.summary = `migrating "${vm.spec.id}" to "${to.spec.id}" (unfinished at the end of the run)`
    new Migration(t.s, vm, t.s.hosts[vm.host]!, to, out)
  }),
  snapshot: (t, e, out) => t.onVm(e, out, (vm) => {
    const why = snapshotRefusal(t.s, vm, 'snapshot')
    if (why) return t.refuse(out, why)
    t.snapshots.take(vm, out)
  }),
  'delete-snapshot': (t, e, out) => t.onVm(e, out, (vm) => {
    const why = t.snapshots.deleteRefusal(vm)
    if (why) return t.refuse(out, why)
    t.snapshots.delete(vm, out)
  }),
  clone: (t, e, out) => t.onVm(e, out, (vm) => {
    const why = snapshotRefusal(t.s, vm, 'clone')
    if (why) return t.refuse(out, why)
    t.snapshots.clone(vm, out)
  }),
  'fail-path': (t, e, out) => {
    if (e.do === 'fail-path') t.paths.fail(e.array, e.host, out)
  },
  'restore-path': (t, e, out) => {
    if (e.do === 'restore-path') t.paths.restore(e.array, e.host, out)
  }
}

export class Timeline {
  /** One record per event of the experiment, in its order (null: not this scenario's to play). */
  readonly outcomes: (EventResult | null)[]
  readonly snapshots: Snapshots
  readonly paths: PathFailures
  /** Called at the end of the run to bring records of unfinished operations up to date. */
  readonly progress: (() => void)[] = []

  constructor(readonly s: Scenario) {
    this.outcomes = s.exp.events.map(() => null)
    this.snapshots = new Snapshots(s, this.progress)
    this.paths = new PathFailures(s)
  }

  /** Plays event `i` of the experiment now. */
  play(i: number): void {
    const e = this.s.exp.events[i]!
    const { at_s, do: kind, ...rest } = e
    const out: EventResult = { at_s, do: kind, ...rest, ok: true }
    this.outcomes[i] = out
    if (!experimentEvents[kind].modelled) return this.refuse(out, `${kind} is not carried out by the simulation`)
    HANDLERS[kind](this, e, out)
  }

  onVm(e: ExperimentEvent, out: EventResult, act: (vm: VmRuntime) => void): void {
    if (!('vm' in e)) return
    const vm = this.s.vms.find((v) => v.spec.id === e.vm)
    if (!vm) return this.refuse(out, `VM "${e.vm}" is not in this run`)
    act(vm)
  }

  refuse(out: EventResult, reason: string): void {
    out.ok = false
    out.reason = reason
    delete out.summary
    delete out.done_s
  }

  finish(): void {
    for (const f of this.progress) f()
  }
}
