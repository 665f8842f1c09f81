/** What the app says about itself (`app:info`). Which view shows is the router's. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useLabApi } from '../api'
import type { CommandOutput } from '../api/shared'
import { describeError } from '../util/errors'

export type AppInfo = CommandOutput<'app:info'>

export const useAppStore = defineStore('app', () => {
  const api = useLabApi()
  const info = ref<AppInfo | null>(null)
  const infoError = ref<string | null>(null)

  async function loadInfo(): Promise<void> {
    try {
      info.value = await api.app.info({})
      infoError.value = null
    } catch (error) {
      infoError.value = describeError(error).message
    }
  }

  return { info, infoError, loadInfo }
})
