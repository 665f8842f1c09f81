/**
 * Run ends the store could not write yet. When another process holds the
 * database's write lock (or the disk refuses a write) at the moment a run
 * ends, the end is kept in memory and in a small file beside the database,
 * `<db>-pending-<id>.json`, until it can be written: at the store's next
 * write, when it closes, or when any process next opens the database. So a
 * run that failed because the database was locked is remembered as failed
 * for that reason, instead of staying `running` and later turning into
 * "interrupted" with a generic one.
 */
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { runStatuses } from '../../shared/contract'

const FORMAT = 'hyperlab/pending-ends@1'

const endSchema = z.strictObject({
  run_id: z.string().min(1),
  status: z.enum(runStatuses).exclude(['running', 'queued']),
  ended_at: z.string(),
  wall_ms: z.number().nullable(),
  checksum: z.string().nullable(),
  result_json: z.string().nullable(),
  error: z.string().nullable()
})
export type PendingEnd = z.infer<typeof endSchema>

const fileSchema = z.strictObject({
  format: z.literal(FORMAT),
  /** The store that wrote the file (host:pid:id); a live owner writes its own ends. */
  owner: z.string(),
  ends: z.array(endSchema)
})

/** A sidecar another store left behind, read back and checked. */
export interface LeftoverEnds {
  file: string
  owner: string
  ends: PendingEnd[]
}

/** The ends one store holds back, mirrored to its own sidecar file. */
export class PendingEnds {
  private readonly ends = new Map<string, PendingEnd>()
  readonly file: string

  constructor(
    dbPath: string,
    private readonly owner: string
  ) {
    this.file = `${dbPath}-pending-${randomUUID()}.json`
  }

  get size(): number {
    return this.ends.size
  }

  get(runId: string): PendingEnd | undefined {
    return this.ends.get(runId)
  }

  all(): PendingEnd[] {
    return [...this.ends.values()]
  }

  /** Holds `end` back; false when the sidecar could not be written (it is then kept in memory only). */
  add(end: PendingEnd): boolean {
    this.ends.set(end.run_id, end)
    return this.save()
  }

  /** Forgets ends that are now in the database. */
  written(runIds: readonly string[]): void {
    for (const id of runIds) this.ends.delete(id)
    this.save()
  }

  private save(): boolean {
    try {
      if (this.ends.size === 0) {
        rmSync(this.file, { force: true })
        return true
      }
      // Written whole under another name, then renamed: a reader never sees half a file.
      const tmp = `${this.file}.tmp`
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, owner: this.owner, ends: this.all() }))
      renameSync(tmp, this.file)
      return true
    } catch {
      return false
    }
  }
}

/** Every sidecar left beside the database at `dbPath` that parses; unreadable ones are left alone. */
export function leftoverEnds(dbPath: string): LeftoverEnds[] {
  const prefix = `${basename(dbPath)}-pending-`
  let names: string[]
  try {
    names = readdirSync(dirname(dbPath)).filter((n) => n.startsWith(prefix) && n.endsWith('.json'))
  } catch {
    return []
  }
  const found: LeftoverEnds[] = []
  for (const name of names) {
    const file = join(dirname(dbPath), name)
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
      if (parsed.success) found.push({ file, owner: parsed.data.owner, ends: parsed.data.ends })
    } catch {
      // Being replaced right now, or not ours to read: try again at the next open.
    }
  }
  return found
}

export function removeLeftover(file: string): void {
  rmSync(file, { force: true })
}
