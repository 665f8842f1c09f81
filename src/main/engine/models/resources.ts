/**
 * The resources of a scenario that an operation can wait for or be served by:
 * a host's cores, a VM's own vCPUs (its run queue), a local disk, a link, an
 * HBA queue, a LUN queue, an array's back end, the fabric, a remote peer, a
 * cluster volume's coordinator and the cluster network that reaches it.
 * Each VM accumulates wait and service per resource, so queueing is reported
 * by resource and the explanation can name where the time went.
 */
export type ResourceKind = 'cores' | 'switch' | 'run-queue' | 'disk' | 'link' | 'hba' | 'lun' | 'array' | 'fabric' | 'peer' | 'coordinator' | 'cluster-network'

export interface Resource {
  kind: ResourceKind
  /** What a user reads, e.g. `h1/d0` or `eva/lun1`. */
  label: string
}

export class ResourceRegistry {
  readonly list: Resource[] = []
  private readonly byKey = new Map<string, number>()

  /** The index of a resource, registered on first use. */
  index(kind: ResourceKind, label: string): number {
    const key = `${kind}\u0000${label}`
    const known = this.byKey.get(key)
    if (known !== undefined) return known
    this.list.push({ kind, label })
    this.byKey.set(key, this.list.length - 1)
    return this.list.length - 1
  }
}
