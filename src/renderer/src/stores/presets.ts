/**
 * The presets: the example experiments bundled with the lab
 * (resources/examples, `examples:list`), each a real file with its name and
 * description. The gallery draws each one's topology from its text.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useLabApi } from '../api'
import type { CommandOutput } from '../api/shared'
import { describeError } from '../util/errors'

export type Preset = CommandOutput<'examples:list'>[number]

export const usePresetsStore = defineStore('presets', () => {
  const api = useLabApi()
  const presets = ref<Preset[]>([])
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<string | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    try {
      presets.value = await api.examples.list({})
      error.value = null
      loaded.value = true
    } catch (e) {
      error.value = describeError(e).message
    } finally {
      loading.value = false
    }
  }

  return { presets, loading, loaded, error, load }
})
