/** Replay of a stored run: the playhead's moves, and the summary asked at most 20 times a second with one request in flight. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { installLabApi } from '../../src/renderer/src/api'
import { useReplayStore } from '../../src/renderer/src/stores/replay'
import { fakeLab, settle } from './fakeLab'

describe('replay store', () => {
  let lab: ReturnType<typeof fakeLab>
  let frames: ((t: number) => void)[]
  let clock: number

  beforeEach(() => {
    lab = fakeLab()
    installLabApi(lab.api)
    setActivePinia(createPinia())
    frames = []
    clock = 1000
    vi.stubGlobal('requestAnimationFrame', (cb: (t: number) => void) => frames.push(cb))
    vi.stubGlobal('cancelAnimationFrame', () => {
      frames = []
    })
    vi.spyOn(performance, 'now').mockImplementation(() => clock)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
  })

  /** Runs the pending animation frame `ms` of wall time later. */
  function frame(ms: number): void {
    clock += ms
    const next = frames.shift()
    next?.(clock)
  }

  const summaryCalls = () => lab.calls.filter((c) => c.name === 'runs:summaryAt')

  async function loaded() {
    const replay = useReplayStore()
    const loading = replay.load('r1', 60_000, 1000)
    lab.calls.find((c) => c.name === 'runs:events')!.answer([{ t_ms: 500, kind: 'queue-saturated', subject: 'h1/d0', value: 99, text: 'h1/d0 saturated' }])
    await loading
    return replay
  }

  it('reads the run’s events and keeps the playhead within the run', async () => {
    const replay = await loaded()
    expect(replay.events).toHaveLength(1)
    expect(replay.active).toBe(false)
    replay.seek(-5)
    expect(replay.playheadMs).toBe(0)
    replay.seek(1e9)
    expect(replay.playheadMs).toBe(60_000)
    replay.stop()
    expect(replay.active).toBe(false)
  })

  it('plays at real time × its speed, and one stored window per frame as fast as possible', async () => {
    const replay = await loaded()
    replay.speed = 10
    replay.play()
    expect(replay.playheadMs).toBe(0)
    frame(100)
    expect(replay.playheadMs).toBe(1000)
    frame(50)
    expect(replay.playheadMs).toBe(1500)
    replay.speed = 'max'
    frame(3)
    expect(replay.playheadMs).toBe(2500)
    replay.pause()
    frame(100)
    expect(replay.playheadMs).toBe(2500)
  })

  it('stops at the end of the run', async () => {
    const replay = await loaded()
    replay.speed = 100
    replay.seek(59_000)
    replay.play()
    frame(100)
    expect(replay.playheadMs).toBe(60_000)
    expect(replay.playing).toBe(false)
    expect(replay.atEnd).toBe(true)
  })

  it('asks the summary with one request in flight, then once more for the newest moment', async () => {
    const replay = await loaded()
    replay.seek(10_000)
    expect(summaryCalls()).toHaveLength(1)
    clock += 100
    replay.seek(20_000)
    replay.seek(30_000)
    expect(summaryCalls()).toHaveLength(1)
    summaryCalls()[0]!.answer({ run_id: 'r1', t_ms: 10_000, period: { from_ms: 0, to_ms: 10_000, windows: 10 }, vms: {}, events: [], complete: false })
    await settle()
    expect(summaryCalls()).toHaveLength(2)
    expect((summaryCalls()[1]!.input as { t_ms: number }).t_ms).toBe(30_000)
    expect(replay.summary?.t_ms).toBe(10_000)
  })
})
