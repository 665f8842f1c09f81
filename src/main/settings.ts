/**
 * Settings a user can give the lab through its environment, read once when a
 * lab opens, each checked with a message that names the variable:
 *
 * - HYPERLAB_MAX_RUNS: runs (and re-simulations) at once; later ones wait
 *   `queued` (default: one per core).
 * - HYPERLAB_RUN_MEMORY_MB: memory each engine thread may use (default 2048).
 */
export interface LabSettings {
  maxConcurrentRuns?: number
  memoryBudgetBytes?: number
}

export class SettingsError extends Error {
  override name = 'SettingsError'
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SettingsError(`${name}: must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw.slice(0, 40))}`)
  }
  return n
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): LabSettings {
  const runs = wholeNumber(env, 'HYPERLAB_MAX_RUNS', 1, 256)
  const memoryMb = wholeNumber(env, 'HYPERLAB_RUN_MEMORY_MB', 256, 1_048_576)
  return {
    ...(runs !== undefined ? { maxConcurrentRuns: runs } : {}),
    ...(memoryMb !== undefined ? { memoryBudgetBytes: memoryMb * 2 ** 20 } : {})
  }
}
