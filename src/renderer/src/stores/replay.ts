/**
 * Playback of a stored run over simulated time: a playhead that moves at
 * real time × 1, 10 or 100, or one stored window per frame ("as fast as
 * possible"), or where the scrubber or an event puts it. At each moment the
 * charts are cut at the playhead and the summary is the run's as it stood
 * then (`runs:summaryAt`, read from the store, nothing simulated), asked at
 * most 20 times a second with one request in flight. The run's notable
 * events (`runs:events`) come with it, for the event inspector.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useLabApi } from '../api'
import type { RunEvent, RunPace, SummaryAt } from '../api/shared'
import { describeError } from '../util/errors'

/** Summary requests at most this often while playing, ms (20 Hz). */
const SUMMARY_EVERY_MS = 50

export const useReplayStore = defineStore('replay', () => {
  const api = useLabApi()

  const runId = ref<string | null>(null)
  const durationMs = ref(0)
  /** One stored window (or merged bucket), ms: the step of "as fast as possible" and of the arrow keys. */
  const stepMs = ref(1000)
  /** null: not replaying (the whole run is shown with its stored summary). */
  const playheadMs = ref<number | null>(null)
  const playing = ref(false)
  const speed = ref<RunPace>(10)
  const summary = shallowRef<SummaryAt | null>(null)
  const events = shallowRef<RunEvent[]>([])
  const error = ref<string | null>(null)

  const active = computed(() => playheadMs.value !== null)
  const atEnd = computed(() => playheadMs.value !== null && playheadMs.value >= durationMs.value)

  let frame: number | null = null
  let lastFrame = 0
  let asking = false
  let lastAsked = 0
  let askedFor: number | null = null
  let pendingTimer: ReturnType<typeof setTimeout> | null = null

  /** Prepares for a run (its events are read at once); stops any playback of another. */
  async function load(id: string, duration: number, step: number): Promise<void> {
    if (runId.value === id) return
    stop()
    runId.value = id
    durationMs.value = duration
    stepMs.value = Math.max(1, step)
    playheadMs.value = null
    summary.value = null
    events.value = []
    error.value = null
    try {
      const list = await api.runs.events({ run_id: id })
      if (runId.value === id) events.value = list
    } catch (e) {
      if (runId.value === id) error.value = describeError(e).message
    }
  }

  function unload(): void {
    stop()
    runId.value = null
    playheadMs.value = null
    summary.value = null
    events.value = []
  }

  /** Asks the summary at the playhead, throttled; the newest playhead wins. */
  function askSummary(): void {
    const id = runId.value
    const at = playheadMs.value
    if (!id || at === null || asking) return
    const wait = SUMMARY_EVERY_MS - (performance.now() - lastAsked)
    if (wait > 0) {
      pendingTimer ??= setTimeout(() => {
        pendingTimer = null
        askSummary()
      }, wait)
      return
    }
    if (askedFor === at && summary.value?.t_ms === at) return
    asking = true
    askedFor = at
    lastAsked = performance.now()
    api.runs
      .summaryAt({ run_id: id, t_ms: at })
      .then((reply) => {
        if (runId.value === id) summary.value = reply
      })
      .catch((e: unknown) => {
        if (runId.value === id) error.value = describeError(e).message
      })
      .finally(() => {
        asking = false
        if (playheadMs.value !== null && playheadMs.value !== askedFor) askSummary()
      })
  }

  function seek(ms: number): void {
    if (!runId.value) return
    playheadMs.value = Math.min(durationMs.value, Math.max(0, ms))
    if (playheadMs.value >= durationMs.value) playing.value = false
    askSummary()
  }

  function tick(now: number): void {
    frame = null
    if (!playing.value || playheadMs.value === null) return
    const dt = Math.min(250, now - lastFrame)
    lastFrame = now
    const advance = speed.value === 'max' ? stepMs.value : dt * speed.value
    seek(playheadMs.value + advance)
    if (playing.value) frame = requestAnimationFrame(tick)
  }

  function play(): void {
    if (!runId.value) return
    if (playheadMs.value === null || atEnd.value) seek(0)
    playing.value = true
    lastFrame = performance.now()
    if (frame === null) frame = requestAnimationFrame(tick)
  }

  function pause(): void {
    playing.value = false
    if (frame !== null) cancelAnimationFrame(frame)
    frame = null
  }

  /** Stops playback and shows the whole run again. */
  function stop(): void {
    pause()
    if (pendingTimer !== null) clearTimeout(pendingTimer)
    pendingTimer = null
    playheadMs.value = null
    summary.value = null
  }

  return { runId, durationMs, stepMs, playheadMs, playing, speed, summary, events, error, active, atEnd, load, unload, seek, play, pause, stop }
})
