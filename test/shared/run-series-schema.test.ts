/** The chart series a stored run is opened with: the schema's column check accepts what the element-wise one did, and nothing more. */
import { describe, expect, it } from 'vitest'
import { runSeriesSchema } from '../../src/shared/replay'

function reply(throughput: unknown): unknown {
  return {
    run_id: 'r',
    from_ms: 0,
    to_ms: 1000,
    window_ms: 500,
    bucket_ms: null,
    t_ms: [500, 1000],
    vms: [{ vm: 'web', throughput_ops_s: throughput, latency_mean_ms: [null, 2], latency_p99_ms: [null, 5], disk_iops: [0, 0], cpu_pct: [30, 40] }],
    arrays: []
  }
}

describe('run series schema', () => {
  it('accepts finite numbers and nulls', () => {
    expect(runSeriesSchema.safeParse(reply([1.5, null])).success).toBe(true)
    expect(runSeriesSchema.safeParse(reply([])).success).toBe(true)
  })

  it.each([
    ['an infinite value', [1, Infinity]],
    ['NaN', [NaN, 1]],
    ['a string', [1, '2']],
    ['undefined', [1, undefined]],
    ['no array', { 0: 1 }],
    ['nothing', undefined]
  ])('refuses %s, naming the column', (_, column) => {
    const parsed = runSeriesSchema.safeParse(reply(column))
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0]!.path).toEqual(['vms', 0, 'throughput_ops_s'])
  })
})
