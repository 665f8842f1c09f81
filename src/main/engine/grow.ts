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
