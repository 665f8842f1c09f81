/**
 * The published cases as the lab reports them (`validation:run`): each with
 * its group (fitted or validation), literature value, band, the model's value
 * and source. Run on an engine thread the first time the view opens (seconds),
 * then kept; what the view shows (group filter, selected case) lives here so it
 * survives leaving it.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useLabApi } from '../api'
import type { ValidationReport } from '../api/shared'
import { describeError } from '../util/errors'

export type GroupFilter = 'all' | 'fitted' | 'validation'

export const useValidationStore = defineStore('validation', () => {
  const api = useLabApi()

  const report = shallowRef<ValidationReport | null>(null)
  const running = ref(false)
  const error = ref<string | null>(null)
  const done = ref(0)
  const total = ref(0)
  const group = ref<GroupFilter>('all')
  const selectedId = ref<string | null>(null)

  api.on('validation:progress', (p) => {
    done.value = p.done
    total.value = p.total
  })

  async function run(): Promise<void> {
    if (running.value) return
    running.value = true
    error.value = null
    done.value = 0
    try {
      report.value = await api.validation.run({})
    } catch (e) {
      error.value = describeError(e).message
    } finally {
      running.value = false
    }
  }

  /** Runs the cases unless they have run (or are running) already. */
  function ensure(): void {
    if (report.value === null && !running.value) void run()
  }

  const cases = computed(() => (report.value?.cases ?? []).filter((c) => group.value === 'all' || c.group === group.value))
  const counts = computed(() => {
    const all = report.value?.cases ?? []
    const of = (g: 'fitted' | 'validation') => all.filter((c) => c.group === g)
    return {
      fitted: { total: of('fitted').length, within: of('fitted').filter((c) => c.within).length },
      validation: { total: of('validation').length, within: of('validation').filter((c) => c.within).length }
    }
  })
  const selected = computed(() => cases.value.find((c) => c.id === selectedId.value) ?? cases.value[0] ?? null)

  function select(id: string): void {
    selectedId.value = id
  }

  return { report, running, error, done, total, group, selectedId, cases, counts, selected, run, ensure, select }
})
