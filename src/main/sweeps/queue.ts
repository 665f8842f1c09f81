/**
 * What travels through Redis between a sweep's coordinator and the
 * `hyperlab worker`s: one BullMQ job per point and replication (its document
 * as text, its seed), and the run it comes back with (the result, and the
 * samples and the arrays' samples gzipped). Both sides parse what they take out of Redis: another
 * machine is another process, and a boundary is a boundary.
 */
import { gunzipSync, gzipSync } from 'node:zlib'
import { Redis } from 'ioredis'
import { z } from 'zod'
import { errorMessage } from '../../shared/errors'
import { LIMITS } from '../../shared/limits'
import { arraySampleSchema, runResultSchema, sampleSchema, type ArraySample, type Sample } from '../../shared/result'

/** The queue every worker of a lab listens on, unless told another (`--queue`). */
export const DEFAULT_QUEUE = 'hyperlab-sweeps'

/** A job id per (sweep, point, replication): adding it twice adds it once. */
export function jobId(sweepId: string, point: number, replication: number): string {
  return `${sweepId}.${point}.${replication}`
}

export const pointJobSchema = z.strictObject({
  sweep_id: z.string().min(1).max(64),
  point: z.number().int().min(1),
  replication: z.number().int().min(1),
  seed: z.number().int().min(0).max(4_294_967_295),
  /** The point's experiment document; read by the worker like any experiment text. */
  experiment_text: z.string().max(LIMITS.textBytes)
})
export type PointJob = z.infer<typeof pointJobSchema>

export const pointReplySchema = z.strictObject({
  result: runResultSchema,
  /** The run's samples as JSON, gzipped, in base64. */
  samples_gz: z.string(),
  /** The SAN arrays' samples, packed alike; absent from a worker of a Hyperlab before they were sampled. */
  arrays_gz: z.string().optional(),
  /** Engine time on the worker, ms. */
  wall_ms: z.number(),
  /** host:pid of the worker that ran it. */
  worker: z.string()
})
export type PointReply = z.infer<typeof pointReplySchema>

export function packSamples(samples: readonly Sample[]): string {
  return gzipSync(JSON.stringify(samples)).toString('base64')
}

export function unpackSamples(packed: string): Sample[] {
  return z.array(sampleSchema).parse(JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8')))
}

export function packArraySamples(samples: readonly ArraySample[]): string {
  return gzipSync(JSON.stringify(samples)).toString('base64')
}

export function unpackArraySamples(packed: string): ArraySample[] {
  return z.array(arraySampleSchema).parse(JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8')))
}

/** A Redis URL as it may be shown: without its password. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return url
  }
}

/** Checks a `--redis` value: a redis:// or rediss:// URL; the reason when it is not. */
export function redisUrlProblem(url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return `"${url}" is not a URL; give one like redis://127.0.0.1:6379`
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return `"${shownUrl(url)}" is not a redis:// or rediss:// URL`
  return null
}

/** Connection options for BullMQ: workers block on Redis, so they must not give up on a slow command. */
export function connection(url: string, blocking: boolean): { url: string; maxRetriesPerRequest: number | null; connectTimeout: number } {
  return { url, maxRetriesPerRequest: blocking ? null : 20, connectTimeout: 5000 }
}

/**
 * Answers once whether Redis at `url` can be used, with the reason when not
 * (refused, no answer in time, a password asked). BullMQ's own connections
 * retry for ever, as they should once a sweep runs; this is asked first, so a
 * wrong URL is an error at once instead of a wait.
 */
export async function probeRedis(url: string, timeoutMs = 5000): Promise<void> {
  let last: Error | null = null
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false })
  client.on('error', (err: Error) => (last = err))
  try {
    await client.connect()
    await client.ping()
  } catch (err) {
    const why = last ? errorMessage(last) : errorMessage(err)
    throw new Error(`cannot use Redis at ${shownUrl(url)}: ${why}`)
  } finally {
    client.disconnect()
  }
}
