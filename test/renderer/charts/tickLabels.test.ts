/** Axis tick labels carry the decimals their step needs, so neighbouring ticks never read alike. */
import { describe, expect, it } from 'vitest'
import { tickLabels } from '../../../src/renderer/src/charts/tickLabels'

describe('tickLabels', () => {
  it('gives small steps the decimals they need, so a p99 axis in tenths of a millisecond has no repeated label', () => {
    const labels = tickLabels([0, 0.05, 0.1, 0.15], true)
    expect(labels).toEqual(['0.00', '0.05', '0.10', '0.15'])
    expect(new Set(tickLabels([0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12])).size).toBe(7)
  })

  it('writes whole steps without decimals', () => {
    expect(tickLabels([0, 2, 4, 6])).toEqual(['0', '2', '4', '6'])
    expect(tickLabels([0, 20, 40])).toEqual(['0', '20', '40'])
  })

  it('keeps a half step', () => {
    expect(tickLabels([0, 2.5, 5, 7.5])).toEqual(['0.0', '2.5', '5.0', '7.5'])
  })

  it('scales large values of a value axis to k and M, choosing decimals after scaling', () => {
    expect(tickLabels([0, 2500, 5000, 7500], true)).toEqual(['0.0', '2.5k', '5.0k', '7.5k'])
    expect(tickLabels([0, 10_000, 20_000], true)).toEqual(['0', '10k', '20k'])
    expect(tickLabels([0, 1e6, 2e6], true)).toEqual(['0', '1M', '2M'])
  })

  it('leaves a time axis unscaled', () => {
    expect(tickLabels([0, 1000, 2000])).toEqual(['0', '1,000', '2,000'])
  })

  it('stops at six decimals for float noise', () => {
    expect(tickLabels([0, 1 / 3])[1]).toBe('0.333333')
  })
})
