/**
 * A LabApi over a scripted transport, for testing the renderer's stores
 * without a server: each call waits until the test answers it, so a test can
 * hold a call in flight and act meanwhile.
 */
import { buildLabApi, type CommandName, type EventName, type LabApi } from '../../src/shared/contract'

export interface PendingCall {
  name: CommandName
  input: unknown
  answer(output: unknown): void
  fail(error: Error): void
}

export function fakeLab(): { api: LabApi; calls: PendingCall[]; emit(event: EventName, payload: unknown): void } {
  const calls: PendingCall[] = []
  const listeners = new Set<(event: EventName, payload: unknown) => void>()
  const api = buildLabApi({
    invoke: (name, input) =>
      new Promise((resolve, reject) => {
        calls.push({ name, input, answer: resolve, fail: reject })
      }),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  })
  return { api, calls, emit: (event, payload) => listeners.forEach((l) => l(event, payload)) }
}

/** Lets the store take the steps its answered calls unblocked (one turn of the event loop: every pending promise job runs). */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/** What runs:verify answers for a run that reproduced. */
export function reproduced(id: string) {
  return { run_id: id, stored_checksum: 'abc', recomputed_checksum: 'abc', identical: true, stored_app_version: '0.1.0', app_version: '0.1.0', differences: [], differences_total: 0 }
}

/** A finished run's record. */
export function doneRun(id: string) {
  return {
    id,
    experiment_id: 'e1',
    experiment_name: 'x',
    status: 'done' as const,
    seed: 1,
    duration_s: 10,
    created_at: '2026-12-01T00:00:00.000Z',
    ended_at: '2026-12-01T00:00:01.000Z',
    wall_ms: 5,
    progress: 1,
    checksum: 'abc',
    error: null,
    version: 1,
    app_version: '0.1.0'
  }
}
