/**
 * The experiment library as the Library view shows it: the list searched,
 * filtered and sorted by the lab (`experiments:list` with its query and
 * facets), the experiment opened from it with its versions and runs, the
 * edits made to it (name, notes, tags), duplicates, imports and exports, and
 * deletes that can be undone until the app closes (`experiments:restore`).
 */
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef } from 'vue'
import { useLabApi } from '../api'
import type { CommandOutput, ExperimentList, ExperimentQuery, ExperimentSummary, LibraryExperiment, RunRecord } from '../api/shared'
import { decodeExperimentBytes, formatBytes, LIMITS } from '../api/shared'
import { describeError } from '../util/errors'
import { useBuilderStore } from './builder'

export type OpenedExperiment = CommandOutput<'experiments:get'>
export type SortKey = NonNullable<ExperimentQuery['sort']>
export type StatusFilter = NonNullable<ExperimentQuery['statuses']>[number]

/** A line under the toolbar: what an action did (with Undo after a delete), or why it failed. */
export interface LibraryNotice {
  kind: 'info' | 'error'
  text: string
  /** The experiment a delete removed, offered for undo. */
  undoId?: string
}

/** Search as the user types: the lab is asked once typing pauses this long. */
const SEARCH_DELAY_MS = 200

export const useLibraryStore = defineStore('library', () => {
  const api = useLabApi()

  /** The query the list follows. Dates are YYYY-MM-DD or empty. */
  const query = reactive({
    text: '',
    tags: [] as string[],
    hypervisors: [] as string[],
    statuses: [] as StatusFilter[],
    from: '',
    to: '',
    sort: 'activity' as SortKey,
    order: 'desc' as 'asc' | 'desc'
  })

  const list = shallowRef<ExperimentList>({ experiments: [], total: 0, facets: { tags: [], hypervisors: [] } })
  const deleted = ref<ExperimentSummary[]>([])
  const loading = ref(false)
  const listError = ref<string | null>(null)

  const opened = shallowRef<OpenedExperiment | null>(null)
  const openingId = ref<string | null>(null)
  const openError = ref<string | null>(null)
  const busy = ref(false)
  const notice = ref<LibraryNotice | null>(null)

  const filtered = computed(
    () => query.text.trim() !== '' || query.tags.length + query.hypervisors.length + query.statuses.length > 0 || query.from !== '' || query.to !== ''
  )

  function request(): ExperimentQuery {
    const q: ExperimentQuery = { sort: query.sort, order: query.order }
    if (query.text.trim() !== '') q.text = query.text.trim()
    if (query.tags.length > 0) q.tags = [...query.tags]
    if (query.hypervisors.length > 0) q.hypervisors = [...query.hypervisors]
    if (query.statuses.length > 0) q.statuses = [...query.statuses]
    if (query.from !== '') q.from = query.from
    if (query.to !== '') q.to = query.to
    return q
  }

  let sequence = 0
  async function refresh(): Promise<void> {
    const mine = ++sequence
    loading.value = true
    try {
      const [live, gone] = await Promise.all([api.experiments.list(request()), api.experiments.list({ deleted: true, sort: 'activity' })])
      if (mine !== sequence) return
      list.value = live
      deleted.value = gone.experiments
      listError.value = null
    } catch (error) {
      if (mine === sequence) listError.value = describeError(error).message
    } finally {
      if (mine === sequence) loading.value = false
    }
  }

  let searchTimer: ReturnType<typeof setTimeout> | null = null
  /** The query changed: ask again (typed text once typing pauses, any other change at once). */
  function queryChanged(typed = false): void {
    if (searchTimer !== null) clearTimeout(searchTimer)
    searchTimer = null
    if (typed) searchTimer = setTimeout(() => void refresh(), SEARCH_DELAY_MS)
    else void refresh()
  }

  /** Sorts by `key`: again on the same key reverses; a new key starts in its natural direction (names, statuses, hypervisors A to Z; dates and counts newest and most first). */
  function sortBy(key: SortKey): void {
    if (query.sort === key) query.order = query.order === 'asc' ? 'desc' : 'asc'
    else {
      query.sort = key
      query.order = key === 'name' || key === 'status' || key === 'hypervisor' ? 'asc' : 'desc'
    }
    queryChanged()
  }

  function clearFilters(): void {
    Object.assign(query, { text: '', tags: [], hypervisors: [], statuses: [], from: '', to: '' })
    queryChanged()
  }

  async function open(id: string): Promise<void> {
    openingId.value = id
    openError.value = null
    try {
      const detail = await api.experiments.get({ id })
      if (openingId.value !== id) return
      opened.value = detail
    } catch (error) {
      if (openingId.value === id) {
        opened.value = null
        openError.value = describeError(error).message
      }
    } finally {
      if (openingId.value === id) openingId.value = null
    }
  }

  function close(): void {
    opened.value = null
    openingId.value = null
    openError.value = null
  }

  /** Runs an action, then shows the experiment it returns and the list as it now is. */
  async function act<T>(what: string, action: () => Promise<T>, after: (result: T) => Promise<void> | void): Promise<T | null> {
    busy.value = true
    try {
      const result = await action()
      await after(result)
      return result
    } catch (error) {
      notice.value = { kind: 'error', text: `${what}: ${describeError(error).message}` }
      return null
    } finally {
      busy.value = false
    }
  }

  async function reopen(experiment: LibraryExperiment): Promise<void> {
    await Promise.all([open(experiment.id), refresh()])
  }

  async function update(id: string, change: { name?: string; notes?: string; tags?: string[] }, done: (name: string) => string, failed: string): Promise<boolean> {
    const saved = await act(failed, () => api.experiments.update({ id, ...change }), async (experiment) => {
      notice.value = { kind: 'info', text: done(experiment.name) }
      await reopen(experiment)
    })
    return saved !== null
  }

  const rename = (id: string, name: string) => update(id, { name }, (n) => `Renamed: “${n}”`, 'Could not rename')
  const setNotes = (id: string, notes: string) => update(id, { notes }, (n) => `Saved the notes of “${n}”`, 'Could not save the notes')
  const setTags = (id: string, tags: string[]) => update(id, { tags }, (n) => `Saved the tags of “${n}”`, 'Could not save the tags')

  async function duplicate(id: string): Promise<LibraryExperiment | null> {
    return act('Could not duplicate', () => api.experiments.duplicate({ id }), async (copy) => {
      notice.value = { kind: 'info', text: `Duplicated as “${copy.name}”` }
      await reopen(copy)
    })
  }

  async function remove(id: string): Promise<boolean> {
    const name = opened.value?.experiment.id === id ? opened.value.experiment.name : (list.value.experiments.find((e) => e.id === id)?.name ?? id)
    const done = await act(`Could not delete “${name}”`, () => api.experiments.delete({ id }), async (reply) => {
      if (opened.value?.experiment.id === id) close()
      useBuilderStore().detach(id, name)
      const runs = reply.runs > 0 ? ` and its ${reply.runs} run${reply.runs === 1 ? '' : 's'}` : ''
      notice.value = { kind: 'info', text: `Deleted “${name}”${runs}. It can be restored until Hyperlab closes.`, undoId: id }
      await refresh()
    })
    return done !== null
  }

  async function restore(id: string): Promise<LibraryExperiment | null> {
    return act('Could not restore', () => api.experiments.restore({ id }), async (experiment) => {
      notice.value = { kind: 'info', text: `Restored “${experiment.name}”` }
      await reopen(experiment)
    })
  }

  /** Reads experiment files into the library; each file's outcome is said, a bad one names its field. */
  async function importFiles(files: readonly File[]): Promise<LibraryExperiment | null> {
    const lines: string[] = []
    let failed = false
    let last: LibraryExperiment | null = null
    busy.value = true
    try {
      for (const file of files) {
        if (file.size > LIMITS.textBytes) {
          failed = true
          lines.push(`${file.name} is too large: ${formatBytes(file.size)}; an experiment file may be at most ${formatBytes(LIMITS.textBytes)}.`)
          continue
        }
        const decoded = decodeExperimentBytes(new Uint8Array(await file.arrayBuffer()))
        if (!decoded.ok) {
          failed = true
          lines.push(`${file.name}: ${decoded.message}.`)
          continue
        }
        try {
          const reply = await api.experiments.import({ text: decoded.text, file_name: file.name })
          last = reply.experiment
          lines.push(reply.created ? `Imported “${reply.experiment.name}” from ${file.name}.` : `${file.name} is already in the library as “${reply.experiment.name}”.`)
        } catch (error) {
          failed = true
          const shown = describeError(error)
          const issues = shown.issues.map((i) => `${i.path}: ${i.message}`)
          lines.push(`${file.name} was not imported: ${issues.length > 0 ? issues.join('; ') : shown.message}`)
        }
      }
    } finally {
      busy.value = false
    }
    notice.value = { kind: failed ? 'error' : 'info', text: lines.join(' ') }
    if (last) await reopen(last)
    else await refresh()
    return last
  }

  function exportFile(id: string, format: 'stored' | 'yaml' | 'json', version?: number): Promise<CommandOutput<'experiments:export'> | null> {
    return act('Could not export', () => api.experiments.export({ id, format, ...(version !== undefined ? { version } : {}) }), () => undefined)
  }

  function diff(id: string, from: number, to: number): Promise<CommandOutput<'experiments:diff'>> {
    return api.experiments.diff({ id, from, to })
  }

  function versionText(id: string, number: number): Promise<CommandOutput<'experiments:version'>> {
    return api.experiments.version({ id, number })
  }

  /** Runs of the opened experiment that ended well, for a comparison. */
  const comparableRuns = computed<RunRecord[]>(() => opened.value?.runs.filter((r) => r.status === 'done') ?? [])

  // A run that ends changes an experiment's runs, status and date.
  api.on('run:ended', (event) => {
    void refresh()
    if (opened.value && opened.value.experiment.id === event.run.experiment_id) void open(event.run.experiment_id)
  })

  return {
    query,
    list,
    deleted,
    loading,
    listError,
    filtered,
    opened,
    openingId,
    openError,
    busy,
    notice,
    comparableRuns,
    refresh,
    queryChanged,
    sortBy,
    clearFilters,
    open,
    close,
    rename,
    setNotes,
    setTags,
    duplicate,
    remove,
    restore,
    importFiles,
    exportFile,
    diff,
    versionText
  }
})
