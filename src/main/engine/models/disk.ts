/**
 * Service time of one physical disk (docs/model.md §6). A hard disk keeps the
 * position of its heads: a request that continues exactly where the previous
 * one from the same stream ended is served at media rate; anything else pays
 * a seek that grows with the square root of the distance (calibrated so that
 * random pairs average the datasheet seek) and a rotational delay uniform over
 * one revolution. So sequential streams stay cheap alone and pay seeks once
 * they interleave on one disk. Flash has a fixed access time per command and
 * several channels. A `custom` device draws its service time from the
 * experiment's distribution — the ground truth used to validate the queueing.
 */
import type { DiskSpec } from '../../../shared/catalog'
import type { Distribution } from '../../../shared/experiment/schema'
import { Sampler } from '../kernel/distributions'
import { streamOf, type RequestPool } from './requests'
import type { Rng } from '../kernel/rng'

const NS_PER_MS = 1e6
/** E[sqrt(|U1 − U2|)] for independent uniforms: the mean of the seek curve's shape. */
const MEAN_SQRT_DISTANCE = 8 / 15

export interface DiskModel {
  readonly servers: number
  /** Capacity, KB (Infinity for a custom device). */
  readonly capacityKb: number
  service(req: number): number
}

export class CatalogDisk implements DiskModel {
  readonly servers: number
  readonly capacityKb: number
  private head = 0
  private lastStream = -1
  private readonly seekScale: number
  private readonly readSpread: Sampler | null
  private readonly writeSpread: Sampler | null

  constructor(
    private readonly spec: DiskSpec,
    private readonly requests: RequestPool,
    private readonly rng: Rng
  ) {
    this.servers = spec.servers
    this.capacityKb = spec.capacityGb * 1024 * 1024
    this.seekScale = Math.max(0, spec.seekMs - spec.trackSeekMs) / MEAN_SQRT_DISTANCE
    this.readSpread = spec.readCv > 0 ? Sampler.lognormal(1, spec.readCv) : null
    this.writeSpread = spec.writeCv > 0 ? Sampler.lognormal(1, spec.writeCv) : null
  }

  service(req: number): number {
    const r = this.requests
    const spec = this.spec
    const kb = r.kb[req]!
    const write = r.write[req] === 1
    const transferMs = (kb / 1024 / (write ? spec.writeMBs : spec.transferMBs)) * 1000
    let ms = (write ? spec.writeAccessMs : spec.accessMs) + transferMs
    const cv = write ? spec.writeCv : spec.readCv
    // Flash: a command's time spreads around its mean (mean kept: lognormal of mean 1).
    if (cv > 0) ms *= (write ? this.writeSpread : this.readSpread)!.sample(this.rng)
    if (spec.kind === 'hdd') {
      const pos = r.pos[req]!
      const stream = streamOf(r, req)
      const continues = stream === this.lastStream && Math.abs(pos - this.head) < 1e-9
      if (!continues) {
        const d = Math.abs(pos - this.head)
        ms += spec.trackSeekMs + this.seekScale * Math.sqrt(d) + this.rng.next() * spec.rotationMs
      }
      this.head = pos + kb / this.capacityKb
      this.lastStream = stream
    }
    const extraWrites = r.extraWrites[req]!
    if (extraWrites > 0 || r.extraKb[req]! > 0) {
      // A virtual-disk layer's allocation: its zeros stream after the data; each metadata write lands elsewhere
      // on the device (a seek and half a revolution on average for a disk, a write command for flash).
      ms += (r.extraKb[req]! / 1024 / spec.writeMBs) * 1000
      ms += extraWrites * (spec.writeAccessMs + (spec.kind === 'hdd' ? spec.seekMs + spec.rotationMs / 2 : 0))
      this.lastStream = -1
    }
    return ms * NS_PER_MS
  }
}

export class CustomDisk implements DiskModel {
  readonly capacityKb = Infinity
  private readonly sampler: Sampler

  constructor(
    readonly servers: number,
    dist: Distribution,
    private readonly requests: RequestPool,
    private readonly rng: Rng
  ) {
    this.sampler = Sampler.fromMs(dist)
  }

  service(req: number): number {
    const r = this.requests
    // An allocation's zero fill and metadata writes are further commands at the device's own service time.
    const commands = 1 + r.extraWrites[req]! + (r.extraKb[req]! > 0 ? 1 : 0)
    let ns = 0
    for (let i = 0; i < commands; i++) ns += this.sampler.sample(this.rng)
    return ns
  }
}
