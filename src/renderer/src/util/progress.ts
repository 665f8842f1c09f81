/** Run progress as the contract carries it (a fraction of the run, 0…1) → percent, clamped. */
export function progressPercent(progress: number): number {
  if (!Number.isFinite(progress)) return 0
  return Math.min(100, Math.max(0, progress * 100))
}
