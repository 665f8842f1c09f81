/** What the app says about itself (`app:info`) and which view is showing. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useLabApi } from '../api'
import type { CommandOutput } from '../api/shared'
import { describeError } from '../util/errors'

export type AppInfo = CommandOutput<'app:info'>
export type ViewName = 'run' | 'runs' | 'sweeps' | 'catalog' | 'validation'

export const useAppStore = defineStore('app', () => {
  const api = useLabApi()
  const info = ref<AppInfo | null>(null)
  const infoError = ref<string | null>(null)
  const view = ref<ViewName>('run')

  async function loadInfo(): Promise<void> {
    try {
      info.value = await api.app.info({})
      infoError.value = null
    } catch (error) {
      infoError.value = describeError(error).message
    }
  }

  function show(name: ViewName): void {
    view.value = name
  }

  return { info, infoError, view, loadInfo, show }
})
