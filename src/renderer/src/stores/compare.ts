/**
 * The runs put side by side in the Compare view: the lab's comparison of
 * them (`runs:compare`: arms, per-VM deltas with intervals, what changed,
 * whether they share random streams), each run's record and summary (for
 * the breakdown bars and, for one run alone, its native baseline), and each
 * run's stored series for the overlaid charts. Nothing is simulated again.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { useLabApi } from '../api'
import type { Comparison, RunRecord, RunResult, RunSeries } from '../api/shared'
import { describeError } from '../util/errors'

export interface ComparedRunDetail {
  run: RunRecord
  result: RunResult | null
  series: RunSeries | null
}

/** Points per VM per run on the overlaid charts (about a chart's width). */
const CHART_POINTS = 600

export const useCompareStore = defineStore('compare', () => {
  const api = useLabApi()

  const runIds = ref<string[]>([])
  const comparison = shallowRef<Comparison | null>(null)
  const details = shallowRef<ComparedRunDetail[]>([])
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** Bumped whenever what is shown is replaced, for the charts. */
  const version = ref(0)

  let sequence = 0

  async function load(ids: readonly string[]): Promise<void> {
    const mine = ++sequence
    runIds.value = [...ids]
    comparison.value = null
    details.value = []
    error.value = null
    version.value++
    if (ids.length === 0) return
    loading.value = true
    try {
      const [compared, ...each] = await Promise.all([
        ids.length >= 2 ? api.runs.compare({ run_ids: [...ids] }) : Promise.resolve(null),
        ...ids.map(async (id): Promise<ComparedRunDetail> => {
          const [detail, series] = await Promise.all([
            api.runs.get({ run_id: id, samples: false }),
            api.runs.samples({ run_id: id, max_points: CHART_POINTS }).catch(() => null)
          ])
          return { run: detail.run, result: detail.result, series }
        })
      ])
      if (mine !== sequence) return
      comparison.value = compared
      details.value = each
      version.value++
    } catch (e) {
      if (mine === sequence) error.value = describeError(e).message
    } finally {
      if (mine === sequence) loading.value = false
    }
  }

  return { runIds, comparison, details, loading, error, version, load }
})
