/** Number and time formatting for the app's tables (shared with the reports, so both print a value alike). */
export {
  MISSING,
  formatCount,
  formatDateTime,
  formatMicros,
  formatNumber,
  formatOverheadSplit,
  formatPercent,
  formatShare,
  formatSimSeconds,
  formatWallMs,
  shortChecksum
} from '../api/shared'
