/**
 * Which baseline simulations a run needs. A baseline (a VM alone on bare
 * metal, or alone under its hypervisor) depends only on what that VM sees:
 * its host's hardware and hypervisor, its own configuration and workload, and
 * the devices its disks end on. VMs that see the same — sixteen identical
 * database VMs on identical hosts — share one baseline instead of simulating
 * it sixteen times. The key compares configurations, not names; the shared
 * baseline runs with the random streams of the first such VM in the file.
 *
 * `BaselineRun` simulates the jobs one after another. It depends on nothing
 * the main scenario computes, so a caller with a spare thread may run it
 * alongside the main scenario and hand its throughputs over.
 */
import type { Experiment } from '../../../shared/experiment/schema'
import { experimentEvents } from '../../../shared/experiment/events'
import { isDeviceRef } from '../../../shared/experiment/references'
import { layoutRegions, regionKey, type Region } from './regions'
import { nativeDetailOf, throughputOf } from '../report/results'
import type { NativeDetail } from '../../../shared/result'
import { Scenario } from './scenario'

/** One baseline simulation: a representative VM, and every VM that shares its result. */
export interface BaselineJob {
  vm: string
  alone: boolean
  for: string[]
}

/** What the baselines found: throughput by VM id, native and alone under its hypervisor, and the events it took. */
export interface BaselineThroughputs {
  native: Record<string, number>
  alone: Record<string, number>
  /** Each VM's native response time, CPU per operation and noise (the overhead measures besides throughput). */
  nativeDetail: Record<string, NativeDetail>
  events: number
}

/** The baselines an experiment needs (none with `baseline: none`). */
export function baselineJobs(exp: Experiment, regions: Map<string, Region>): BaselineJob[] {
  const jobs = new Map<string, BaselineJob>()
  const add = (vm: string, alone: boolean): void => {
    const key = baselineKey(exp, vm, alone, regions)
    const job = jobs.get(key)
    if (job) job.for.push(vm)
    else jobs.set(key, { vm, alone, for: [vm] })
  }
  if (exp.baseline === 'native') {
    for (const v of exp.vms) {
      add(v.id, false)
      // With no neighbours, alone is what the main scenario already is.
      if (exp.vms.length > 1) add(v.id, true)
    }
  }
  return [...jobs.values()]
}

/** Runs an experiment's baselines one after another, in slices of kernel events. */
export class BaselineRun {
  readonly jobs: BaselineJob[]
  private current: Scenario | null = null
  private index = 0
  private readonly found: BaselineThroughputs = { native: {}, alone: {}, nativeDetail: {}, events: 0 }

  constructor(
    private readonly exp: Experiment,
    private readonly seed: number,
    /** The experiment's disk layout, when the caller has it already. */
    private readonly regions: Map<string, Region> = layoutRegions(exp),
    /** Operations in flight a baseline may hold (see memory.ts). */
    private readonly maxOpsInFlight?: number
  ) {
    this.jobs = baselineJobs(exp, regions)
  }

  get finished(): boolean {
    return this.index >= this.jobs.length
  }

  /** 0..1 over the jobs (a job that stops early counts as done). */
  get progress(): number {
    if (this.jobs.length === 0) return 1
    const within = this.current ? this.current.sim.now / this.current.durationNs : 0
    return Math.min(1, (this.index + within) / this.jobs.length)
  }

  get events(): number {
    return this.found.events
  }

  /** Runs at most `maxEvents` events; returns how many ran. */
  advance(maxEvents: number): number {
    let budget = Math.max(1, Math.floor(maxEvents))
    let ran = 0
    while (budget > 0 && !this.finished) {
      const job = this.jobs[this.index]!
      this.current ??= new Scenario(this.exp, {
        seed: this.seed,
        regions: this.regions,
        kind: job.alone ? 'alone' : 'native',
        vm: job.vm,
        ...(this.maxOpsInFlight === undefined ? {} : { maxOpsInFlight: this.maxOpsInFlight })
      })
      const n = this.current.advance(budget)
      budget -= n
      ran += n
      if (this.current.ended) {
        const vm = this.current.vms[0]!
        const tp = throughputOf(this.current, vm)
        const detail = job.alone ? null : nativeDetailOf(vm)
        for (const id of job.for) {
          ;(job.alone ? this.found.alone : this.found.native)[id] = tp
          if (detail) this.found.nativeDetail[id] = detail
        }
        this.current = null
        this.index++
      }
    }
    this.found.events += ran
    return ran
  }

  /** Only when finished: every VM's baseline throughputs. */
  result(): BaselineThroughputs {
    if (!this.finished) throw new Error('the baselines have not finished')
    return { native: { ...this.found.native }, alone: { ...this.found.alone }, nativeDetail: { ...this.found.nativeDetail }, events: this.found.events }
  }
}

/** A canonical description of everything a VM's baseline depends on. */
function baselineKey(exp: Experiment, vmId: string, alone: boolean, regions: Map<string, Region>): string {
  const vm = exp.vms.find((v) => v.id === vmId)
  if (!vm) throw new Error(`no VM "${vmId}"`)
  const host = exp.hosts.find((h) => h.id === vm.host)
  if (!host) throw new Error(`VM "${vmId}": no host "${vm.host}"`)
  const { id: _hostId, ...hostSpec } = host
  const target = (on: string, model: string, disk: number): unknown => {
    const volume = model === 'passthrough' || isDeviceRef(on) ? undefined : exp.volumes.find((v) => v.id === on)
    const device = volume ? volume.on : on
    const [owner, part] = device.split('/') as [string, string]
    const local = exp.hosts.find((h) => h.id === owner)?.disks.find((d) => d.id === part)
    const region = regions.get(regionKey(vm.id, disk))
    if (local) {
      const { id: _diskId, ...diskSpec } = local
      return { volume: volume?.kind, disk: diskSpec, region }
    }
    const array = exp.arrays.find((a) => a.id === owner)
    if (!array) return { device }
    const { id: _arrayId, luns, paths, ...arraySpec } = array
    const via = paths.find((p) => p.host === vm.host)?.via
    // On a Cluster Shared Volume, whether the VM's host is the coordinator changes what an allocation costs.
    const coordinatorHere = volume?.kind === 'csv' ? (volume.coordinator ?? volume.hosts?.[0]) === vm.host : undefined
    return { volume: volume?.kind, array: arraySpec, lun: luns.find((l) => l.id === part)?.gb, via, coordinatorHere }
  }
  const { id: _vmId, host: _host, ...vmSpec } = vm
  const own = exp.events.filter((e) => 'vm' in e && e.vm === vm.id && experimentEvents[e.do].replayedInBaseline).map((e) => [e.at_s, e.do])
  return JSON.stringify({
    alone,
    host: hostSpec,
    vm: { ...vmSpec, disks: vm.disks.map((d, i) => ({ ...d, on: target(d.on, d.model, i) })) },
    events: own
  })
}
