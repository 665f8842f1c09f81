/**
 * Notable moments of a run on its simulated timeline, for the event
 * inspector: a queue saturating (a local disk, an array's back end, a
 * host's cores or a network link busy ≥ 95 % over a sample window) and
 * relieved (back under 80 %, so a queue hovering at the threshold does not
 * flood the list). Watched once per sample window in the main scenario; the
 * checksum leaves them out, since they restate what the simulation did.
 *
 * A window's utilization comes from each queue's busy time, which counts a
 * service when it ends: a window in which a long service is still running
 * reads a little low, the next one a little high.
 */
import type { Experiment } from '../../../shared/experiment/schema'
import type { NotableEvent } from '../../../shared/replay'
import type { HostRuntime, LocalDisk } from './build'
import type { SanArray } from '../models/san'

export const SATURATED = 0.95
export const RELIEVED = 0.8

const NS_PER_MS = 1e6

/** A queue whose busy time the watch reads: server-ns of work done since its statistics were last reset. */
export interface BusyProbe {
  subject: string
  servers: number
  busyNs(now: number): number
}

/** How a queue the watch probes is named in its notable moments. */
const subject = {
  cores: (host: string): string => `${host} cores`,
  link: (host: string, nic: string, direction: 'tx' | 'rx'): string => `${host}/${nic} ${direction}`,
  /** A local disk is named by its key (build.ts `LocalDisk.key`). */
  localDisk: (host: string, disk: string): string => `${host}/${disk}`,
  backEnd: (array: string): string => `${array} back end`
}

/** The subjects of every queue the watch of the whole experiment probes, in the order `queueProbes` lists them. */
export function queueSubjects(exp: Experiment): string[] {
  const out: string[] = []
  for (const h of exp.hosts) {
    out.push(subject.cores(h.id))
    for (const n of h.nics) out.push(subject.link(h.id, n.id, 'tx'), subject.link(h.id, n.id, 'rx'))
  }
  for (const h of exp.hosts) for (const d of h.disks) out.push(subject.localDisk(h.id, d.id))
  for (const a of exp.arrays) out.push(subject.backEnd(a.id))
  return out
}

export function queueProbes(hosts: readonly HostRuntime[], disks: readonly LocalDisk[], arrays: readonly SanArray[]): BusyProbe[] {
  const probes: BusyProbe[] = []
  for (const h of hosts) {
    probes.push({
      subject: subject.cores(h.spec.id),
      servers: h.cpu.cores,
      // Work in progress charged up to now first (as closing a window does; it moves no event).
      busyNs: () => {
        h.cpu.flush()
        return h.cpu.vcpuNs + h.cpu.switchNs
      }
    })
    for (const [nic, link] of h.links) {
      probes.push({ subject: subject.link(h.spec.id, nic, 'tx'), servers: link.tx.servers, busyNs: () => link.tx.busyNs })
      probes.push({ subject: subject.link(h.spec.id, nic, 'rx'), servers: link.rx.servers, busyNs: () => link.rx.busyNs })
    }
  }
  for (const d of disks) probes.push({ subject: d.key, servers: d.station.servers, busyNs: () => d.station.busyNs })
  // An array's utilization is the mean of its spindles'; as busy time, in units of the whole back end.
  for (const a of arrays) probes.push({ subject: subject.backEnd(a.spec.id), servers: 1, busyNs: (now) => a.utilization() * (now - a.statsSince) })
  return probes
}

export class QueueWatch {
  private readonly last: Float64Array
  /** Busy time of the current window from before a reset of the statistics. */
  private readonly carried: Float64Array
  private readonly saturated: Uint8Array

  constructor(
    private readonly probes: readonly BusyProbe[],
    private readonly emit: (e: NotableEvent) => void
  ) {
    this.last = new Float64Array(probes.length)
    this.carried = new Float64Array(probes.length)
    this.saturated = new Uint8Array(probes.length)
  }

  /** To be called just before the queues' statistics are reset (the end of the warm-up): keeps this window's busy time so far. */
  beforeReset(now: number): void {
    this.probes.forEach((p, i) => {
      this.carried[i] = this.carried[i]! + p.busyNs(now) - this.last[i]!
      this.last[i] = 0
    })
  }

  /** Looks at the window that ends at `now` and lasted `spanNs`. */
  window(now: number, spanNs: number): void {
    if (spanNs <= 0) return
    this.probes.forEach((p, i) => {
      const busy = p.busyNs(now)
      const done = this.carried[i]! + busy - this.last[i]!
      this.carried[i] = 0
      this.last[i] = busy
      const u = done / (p.servers * spanNs)
      if (!this.saturated[i] && u >= SATURATED) {
        this.saturated[i] = 1
        this.emit({ t_ms: now / NS_PER_MS, kind: 'queue-saturated', subject: p.subject, value: Math.round(1000 * Math.min(u, 1)) / 10 })
      } else if (this.saturated[i] && u < RELIEVED) {
        this.saturated[i] = 0
        this.emit({ t_ms: now / NS_PER_MS, kind: 'queue-relieved', subject: p.subject, value: Math.round(1000 * u) / 10 })
      }
    })
  }
}
