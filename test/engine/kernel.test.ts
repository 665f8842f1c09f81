/**
 * The kernel as a spec: events run in (time, priority, sequence) order, the
 * clock only moves forward, and run(until) stops before `until` like SimPy.
 */
import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/engine'

/** A fresh simulator with one handler that logs each event's name and time; `at` schedules a named event. */
function logger() {
  const sim = new Simulator()
  const log: Array<[string, number]> = []
  const names: string[] = []
  const id = sim.register((p) => log.push([names[p]!, sim.now]))
  const at = (name: string, t: number, priority = 0): void => {
    names.push(name)
    sim.scheduleAt(t, id, names.length - 1, priority)
  }
  return { sim, log, at, id }
}

describe('Simulator', () => {
  it('runs events in time order', () => {
    const { sim, log, at } = logger()
    at('c', 30)
    at('a', 10)
    at('b', 20)
    sim.run()
    expect(log).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 30]
    ])
    expect(sim.now).toBe(30)
    expect(sim.processed).toBe(3)
  })

  it('breaks ties by priority, then by the order of scheduling', () => {
    const { sim, log, at } = logger()
    at('late-normal-1', 5)
    at('urgent', 5, -1)
    at('late-normal-2', 5)
    at('low', 5, 3)
    at('early', 1, 9)
    at('late-normal-3', 5)
    sim.run()
    expect(log.map(([n]) => n)).toEqual(['early', 'urgent', 'late-normal-1', 'late-normal-2', 'late-normal-3', 'low'])
  })

  it('keeps ties deterministic across many same-time events (heap reordering does not leak)', () => {
    const { sim, log, at } = logger()
    const expected: string[] = []
    // Interleave times and priorities so the heap reshuffles a lot.
    for (let i = 0; i < 200; i++) at(`e${i}`, (i * 7) % 5, (i * 3) % 4)
    const rows = Array.from({ length: 200 }, (_, i) => ({ name: `e${i}`, t: (i * 7) % 5, p: (i * 3) % 4, seq: i }))
    rows.sort((a, b) => a.t - b.t || a.p - b.p || a.seq - b.seq).forEach((r) => expected.push(r.name))
    sim.run()
    expect(log.map(([n]) => n)).toEqual(expected)
  })

  it('lets a handler schedule follow-ups, including at the current time', () => {
    const sim = new Simulator()
    const log: string[] = []
    const ping: number = sim.register((n) => {
      log.push(`ping${n}@${sim.now}`)
      if (n < 3) sim.schedule(n === 1 ? 0 : 2, ping, n + 1)
    })
    sim.schedule(1, ping, 1)
    sim.run()
    expect(log).toEqual(['ping1@1', 'ping2@1', 'ping3@3'])
  })

  it('run(until) processes events strictly before until, leaves the rest, and moves the clock to until', () => {
    const { sim, log, at } = logger()
    at('a', 1)
    at('b', 5)
    at('c', 7)
    expect(sim.run(5)).toBe(1)
    expect(log).toEqual([['a', 1]])
    expect(sim.now).toBe(5)
    expect(sim.pending).toBe(2)
    expect(sim.peek()).toBe(5)
    sim.run(6)
    expect(log.map(([n]) => n)).toEqual(['a', 'b'])
    expect(sim.now).toBe(6)
    sim.run(100)
    expect(sim.now).toBe(100)
    expect(sim.pending).toBe(0)
  })

  it('run(until, maxEvents) stops after maxEvents without moving the clock past the last event', () => {
    const { sim, log, at } = logger()
    for (let i = 1; i <= 5; i++) at(`e${i}`, i)
    expect(sim.run(100, 2)).toBe(2)
    expect(sim.now).toBe(2)
    expect(log.length).toBe(2)
    expect(sim.step()).toBe(true)
    expect(sim.now).toBe(3)
  })

  it('step returns false when nothing is pending', () => {
    const sim = new Simulator()
    expect(sim.step()).toBe(false)
    expect(sim.peek()).toBe(Infinity)
  })

  it('refuses to schedule in the past', () => {
    const { sim, at, id } = logger()
    at('a', 10)
    sim.run()
    expect(() => sim.scheduleAt(5, id, 0)).toThrow(/before now/)
    expect(() => sim.schedule(-1, id, 0)).toThrow(/past/)
    expect(() => sim.schedule(NaN, id, 0)).toThrow()
  })

  it('exposes the running event sequence so superseded events can be ignored (lazy cancel)', () => {
    const sim = new Simulator()
    const fired: number[] = []
    let live = -1
    const h = sim.register((p) => {
      if (sim.currentSequence !== live) return
      fired.push(p)
    })
    sim.schedule(10, h, 1)
    live = sim.schedule(20, h, 2) // supersedes the first
    sim.run()
    expect(fired).toEqual([2])
    expect(sim.currentSequence).toBe(-1)
  })

  it('grows past its initial capacity and still pops in order', () => {
    const sim = new Simulator()
    const out: number[] = []
    const h = sim.register((p) => out.push(p))
    const n = 5000
    for (let i = 0; i < n; i++) sim.schedule(((i * 7919) % n) + 0.5, h, (i * 7919) % n)
    sim.run()
    expect(out).toEqual(Array.from({ length: n }, (_, i) => i))
  })
})
