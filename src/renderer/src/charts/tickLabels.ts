/**
 * Axis tick labels: as many decimals as the ticks need to differ, and no
 * more. Ticks 0.05 apart read "0.05, 0.10, 0.15" (never "0.1, 0.1, 0.2"),
 * ticks 2 apart read "2, 4, 6". Large values of a value axis take a k or M
 * suffix, and the decimals are chosen after scaling: ticks 2,500 apart
 * read "2.5k, 5.0k, 7.5k".
 */
import { formatNumber } from '../util/format'

/** Beyond this the splits are float noise, not steps a user set. */
const MAX_DECIMALS = 6

/** The fewest decimals that write every value exactly (to float noise). */
function decimalsFor(values: readonly number[]): number {
  for (let d = 0; d < MAX_DECIMALS; d++) {
    const f = 10 ** d
    if (values.every((v) => Math.abs(v * f - Math.round(v * f)) < 1e-6)) return d
  }
  return MAX_DECIMALS
}

/**
 * Labels for an axis's tick values (uPlot's `splits`). With `suffixed`, a
 * largest tick of 1,000 or more is written in thousands (k) or millions (M).
 */
export function tickLabels(splits: readonly number[], suffixed = false): string[] {
  const largest = splits.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
  const [scale, suffix] = !suffixed || largest < 1e3 ? [1, ''] : largest < 1e6 ? [1e3, 'k'] : [1e6, 'M']
  const scaled = splits.map((v) => v / scale)
  const digits = decimalsFor(scaled)
  return scaled.map((v) => `${formatNumber(v, digits)}${v === 0 ? '' : suffix}`)
}
