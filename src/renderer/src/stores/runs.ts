/**
 * The run library: past runs (`runs:list`), kept fresh as runs end, and the
 * one run reopened from it (`runs:get`) with its stored samples (the VMs'
 * and the SAN arrays') as chart columns. A finished run can be re-simulated from its stored experiment and
 * seed (`runs:verify`): the same version must give the same checksum.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useLabApi } from '../api'
import type { CommandOutput, RunRecord, RunResult } from '../api/shared'
import { ArraySeries } from '../charts/arraySeries'
import { SampleSeries } from '../charts/sampleSeries'
import { describeError } from '../util/errors'

export interface OpenedRun {
  run: RunRecord
  experimentText: string
  /** Width of merged sample buckets for a long run, ms; null when every window is shown. */
  bucketMs: number | null
  result: RunResult | null
  series: SampleSeries
  /** The SAN arrays' samples in the same buckets (none for a run stored before they were recorded). */
  arrays: ArraySeries
}

export type Verification = CommandOutput<'runs:verify'>

const LIST_LIMIT = 500
/** Points per VM of a reopened run's charts: about a wide chart's pixels. */
const CHART_POINTS = 1000

export const useRunsStore = defineStore('runs', () => {
  const api = useLabApi()

  const runs = ref<RunRecord[]>([])
  const loading = ref(false)
  const listError = ref<string | null>(null)

  const opened = shallowRef<OpenedRun | null>(null)
  /** Bumped when `opened` is replaced, for the charts. */
  const openedVersion = ref(0)
  const openingId = ref<string | null>(null)
  const openError = ref<string | null>(null)

  /** Verification of the opened run. */
  const verification = ref<Verification | null>(null)
  const verifyError = ref<string | null>(null)
  /**
   * The run whose re-simulation is in flight, whichever run is open now: one
   * check at a time, and switching runs mid-check neither forgets it nor
   * allows a second.
   */
  const checkingRunId = ref<string | null>(null)
  /** The opened run is being checked. */
  const verifying = computed(() => checkingRunId.value !== null && checkingRunId.value === opened.value?.run.id)
  /** Some run is being checked (so no other check may start). */
  const checkBusy = computed(() => checkingRunId.value !== null)

  let listSequence = 0

  async function refresh(): Promise<void> {
    const mine = ++listSequence
    loading.value = true
    try {
      const list = await api.runs.list({ limit: LIST_LIMIT })
      if (mine !== listSequence) return
      runs.value = list
      listError.value = null
    } catch (error) {
      if (mine === listSequence) listError.value = describeError(error).message
    } finally {
      if (mine === listSequence) loading.value = false
    }
  }

  function clearVerification(): void {
    verification.value = null
    verifyError.value = null
  }

  async function open(runId: string): Promise<void> {
    if (opened.value?.run.id !== runId) clearVerification()
    openingId.value = runId
    openError.value = null
    try {
      // The record and summary, and the samples as columns at a wide chart's width (1,000 points per VM).
      const [detail, stored] = await Promise.all([api.runs.get({ run_id: runId, samples: false }), api.runs.samples({ run_id: runId, max_points: CHART_POINTS })])
      if (openingId.value !== runId) return
      // VM order of the summary when there is one, else order of appearance.
      const series = new SampleSeries(detail.result ? Object.keys(detail.result.vms) : [])
      series.appendSeries(stored)
      opened.value = {
        run: detail.run,
        experimentText: detail.experiment_text,
        result: detail.result,
        series,
        arrays: ArraySeries.fromSeries(stored),
        bucketMs: stored.bucket_ms
      }
      openedVersion.value++
    } catch (error) {
      if (openingId.value === runId) openError.value = describeError(error).message
    } finally {
      if (openingId.value === runId) openingId.value = null
    }
  }

  async function verify(): Promise<void> {
    const runId = opened.value?.run.id
    if (!runId || checkingRunId.value !== null) return
    checkingRunId.value = runId
    verification.value = null
    verifyError.value = null
    try {
      const reply = await api.runs.verify({ run_id: runId })
      if (opened.value?.run.id === runId) verification.value = reply
    } catch (error) {
      if (opened.value?.run.id === runId) verifyError.value = describeError(error).message
    } finally {
      checkingRunId.value = null
    }
  }

  function close(): void {
    clearVerification()
    opened.value = null
    openingId.value = null
    openError.value = null
  }

  api.on('run:progress', (event) => {
    const index = runs.value.findIndex((r) => r.id === event.run_id)
    const current = runs.value[index]
    if (current) runs.value[index] = { ...current, progress: event.progress }
  })

  // A reopened run that is still running keeps filling its charts.
  api.on('run:samples', (event) => {
    const current = opened.value
    // Merged history and raw live windows do not mix; the run reloads when it ends.
    if (current?.run.id !== event.run_id || openingId.value !== null || current.bucketMs !== null) return
    current.series.append(event.samples)
    if (event.arrays) current.arrays.append(event.arrays)
    openedVersion.value++
  })

  api.on('run:ended', (event) => {
    void refresh()
    if (opened.value?.run.id === event.run.id) void open(event.run.id)
  })

  return {
    runs,
    loading,
    listError,
    opened,
    openedVersion,
    openingId,
    openError,
    verification,
    verifying,
    checkBusy,
    verifyError,
    refresh,
    open,
    verify,
    close
  }
})
