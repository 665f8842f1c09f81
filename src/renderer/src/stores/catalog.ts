/**
 * The catalog as the lab serves it (`catalog:get`): sections of entries, each
 * entry with its sources. Loaded on first view; what the Catalog view shows
 * (section, search, selected entry) is kept here so it survives leaving it.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { useLabApi } from '../api'
import type { CommandOutput } from '../api/shared'
import { describeError } from '../util/errors'

export type Catalog = CommandOutput<'catalog:get'>

export const useCatalogStore = defineStore('catalog', () => {
  const api = useLabApi()

  const catalog = shallowRef<Catalog | null>(null)
  const loading = ref(false)
  const loadError = ref<string | null>(null)

  const section = ref<string | null>(null)
  const query = ref('')
  /** Id of the selected entry within `section`. */
  const selectedId = ref<string | null>(null)

  async function load(force = false): Promise<void> {
    if (loading.value || (catalog.value !== null && !force)) return
    loading.value = true
    try {
      catalog.value = await api.catalog.get({})
      loadError.value = null
    } catch (error) {
      loadError.value = describeError(error).message
    } finally {
      loading.value = false
    }
  }

  function select(sectionName: string, id: string | null): void {
    section.value = sectionName
    selectedId.value = id
  }

  return { catalog, loading, loadError, section, query, selectedId, load, select }
})
