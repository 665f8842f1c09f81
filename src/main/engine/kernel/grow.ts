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
 * Grows every typed-array field of `pool` (its columns, one per record field)
 * to `capacity`: a column added later cannot be left short, where a typed
 * array would silently drop writes past its end. Only growth is shared: each
 * pool keeps its own free list and `alloc`, since a base class holding them
 * for both pools measured slower on the per-event path.
 */
export function growColumns(pool: object, capacity: number): void {
  const fields = pool as Record<string, unknown>
  for (const key of Object.keys(fields)) {
    const v = fields[key]
    if (ArrayBuffer.isView(v)) fields[key] = grown(v as Growable, capacity)
  }
}
