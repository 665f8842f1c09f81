/**
 * Sweeps in the app: the list (`sweeps:list`), the sweep opened from it
 * (`sweeps:get` for the VM chosen), what its chart shows (metric, parameter
 * on the x axis), and starting, cancelling and resuming. Kept fresh by
 * `sweep:progress` and `sweep:ended`; the opened sweep is read again at most
 * every half second while its runs come in.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useLabApi } from '../api'
import type { SweepDetail, SweepMetric, SweepRecord } from '../api/shared'
import { describeError, type ShownError } from '../util/errors'

const LIST_LIMIT = 200
const RELOAD_EVERY_MS = 500

export const useSweepsStore = defineStore('sweeps', () => {
  const api = useLabApi()

  const sweeps = ref<SweepRecord[]>([])
  const listError = ref<string | null>(null)
  const detail = shallowRef<SweepDetail | null>(null)
  const openingId = ref<string | null>(null)
  const openError = ref<string | null>(null)
  const vm = ref<string | null>(null)
  const metric = ref<SweepMetric>('throughput_ops_s')
  /** Index of the parameter on the chart's x axis. */
  const xParameter = ref(0)
  const starting = ref(false)
  const acting = ref<'cancel' | 'resume' | null>(null)
  const error = ref<ShownError | null>(null)

  const openedId = computed(() => detail.value?.sweep.id ?? null)

  async function refresh(): Promise<void> {
    try {
      sweeps.value = await api.sweeps.list({ limit: LIST_LIMIT })
      listError.value = null
    } catch (e) {
      listError.value = describeError(e).message
    }
  }

  async function open(sweepId: string): Promise<void> {
    if (openedId.value !== sweepId) {
      vm.value = null
      xParameter.value = 0
      error.value = null
    }
    openingId.value = sweepId
    openError.value = null
    try {
      const reply = await api.sweeps.get(vm.value === null ? { sweep_id: sweepId } : { sweep_id: sweepId, vm: vm.value })
      if (openingId.value !== sweepId) return
      detail.value = reply
      vm.value = reply.vm
      if (xParameter.value >= reply.parameters.length) xParameter.value = 0
    } catch (e) {
      if (openingId.value === sweepId) openError.value = describeError(e).message
    } finally {
      if (openingId.value === sweepId) openingId.value = null
    }
  }

  function chooseVm(id: string): void {
    vm.value = id
    if (openedId.value) void open(openedId.value)
  }

  /** Records and starts a sweep of `text`, then opens it. */
  async function start(text: string): Promise<SweepRecord | null> {
    if (starting.value) return null
    starting.value = true
    error.value = null
    try {
      const record = await api.sweeps.start({ text })
      await refresh()
      await open(record.id)
      return record
    } catch (e) {
      error.value = describeError(e)
      return null
    } finally {
      starting.value = false
    }
  }

  async function act(kind: 'cancel' | 'resume'): Promise<void> {
    const id = openedId.value
    if (!id || acting.value) return
    acting.value = kind
    error.value = null
    try {
      await (kind === 'cancel' ? api.sweeps.cancel({ sweep_id: id }) : api.sweeps.resume({ sweep_id: id }))
      await Promise.all([refresh(), open(id)])
    } catch (e) {
      error.value = describeError(e)
    } finally {
      acting.value = null
    }
  }

  function close(): void {
    detail.value = null
    openingId.value = null
    openError.value = null
  }

  let reloadTimer: ReturnType<typeof setTimeout> | null = null
  function reloadSoon(sweepId: string): void {
    if (reloadTimer !== null || openedId.value !== sweepId) return
    reloadTimer = setTimeout(() => {
      reloadTimer = null
      if (openedId.value === sweepId) void open(sweepId)
    }, RELOAD_EVERY_MS)
  }

  function applyRecord(record: SweepRecord): void {
    const i = sweeps.value.findIndex((s) => s.id === record.id)
    if (i >= 0) sweeps.value[i] = record
    else void refresh()
  }

  api.on('sweep:progress', ({ sweep }) => {
    applyRecord(sweep)
    reloadSoon(sweep.id)
  })
  api.on('sweep:ended', ({ sweep }) => {
    applyRecord(sweep)
    if (openedId.value === sweep.id) void open(sweep.id)
  })

  return {
    sweeps,
    listError,
    detail,
    openedId,
    openingId,
    openError,
    vm,
    metric,
    xParameter,
    starting,
    acting,
    error,
    refresh,
    open,
    chooseVm,
    start,
    cancel: () => act('cancel'),
    resume: () => act('resume'),
    close
  }
})
