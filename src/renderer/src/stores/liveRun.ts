/**
 * The run started from the Run view and followed live: its record, progress,
 * whether it is paused, samples as chart columns (the VMs' and the SAN
 * arrays', appended per `run:samples` batch), and the summary once `run:ended` arrives.
 *
 * Events are broadcast to every window, so only those of this run are taken.
 * Events can also beat the `runs:start` reply (the run id is not known yet):
 * while a start is in flight they are held and replayed once the id is known.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useLabApi } from '../api'
import type { EventName, EventPayload, RunEvent as NotableRunEvent, RunPace, RunRecord, RunResult } from '../api/shared'
import { ArraySeries } from '../charts/arraySeries'
import { SampleSeries } from '../charts/sampleSeries'
import { describeError, type ShownError } from '../util/errors'
import { progressPercent } from '../util/progress'
import { useBuilderStore } from './builder'
import { useRunsStore } from './runs'

type RunEvent = Extract<EventName, `run:${string}`>
type HeldEvent = { [E in RunEvent]: { event: E; payload: EventPayload<E> } }[RunEvent]

/** Bound on events held while a start is in flight (a burst of batches from another window). */
const MAX_HELD = 10_000

export const useLiveRunStore = defineStore('liveRun', () => {
  const api = useLabApi()
  const library = useRunsStore()

  const run = ref<RunRecord | null>(null)
  /** 0…100. */
  const progress = ref(0)
  const simulatedS = ref(0)
  const series = shallowRef<SampleSeries | null>(null)
  /** The SAN arrays' samples, on the same windows; bumped with `version`. */
  const arrays = shallowRef<ArraySeries | null>(null)
  /** Bumped on every appended batch: charts call setData on it. */
  const version = ref(0)
  const result = ref<RunResult | null>(null)
  const starting = ref(false)
  const cancelling = ref(false)
  const paused = ref(false)
  /** A pause or resume call is in flight. */
  const toggling = ref(false)
  const error = ref<ShownError | null>(null)
  /** The experiment text the run was started with (the editor may change meanwhile). */
  const startedText = ref('')
  /** Notable events so far (VMs started, queues saturated, pauses), in time order. */
  const events = shallowRef<NotableRunEvent[]>([])

  /** Running, or queued for an engine slot: either way it can be cancelled, and the page follows it. */
  const running = computed(() => run.value?.status === 'running' || run.value?.status === 'queued')
  const queued = computed(() => run.value?.status === 'queued')
  const busy = computed(() => starting.value || running.value)

  let held: HeldEvent[] = []

  function take(runId: string, hold: () => HeldEvent): boolean {
    if (run.value?.id === runId) return true
    if (starting.value && held.length < MAX_HELD) held.push(hold())
    return false
  }

  function applyProgress(payload: EventPayload<'run:progress'>): void {
    progress.value = Math.max(progress.value, progressPercent(payload.progress))
    simulatedS.value = Math.max(simulatedS.value, payload.simulated_s)
  }

  function applySamples(payload: EventPayload<'run:samples'>): void {
    if (!series.value) series.value = new SampleSeries()
    series.value.append(payload.samples)
    if (payload.arrays) (arrays.value ??= new ArraySeries()).append(payload.arrays)
    version.value++
  }

  function applyEvents(payload: EventPayload<'run:events'>): void {
    events.value = [...events.value, ...payload.events].sort((a, b) => a.t_ms - b.t_ms)
  }

  function applyPaused(payload: EventPayload<'run:paused'>): void {
    paused.value = payload.paused
  }

  function applyStarted(payload: EventPayload<'run:started'>): void {
    if (run.value?.status === 'queued') run.value = payload.run
  }

  function applyEnded(payload: EventPayload<'run:ended'>): void {
    run.value = payload.run
    result.value = payload.result
    cancelling.value = false
    paused.value = false
    if (payload.run.status === 'done') {
      progress.value = 100
      if (payload.result) simulatedS.value = payload.result.sim.simulated_s
    }
    if (payload.run.status === 'failed') {
      error.value = { message: payload.run.error ?? 'The run failed.', issues: [] }
    }
  }

  function apply(held: HeldEvent): void {
    switch (held.event) {
      case 'run:progress':
        return applyProgress(held.payload)
      case 'run:samples':
        return applySamples(held.payload)
      case 'run:paused':
        return applyPaused(held.payload)
      case 'run:events':
        return applyEvents(held.payload)
      case 'run:started':
        return applyStarted(held.payload)
      case 'run:ended':
        return applyEnded(held.payload)
    }
  }

  api.on('run:progress', (payload) => {
    if (take(payload.run_id, () => ({ event: 'run:progress', payload }))) applyProgress(payload)
  })
  api.on('run:samples', (payload) => {
    if (take(payload.run_id, () => ({ event: 'run:samples', payload }))) applySamples(payload)
  })
  api.on('run:events', (payload) => {
    if (take(payload.run_id, () => ({ event: 'run:events', payload }))) applyEvents(payload)
  })
  api.on('run:paused', (payload) => {
    if (take(payload.run_id, () => ({ event: 'run:paused', payload }))) applyPaused(payload)
  })
  api.on('run:started', (payload) => {
    if (take(payload.run.id, () => ({ event: 'run:started', payload }))) applyStarted(payload)
  })
  api.on('run:ended', (payload) => {
    if (take(payload.run.id, () => ({ event: 'run:ended', payload }))) applyEnded(payload)
  })

  /**
   * Starts a run of `text`; `vms` (from validation) fixes the chart series order up front. With
   * `experimentId` the run belongs to that library experiment (its text becomes the current version).
   */
  async function start(
    text: string,
    seed: number | null,
    vms: readonly string[] = [],
    experimentId: string | null = null,
    pace: RunPace = 'max'
  ): Promise<void> {
    if (busy.value) return
    starting.value = true
    held = []
    run.value = null
    result.value = null
    error.value = null
    paused.value = false
    progress.value = 0
    simulatedS.value = 0
    events.value = []
    startedText.value = text
    series.value = new SampleSeries(vms)
    arrays.value = new ArraySeries()
    version.value++
    try {
      const record = await api.runs.start({ text, pace, ...(seed === null ? {} : { seed }), ...(experimentId === null ? {} : { experiment_id: experimentId }) })
      // An early run:ended may already be held; the reply's record must not overwrite it.
      run.value = record
      for (const event of held) {
        const id = event.event === 'run:ended' || event.event === 'run:started' ? event.payload.run.id : event.payload.run_id
        if (id === record.id) apply(event)
      }
      void library.refresh()
    } catch (e) {
      error.value = describeError(e)
      series.value = null
      arrays.value = null
      version.value++
    } finally {
      held = []
      starting.value = false
    }
  }

  /**
   * Starts a run of the experiment being built, as its library experiment when
   * it is one: the text run then is that experiment's current version.
   */
  async function startDraft(seed: number | null = null, pace: RunPace = 'max'): Promise<void> {
    const builder = useBuilderStore()
    builder.settle()
    const text = builder.text
    const id = builder.experimentId
    await start(text, seed, builder.vmIds, id, pace)
    if (id !== null && run.value?.experiment_id === id) builder.ranAsSaved(text)
  }

  async function cancel(): Promise<void> {
    const current = run.value
    if (!current || !running.value || cancelling.value) return
    cancelling.value = true
    try {
      const record = await api.runs.cancel({ run_id: current.id })
      if (run.value?.id === record.id && running.value) run.value = record
    } catch (e) {
      error.value = describeError(e)
    } finally {
      if (!running.value) cancelling.value = false
    }
  }

  /** Pauses a running run, or resumes a paused one. */
  async function togglePause(): Promise<void> {
    const current = run.value
    if (!current || current.status !== 'running' || toggling.value) return
    toggling.value = true
    try {
      const input = { run_id: current.id }
      const reply = paused.value ? await api.runs.resume(input) : await api.runs.pause(input)
      if (run.value?.id === reply.run_id && run.value.status === 'running') paused.value = reply.paused
    } catch (e) {
      error.value = describeError(e)
    } finally {
      toggling.value = false
    }
  }

  /** After a reconnect: events may have been missed, so read the run back from the store. */
  async function resync(): Promise<void> {
    const current = run.value
    if (!current) return
    try {
      const [detail, stored] = await Promise.all([api.runs.get({ run_id: current.id, samples: false }), api.runs.samples({ run_id: current.id })])
      if (run.value?.id !== current.id) return
      const fresh = new SampleSeries(series.value?.vms ?? [])
      fresh.appendSeries(stored)
      series.value = fresh
      arrays.value = ArraySeries.fromSeries(stored)
      version.value++
      run.value = detail.run
      result.value = detail.result
      progress.value = detail.run.status === 'done' ? 100 : progressPercent(detail.run.progress)
      events.value = await api.runs.events({ run_id: current.id })
    } catch (e) {
      error.value = describeError(e)
    }
  }

  function clearError(): void {
    error.value = null
  }

  return {
    run,
    progress,
    simulatedS,
    series,
    arrays,
    version,
    result,
    starting,
    cancelling,
    paused,
    toggling,
    error,
    startedText,
    events,
    running,
    queued,
    busy,
    start,
    startDraft,
    cancel,
    togglePause,
    resync,
    clearError
  }
})
