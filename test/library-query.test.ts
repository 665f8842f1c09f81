/** Sorting the library by the status of the latest run: queued and running first, never run last, ties by name. */
import { describe, expect, it } from 'vitest'
import { queryLibrary } from '../src/main/store/libraryQuery'
import type { ExperimentSummary } from '../src/shared/library'
import type { RunStatus } from '../src/shared/status'

function summary(name: string, status: RunStatus | null): ExperimentSummary {
  const at = '2026-12-01T00:00:00.000Z'
  return {
    id: name,
    name,
    notes: '',
    tags: [],
    hypervisors: ['esx-4.0'],
    created_at: at,
    updated_at: at,
    activity_at: at,
    versions: 1,
    runs: status ? 1 : 0,
    last_run: status ? { id: `${name}-run`, status, created_at: at } : null,
    deleted_at: null
  }
}

describe('library sort by status', () => {
  const all = [summary('never', null), summary('failed', 'failed'), summary('done b', 'done'), summary('running', 'running'), summary('done a', 'done')]

  it('lists live runs first and never-run experiments last, by name within a status', () => {
    expect(queryLibrary(all, { sort: 'status' }).experiments.map((e) => e.name)).toEqual(['running', 'done a', 'done b', 'failed', 'never'])
  })

  it('reverses on request', () => {
    expect(queryLibrary(all, { sort: 'status', order: 'desc' }).experiments.map((e) => e.name)).toEqual(['never', 'failed', 'done a', 'done b', 'running'])
  })
})
