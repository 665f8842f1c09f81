/**
 * A growable ring buffer of integers, open at both ends: the FIFO of every
 * queue in the engine (ready vCPUs, requests waiting for a server or a slot).
 * Its capacity is a power of two so positions wrap with a mask.
 */
export class Deque {
  private buf = new Int32Array(16)
  private head = 0
  length = 0

  pushBack(v: number): void {
    if (this.length === this.buf.length) this.grow()
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = v
    this.length++
  }

  pushFront(v: number): void {
    if (this.length === this.buf.length) this.grow()
    this.head = (this.head - 1) & (this.buf.length - 1)
    this.buf[this.head] = v
    this.length++
  }

  popFront(): number {
    const v = this.buf[this.head]!
    this.head = (this.head + 1) & (this.buf.length - 1)
    this.length--
    return v
  }

  /** Whether `v` is queued (a scan: for rare checks such as a vCPU leaving a host, never on the per-event path). */
  includes(v: number): boolean {
    for (let i = 0; i < this.length; i++) if (this.buf[(this.head + i) & (this.buf.length - 1)] === v) return true
    return false
  }

  private grow(): void {
    const b = new Int32Array(this.buf.length * 2)
    for (let i = 0; i < this.length; i++) b[i] = this.buf[(this.head + i) & (this.buf.length - 1)]!
    this.buf = b
    this.head = 0
  }
}
