/**
 * Number and time formatting shared by the app's tables and the reports:
 * fixed decimals, thousands separators, and `—` for a value the run could
 * not measure (null).
 */
const formatters = new Map<number, Intl.NumberFormat>()

function formatter(digits: number): Intl.NumberFormat {
  let f = formatters.get(digits)
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    formatters.set(digits, f)
  }
  return f
}

export const MISSING = '—'

export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING
  // A value that rounds to zero shows as 0, never as "-0.0".
  return formatter(digits).format(Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value)
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  const text = formatNumber(value, digits)
  return text === MISSING ? text : `${text} %`
}

/** Wall-clock durations: `850 ms`, `4.21 s`, `3 min 05 s`. */
export function formatWallMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${formatNumber(ms / 1000, 2)} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`
}

/** Simulated seconds: `60 s`, `1.5 s`. */
export function formatSimSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return MISSING
  return `${Number.isInteger(s) ? formatNumber(s, 0) : formatNumber(s, 1)} s`
}

/** A timestamp as local `YYYY-MM-DD HH:MM:SS`; the input as given when it does not parse. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return MISSING
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

export function shortChecksum(checksum: string | null | undefined, length = 10): string {
  if (!checksum) return MISSING
  return checksum.length > length ? checksum.slice(0, length) : checksum
}

const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 })
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 })

/** A count that may be tiny or large, to three significant digits: `0.002`, `1.5`, `12.3`, `1,235`, `150M`. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING
  const abs = Math.abs(value)
  if (abs >= 1_000_000) return compact.format(value)
  return abs >= 1000 ? formatNumber(value, 0) : significant.format(value)
}

/** A duration given in µs, in the unit that reads best: `850 ns`, `12.3 µs`, `4.2 ms`, `1.5 s`. */
export function formatMicros(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return MISSING
  const abs = Math.abs(us)
  if (abs === 0) return '0 µs'
  if (abs < 1) return `${significant.format(us * 1000)} ns`
  if (abs < 1000) return `${significant.format(us)} µs`
  if (abs < 1_000_000) return `${significant.format(us / 1000)} ms`
  return `${significant.format(us / 1_000_000)} s`
}

/** A VM's overhead split into what virtualization costs and what sharing costs, in percentage points. */
export function formatOverheadSplit(split: { virtualization: number; contention: number }): string {
  return `${formatNumber(split.virtualization, 1)} pts virtualization tax + ${formatNumber(split.contention, 1)} pts contention`
}

/** A share of a whole in percent; a sliver that would round to zero says so (`< 0.1 %`). */
export function formatShare(value: number | null | undefined): string {
  if (value !== null && value !== undefined && value > 0 && value < 0.05) return '< 0.1 %'
  return formatPercent(value, 1)
}
