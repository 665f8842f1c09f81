/**
 * The library's use cases: keep, find, rename, tag, annotate, duplicate,
 * delete and restore experiments; read their versions and what changed
 * between two; import and export experiment files. Every text that enters
 * the library is read and checked on the reader's thread first.
 */
import { structuredPatch } from 'diff'
import type { Handlers } from '../../shared/contract'
import { LabError } from '../../shared/errors'
import type { Experiment as ExperimentFileValue } from '../../shared/experiment'
import { LIMITS } from '../../shared/limits'
import { printable } from '../../shared/printable'
import type { ExperimentReader } from '../reading/reader'
import { experimentNotFound } from '../store/errors'
import { distinct } from '../store/hypervisors'
import type { Store } from '../store/store'
import { exportFile, renamedText } from './files'
import { requireExperiment } from './checked'

type LibraryCalls =
  | 'experiments:save'
  | 'experiments:list'
  | 'experiments:get'
  | 'experiments:update'
  | 'experiments:duplicate'
  | 'experiments:delete'
  | 'experiments:restore'
  | 'experiments:version'
  | 'experiments:diff'
  | 'experiments:import'
  | 'experiments:export'

export interface LibraryDeps {
  store: Store
  reader: ExperimentReader
}

/** The hypervisor catalog ids an experiment's hosts run, each once. */
export function hypervisorsOf(experiment: ExperimentFileValue): string[] {
  return distinct(experiment.hosts.map((h) => h.hypervisor))
}

/** A name for a copy of `name` that no live experiment has: "NAME (copy)", then "NAME (copy 2)" … */
function copyName(store: Store, name: string): string {
  const taken = new Set(store.listExperiments().experiments.map((e) => e.name))
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? ' (copy)' : ` (copy ${n})`
    const candidate = name.slice(0, LIMITS.nameChars - suffix.length) + suffix
    if (!taken.has(candidate)) return candidate
  }
}

export function libraryHandlers({ store, reader }: LibraryDeps): Pick<Handlers, LibraryCalls> {
  const live = (id: string) => store.getExperiment(id) ?? (() => { throw experimentNotFound(id) })()

  /** `text` renamed to `name`, checked as any text entering the library is. */
  const renamed = async (text: string, name: string) => {
    const next = renamedText(text, name)
    return { text: next, experiment: await requireExperiment(reader, next) }
  }

  return {
    'experiments:save': async ({ text, id }) => {
      const experiment = await requireExperiment(reader, text)
      if (id !== undefined) live(id)
      return store.saveExperiment(text, experiment.name, { hypervisors: hypervisorsOf(experiment), ...(id !== undefined ? { id } : {}) })
    },

    'experiments:list': (query) => store.listExperiments(query),

    'experiments:get': ({ id }) => {
      const experiment = live(id)
      return { experiment, versions: store.listVersions(id), runs: store.listRuns(10_000, id) }
    },

    'experiments:update': async ({ id, name, notes, tags }) => {
      const current = live(id)
      const rename = name !== undefined && name !== current.name ? await renamed(current.text, name) : null
      return store.updateExperiment(id, {
        ...(rename ? { name: rename.experiment.name, text: rename.text, hypervisors: hypervisorsOf(rename.experiment) } : {}),
        ...(notes !== undefined ? { notes } : {}),
        ...(tags !== undefined ? { tags: distinctTags(tags) } : {})
      })
    },

    'experiments:duplicate': async ({ id, name }) => {
      const source = live(id)
      const copy = await renamed(source.text, name ?? copyName(store, source.name))
      return store.duplicateExperiment(id, { name: copy.experiment.name, text: copy.text })
    },

    'experiments:delete': ({ id }) => store.deleteExperiment(id),

    'experiments:restore': ({ id }) => store.restoreExperiment(id),

    'experiments:version': ({ id, number }) => {
      live(id)
      const version = store.getVersion(id, number)
      if (!version) throw new LabError('not-found', `experiment "${id}" has no version ${number}`)
      return version
    },

    'experiments:diff': ({ id, from, to }) => {
      live(id)
      const [a, b] = [from, to].map((n) => {
        const version = store.getVersion(id, n)
        if (!version) throw new LabError('not-found', `experiment "${id}" has no version ${n}`)
        return version.text
      }) as [string, string]
      const patch = structuredPatch(`version ${from}`, `version ${to}`, a, b, undefined, undefined, { context: 3 })
      let additions = 0
      let deletions = 0
      const hunks = patch.hunks.map((h) => {
        for (const line of h.lines) {
          if (line.startsWith('+')) additions++
          else if (line.startsWith('-')) deletions++
        }
        return { old_start: h.oldStart, old_lines: h.oldLines, new_start: h.newStart, new_lines: h.newLines, lines: h.lines }
      })
      return { from, to, additions, deletions, hunks }
    },

    'experiments:import': async ({ text, file_name }) => {
      let experiment: ExperimentFileValue
      try {
        experiment = await requireExperiment(reader, text)
      } catch (err) {
        if (err instanceof LabError && file_name !== undefined) throw new LabError(err.code, `${printable(file_name, { max: 300 })}: ${err.message}`, err.issues)
        throw err
      }
      const existing = store.findExperimentWithText(text)
      const saved = store.saveExperiment(text, experiment.name, { hypervisors: hypervisorsOf(experiment) })
      return { experiment: saved, created: existing === undefined }
    },

    'experiments:export': ({ id, version, format }) => {
      const experiment = live(id)
      let text = experiment.text
      if (version !== undefined) {
        const found = store.getVersion(id, version)
        if (!found) throw new LabError('not-found', `experiment "${id}" has no version ${version}`)
        text = found.text
      }
      return exportFile(text, experiment.name, format ?? 'stored')
    }
  }
}

/** Tags each once, compared without regard to case; the first spelling stays. */
function distinctTags(tags: readonly string[]): string[] {
  const seen = new Set<string>()
  return tags.filter((t) => {
    const key = t.normalize('NFKC').toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
