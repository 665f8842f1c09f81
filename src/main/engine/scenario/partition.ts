/**
 * Independent parts of an experiment. VMs interact only through what they
 * share: a host (its cores, links and local disks), an array (its paths,
 * queues and back end), a volume (a cluster volume's coordinator host), or
 * an event of the timeline that names several of them. Everything connected
 * through such a resource is one component; components share nothing, so
 * each is a simulation of its own whose events never touch another's.
 *
 * Components are gathered, in the order the experiment lists their first
 * VM, into parts of about PART_VMS VMs: a part is what one scenario (one
 * kernel, one event queue, one set of pools) simulates. A part small enough
 * keeps its working set in the processor's caches — the reason a scenario of
 * 1,024 VMs in one queue costs more per event than one of 64 — and parts are
 * what worker threads share out. How parts are grouped never changes a
 * result: every VM draws its random numbers from streams named by its own id,
 * and events of different components never meet in one queue.
 */
import type { Experiment } from '../../../shared/experiment/schema'
import { isDeviceRef } from '../../../shared/experiment/references'

/** VMs a part gathers before it closes (components are never split). */
export const PART_VMS = 64

/** One part: an experiment holding only its components' hosts, arrays, volumes and VMs, in the original order. */
export interface Part {
  experiment: Experiment
  /** Indexes of its VMs in the whole experiment's `vms`. */
  vmIndexes: number[]
  /** Indexes of its timeline events in the whole experiment's `events` (each event belongs to the part of what it names). */
  eventIndexes: number[]
}

/** Union-find over resource keys (`h:` host, `a:` array, `v:` volume). */
class Components {
  private readonly parent = new Map<string, string>()

  find(k: string): string {
    let root = k
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p
    if (!this.parent.has(k)) this.parent.set(k, k)
    // Path compression keeps later finds short.
    for (let x = k; x !== root; ) {
      const next = this.parent.get(x)!
      this.parent.set(x, root)
      x = next
    }
    return root
  }

  union(a: string, b: string): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra !== rb) this.parent.set(rb, ra)
  }
}

/** The resource a device reference (`host/disk`, `array/lun`) or a volume id stands for. */
function targetKey(exp: Experiment, on: string): string {
  if (isDeviceRef(on)) {
    const owner = on.split('/')[0]!
    return exp.arrays.some((a) => a.id === owner) ? `a:${owner}` : `h:${owner}`
  }
  return `v:${on}`
}

/** The experiment's components, as parts of about PART_VMS VMs each (see the module's note). */
export function partitionExperiment(exp: Experiment, partVms = PART_VMS): Part[] {
  const c = new Components()
  const hosts = new Set(exp.hosts.map((h) => h.id))
  const arrays = new Set(exp.arrays.map((a) => a.id))
  const volumes = new Set(exp.volumes.map((v) => v.id))
  const vmHost = new Map(exp.vms.map((v) => [v.id, v.host]))
  for (const h of exp.hosts) c.find(`h:${h.id}`)
  for (const a of exp.arrays) {
    c.find(`a:${a.id}`)
    for (const p of a.paths) c.union(`a:${a.id}`, `h:${p.host}`)
  }
  for (const v of exp.volumes) {
    c.union(`v:${v.id}`, targetKey(exp, v.on))
    for (const h of v.hosts ?? []) c.union(`v:${v.id}`, `h:${h}`)
    if (v.coordinator) c.union(`v:${v.id}`, `h:${v.coordinator}`)
  }
  for (const vm of exp.vms) {
    const own = `h:${vm.host}`
    for (const d of vm.disks) c.union(own, targetKey(exp, d.on))
    const swap = (vm as { swap?: { on?: unknown } }).swap
    if (swap && typeof swap.on === 'string') c.union(own, targetKey(exp, swap.on))
  }
  // An event joins everything it names (a migration joins two hosts). Any string field that names a VM, host,
  // array or volume counts, so an event kind added later is never simulated apart from what it touches.
  const eventRoots: (string | null)[] = []
  for (const e of exp.events) {
    const named: string[] = []
    for (const value of Object.values(e)) {
      if (typeof value !== 'string') continue
      if (vmHost.has(value)) named.push(`h:${vmHost.get(value)!}`)
      if (hosts.has(value)) named.push(`h:${value}`)
      if (arrays.has(value)) named.push(`a:${value}`)
      if (volumes.has(value)) named.push(`v:${value}`)
    }
    for (let i = 1; i < named.length; i++) c.union(named[0]!, named[i]!)
    eventRoots.push(named[0] ?? null)
  }

  // Components in the order of their first VM, then those with no VM (hosts or arrays left idle).
  const order: string[] = []
  const vmsOf = new Map<string, number[]>()
  const add = (root: string): number[] => {
    let list = vmsOf.get(root)
    if (!list) {
      vmsOf.set(root, (list = []))
      order.push(root)
    }
    return list
  }
  exp.vms.forEach((vm, i) => add(c.find(`h:${vm.host}`)).push(i))
  for (const h of exp.hosts) add(c.find(`h:${h.id}`))
  for (const a of exp.arrays) add(c.find(`a:${a.id}`))
  for (const v of exp.volumes) add(c.find(`v:${v.id}`))

  // Gather whole components into parts.
  const groups: string[][] = []
  let current: string[] = []
  let count = 0
  for (const root of order) {
    current.push(root)
    count += vmsOf.get(root)!.length
    if (count >= partVms) {
      groups.push(current)
      current = []
      count = 0
    }
  }
  if (current.length > 0) {
    // A VM-less remainder rides with the last part rather than making a scenario of its own.
    if (count === 0 && groups.length > 0) groups[groups.length - 1]!.push(...current)
    else groups.push(current)
  }
  if (groups.length === 0) return [{ experiment: exp, vmIndexes: [], eventIndexes: exp.events.map((_, i) => i) }]

  return groups.map((roots, g) => {
    const inPart = new Set(roots)
    const has = (key: string): boolean => inPart.has(c.find(key))
    const vmIndexes = roots.flatMap((r) => vmsOf.get(r)!).sort((a, b) => a - b)
    // An event plays in the part of what it names; one that names nothing the experiment holds, in the first part.
    const eventIndexes = exp.events.map((_, i) => i).filter((i) => {
      const root = eventRoots[i]
      return root === null ? g === 0 : has(root)
    })
    const experiment: Experiment = {
      ...exp,
      hosts: exp.hosts.filter((h) => has(`h:${h.id}`)),
      arrays: exp.arrays.filter((a) => has(`a:${a.id}`)),
      volumes: exp.volumes.filter((v) => has(`v:${v.id}`)),
      vms: vmIndexes.map((i) => exp.vms[i]!),
      // Only its own timeline events: an event of another part would be refused here for naming what this part lacks.
      events: eventIndexes.map((i) => exp.events[i]!)
    }
    return { experiment, vmIndexes, eventIndexes }
  })
}
