/**
 * The M/M/1 queue the kernel benchmark runs (λ = 0.9, μ = 1, so the mean
 * response time is 1/(μ − λ) = 10), written three ways on the same random
 * streams: on the engine's kernel through its public API, as a bare
 * binary-heap loop (the floor any kernel pays), and on the npm library
 * js-simulator. Each returns the mean response time and the wall-clock-free
 * count of model events (two per customer: arrival and departure).
 */
import { Rng, Simulator } from '../src/main/engine'
// js-simulator is CommonJS without types; see js-simulator.d.ts.
import jssim from 'js-simulator'

export const LAMBDA = 0.9
export const MU = 1

export interface Mm1Outcome {
  customers: number
  events: number
  meanResponse: number
}

/** A FIFO of arrival times (a ring that grows). */
class TimeFifo {
  private buf = new Float64Array(1024)
  private head = 0
  length = 0
  push(t: number): void {
    if (this.length === this.buf.length) {
      const b = new Float64Array(this.buf.length * 2)
      for (let i = 0; i < this.length; i++) b[i] = this.buf[(this.head + i) & (this.buf.length - 1)]!
      this.buf = b
      this.head = 0
    }
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = t
    this.length++
  }
  shift(): number {
    const t = this.buf[this.head]!
    this.head = (this.head + 1) & (this.buf.length - 1)
    this.length--
    return t
  }
}

/** M/M/1 on the engine's kernel: two handlers registered once, numbers as payloads. */
export function mm1Engine(customers: number, seed: number): Mm1Outcome {
  const sim = new Simulator()
  const arrivals = new Rng(seed, 'mm1:arrivals')
  const services = new Rng(seed, 'mm1:services')
  const fifo = new TimeFifo()
  let arrived = 0
  let served = 0
  let busy = false
  let sum = 0
  const meanA = 1 / LAMBDA
  const meanS = 1 / MU
  const DEPART = sim.register(() => {
    sum += sim.now - fifo.shift()
    served++
    if (fifo.length > 0) sim.schedule(services.exponential(meanS), DEPART)
    else busy = false
  })
  const ARRIVE = sim.register(() => {
    fifo.push(sim.now)
    if (!busy) {
      busy = true
      sim.schedule(services.exponential(meanS), DEPART)
    }
    if (++arrived < customers) sim.schedule(arrivals.exponential(meanA), ARRIVE)
  })
  sim.schedule(arrivals.exponential(meanA), ARRIVE)
  sim.run()
  return { customers: served, events: sim.processed, meanResponse: sum / served }
}

/** The same model as a bare loop over a binary heap of (time, kind): no priorities, no sequence numbers, no dispatch. */
export function mm1Bare(customers: number, seed: number): Mm1Outcome {
  const arrivals = new Rng(seed, 'mm1:arrivals')
  const services = new Rng(seed, 'mm1:services')
  let times = new Float64Array(16)
  let kinds = new Uint8Array(16)
  let n = 0
  const push = (t: number, k: number): void => {
    if (n === times.length) {
      const t2 = new Float64Array(n * 2)
      t2.set(times)
      times = t2
      const k2 = new Uint8Array(n * 2)
      k2.set(kinds)
      kinds = k2
    }
    let i = n++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (times[p]! <= t) break
      times[i] = times[p]!
      kinds[i] = kinds[p]!
      i = p
    }
    times[i] = t
    kinds[i] = k
  }
  const fifo = new TimeFifo()
  let arrived = 0
  let served = 0
  let busy = false
  let sum = 0
  let events = 0
  const meanA = 1 / LAMBDA
  const meanS = 1 / MU
  push(arrivals.exponential(meanA), 0)
  while (n > 0) {
    const now = times[0]!
    const kind = kinds[0]!
    const lt = times[--n]!
    const lk = kinds[n]!
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      if (c + 1 < n && times[c + 1]! < times[c]!) c++
      if (lt <= times[c]!) break
      times[i] = times[c]!
      kinds[i] = kinds[c]!
      i = c
    }
    times[i] = lt
    kinds[i] = lk
    events++
    if (kind === 0) {
      fifo.push(now)
      if (!busy) {
        busy = true
        push(now + services.exponential(meanS), 1)
      }
      if (++arrived < customers) push(now + arrivals.exponential(meanA), 0)
    } else {
      sum += now - fifo.shift()
      served++
      if (fifo.length > 0) push(now + services.exponential(meanS), 1)
      else busy = false
    }
  }
  return { customers: served, events, meanResponse: sum / served }
}

/** The same model on js-simulator (events are objects with an update method; ties are shuffled with Math.random). */
export function mm1JsSimulator(customers: number, seed: number): Mm1Outcome {
  const arrivals = new Rng(seed, 'mm1:arrivals')
  const services = new Rng(seed, 'mm1:services')
  const scheduler = new jssim.Scheduler()
  const fifo = new TimeFifo()
  let arrived = 0
  let served = 0
  let busy = false
  let sum = 0
  let events = 0
  const meanA = 1 / LAMBDA
  const meanS = 1 / MU
  const departure = new jssim.SimEvent(1)
  const arrival = new jssim.SimEvent(1)
  departure.update = function (): void {
    events++
    sum += scheduler.current_time - fifo.shift()
    served++
    if (fifo.length > 0) scheduler.scheduleOnceIn(departure, services.exponential(meanS))
    else busy = false
  }
  arrival.update = function (): void {
    events++
    fifo.push(scheduler.current_time)
    if (!busy) {
      busy = true
      scheduler.scheduleOnceIn(departure, services.exponential(meanS))
    }
    if (++arrived < customers) scheduler.scheduleOnceIn(arrival, arrivals.exponential(meanA))
  }
  scheduler.scheduleOnceIn(arrival, arrivals.exponential(meanA))
  while (scheduler.hasEvents()) scheduler.update()
  return { customers: served, events, meanResponse: sum / served }
}
