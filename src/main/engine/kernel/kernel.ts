/**
 * The discrete-event kernel: a clock in nanoseconds (`SimTime`) and a queue of
 * pending events ordered by (time, priority, sequence), so that events at the
 * same time run by priority (lower first) and then in the order they were
 * scheduled — ties are deterministic.
 *
 * Built for speed: the queue is a binary heap laid out in parallel typed
 * arrays (time, priority, sequence, handler id, payload); handlers are
 * registered once and called with the payload number, so nothing is allocated
 * per event. There is no cancel; a model that may supersede an event remembers the
 * sequence number `schedule` returned and ignores the event when
 * `currentSequence` differs (lazy cancellation).
 */
import { grown } from './grow'

/** Simulated time, nanoseconds since the start of the run (float64). */
export type SimTime = number

/** Called when an event fires, with the number it was scheduled with. */
export type Handler = (payload: number) => void

const INITIAL_CAPACITY = 1024

export class Simulator {
  /** Current simulated time, ns. */
  now: SimTime = 0
  /** Events processed so far. */
  processed = 0
  /** Sequence number of the event being processed (-1 outside any event). */
  currentSequence = -1

  private handlers: Handler[] = []
  private capacity = INITIAL_CAPACITY
  // The heap itself: entry i's fields live at index i of each array, so a move copies five numbers
  // and comparisons read one array (time) unless two times tie.
  private heapTime = new Float64Array(INITIAL_CAPACITY)
  private heapPriority = new Int32Array(INITIAL_CAPACITY)
  private heapSequence = new Float64Array(INITIAL_CAPACITY)
  private heapHandler = new Int32Array(INITIAL_CAPACITY)
  private heapPayload = new Float64Array(INITIAL_CAPACITY)
  private size = 0
  private nextSequence = 0
  private stopped = false

  /** Registers a handler once; events name it by the returned id. */
  register(handler: Handler): number {
    this.handlers.push(handler)
    return this.handlers.length - 1
  }

  /** Pending events. */
  get pending(): number {
    return this.size
  }

  /** Schedules `handler(payload)` after `delay` ns; returns the event's sequence number. */
  schedule(delay: SimTime, handler: number, payload = 0, priority = 0): number {
    if (!(delay >= 0)) throw new Error(`cannot schedule an event ${delay} ns in the past`)
    return this.insert(this.now + delay, handler, payload, priority)
  }

  /** Schedules `handler(payload)` at absolute time `time` (not before now). */
  scheduleAt(time: SimTime, handler: number, payload = 0, priority = 0): number {
    if (!(time >= this.now)) throw new Error(`cannot schedule an event at ${time} ns, before now (${this.now} ns)`)
    return this.insert(time, handler, payload, priority)
  }

  /** Ends the simulation after the running event: `run` returns and will run nothing more. */
  stop(): void {
    this.stopped = true
  }

  /** Whether `stop` was called. */
  get isStopped(): boolean {
    return this.stopped
  }

  /** Time of the next event, or Infinity when none is pending. */
  peek(): SimTime {
    return this.size > 0 ? this.heapTime[0]! : Infinity
  }

  /** Processes the next event; false when none is pending. */
  step(): boolean {
    return this.run(Infinity, 1) === 1
  }

  /**
   * Processes events whose time is before `until`, at most `maxEvents` of
   * them; returns how many ran. When it stops because the next event is at or
   * after `until` (or none is left), the clock moves to `until` (if finite):
   * events at exactly `until` stay pending, as in SimPy.
   *
   * Invariants of the loop:
   *  1. The heap holds exactly the pending events; its root is the least by
   *     (time, priority, sequence).
   *  2. `now` never decreases: an event is popped only if its time ≥ now,
   *     because scheduling in the past is refused.
   *  3. Before a handler runs, `now` equals its event's time and the event is
   *     already out of the heap, so the handler may schedule freely.
   *  4. Events at the same time run in priority order, then in the order they
   *     were scheduled (sequence numbers strictly increase).
   */
  run(until: SimTime = Infinity, maxEvents = Infinity): number {
    let count = 0
    const handlers = this.handlers
    while (count < maxEvents && this.size > 0 && !this.stopped) {
      const t = this.heapTime[0]!
      if (t >= until) break
      this.now = t
      this.currentSequence = this.heapSequence[0]!
      const h = this.heapHandler[0]!
      const payload = this.heapPayload[0]!
      this.popRoot()
      count++
      handlers[h]!(payload)
    }
    this.processed += count
    this.currentSequence = -1
    if (!this.stopped && count < maxEvents && until !== Infinity && this.now < until && (this.size === 0 || this.heapTime[0]! >= until)) {
      this.now = until
    }
    return count
  }

  private insert(time: SimTime, handler: number, payload: number, priority: number): number {
    if (this.size === this.capacity) this.grow()
    const seq = this.nextSequence++
    const ht = this.heapTime
    const hp = this.heapPriority
    const hs = this.heapSequence
    const hh = this.heapHandler
    const hv = this.heapPayload
    // Sift up with a hole: move parents down until the new entry's place is found.
    let i = this.size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      const pt = ht[parent]!
      // The new entry has the largest sequence, so on a full tie it stays below its parent.
      if (pt < time || (pt === time && hp[parent]! <= priority)) break
      ht[i] = pt
      hp[i] = hp[parent]!
      hs[i] = hs[parent]!
      hh[i] = hh[parent]!
      hv[i] = hv[parent]!
      i = parent
    }
    ht[i] = time
    hp[i] = priority
    hs[i] = seq
    hh[i] = handler
    hv[i] = payload
    return seq
  }

  /** Removes the root: the last entry sinks from the root to its place. */
  private popRoot(): void {
    const n = --this.size
    if (n === 0) return
    const ht = this.heapTime
    const hp = this.heapPriority
    const hs = this.heapSequence
    const hh = this.heapHandler
    const hv = this.heapPayload
    const time = ht[n]!
    const prio = hp[n]!
    const seq = hs[n]!
    const handler = hh[n]!
    const payload = hv[n]!
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      let ct = ht[child]!
      const right = child + 1
      if (right < n) {
        const rt = ht[right]!
        if (rt < ct || (rt === ct && before(hp, hs, right, child))) {
          child = right
          ct = rt
        }
      }
      if (time < ct || (time === ct && (prio < hp[child]! || (prio === hp[child]! && seq < hs[child]!)))) break
      ht[i] = ct
      hp[i] = hp[child]!
      hs[i] = hs[child]!
      hh[i] = hh[child]!
      hv[i] = hv[child]!
      i = child
    }
    ht[i] = time
    hp[i] = prio
    hs[i] = seq
    hh[i] = handler
    hv[i] = payload
  }

  private grow(): void {
    const cap = this.capacity * 2
    this.heapTime = grown(this.heapTime, cap)
    this.heapPriority = grown(this.heapPriority, cap)
    this.heapSequence = grown(this.heapSequence, cap)
    this.heapHandler = grown(this.heapHandler, cap)
    this.heapPayload = grown(this.heapPayload, cap)
    this.capacity = cap
  }
}

/** Tie-break of two heap entries at the same time: priority, then sequence. */
function before(hp: Int32Array, hs: Float64Array, a: number, b: number): boolean {
  const pa = hp[a]!
  const pb = hp[b]!
  return pa < pb || (pa === pb && hs[a]! < hs[b]!)
}
