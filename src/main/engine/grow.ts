/**
 * Growing the parallel typed arrays that pools and queues keep their records
 * in: a copy into a larger array of the same kind. Growth is rare (doubling),
 * so the hot paths never allocate.
 */
type Growable = Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>

export function grown<T extends Growable>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity)
  b.set(a as ArrayLike<number>)
  return b
}

/**
 * Numbered records whose fields are the typed-array fields of the subclass,
 * one column each, with a free list of record ids. Growing takes every
 * typed-array field, so a column added later cannot be left short (a typed
 * array silently drops writes past its end).
 */
export abstract class RecordPool {
  private cap = 0
  private readonly free: number[] = []

  /** A free record id (its fields hold whatever its last owner left). */
  protected take(): number {
    if (this.free.length === 0) this.grow()
    return this.free.pop()!
  }

  release(id: number): void {
    this.free.push(id)
  }

  private grow(): void {
    const old = this.cap
    const cap = Math.max(256, old * 2)
    const fields = this as unknown as Record<string, unknown>
    for (const key of Object.keys(fields)) {
      const v = fields[key]
      if (ArrayBuffer.isView(v)) fields[key] = grown(v as Growable, cap)
    }
    // Lowest ids on top, so records are handed out in id order.
    for (let i = cap - 1; i >= old; i--) this.free.push(i)
    this.cap = cap
  }
}
