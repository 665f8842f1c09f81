/**
 * The dashboard's reading of a result's timeline records: a migration gives
 * its rounds, data, total time, downtime and whether it converged; a refusal
 * its reason; a copy and a path failure what they did; an event still running
 * at the end says so and reaches the end of the axis.
 */
import { describe, expect, it } from 'vitest'
import { describeOutcome, describePlanned, outcomeLine } from '../../../src/renderer/src/dashboard/eventOutcomes'
import { parseExperimentText } from '../../../src/shared/experiment'
import { exampleFiles } from '../builder/examples'

const migration = { from: 'esx1', to: 'esx2', rounds: 3, mb_sent: 4600, total_s: 5.2, downtime_ms: 41.5, converged: false, stop_reason: 'dirty rate above the bandwidth', bandwidth_gbps: 9.1, dirty_mb_s: 1400, round_log: [] }

describe('timeline outcomes', () => {
  it('a migration: rounds, MB, total time, downtime and convergence, over the span it took', () => {
    const o = describeOutcome({ at_s: 15, do: 'migrate', vm: 'mobile', to: 'esx2', ok: true, done_s: 20.2, migration }, 1)
    expect(o).toMatchObject({ index: 1, at_s: 15, end_s: 20.2, status: 'done', subject: 'mobile → esx2' })
    expect(o.details).toEqual(['3 rounds', '4,600 MB sent', 'total 5.20 s', 'downtime 41.5 ms', 'did not converge (dirty rate above the bandwidth)'])
  })

  it('a refusal carries its reason and takes no time', () => {
    const o = describeOutcome({ at_s: 15, do: 'migrate', vm: 'direct', to: 'esx2', ok: false, reason: 'NIC 0 is a pass-through device' }, 0)
    expect(o).toMatchObject({ status: 'refused', end_s: 15 })
    expect(outcomeLine(o)).toBe('migrate direct → esx2: refused: NIC 0 is a pass-through device')
  })

  it('an unfinished clone and a redirected path say what they did', () => {
    const clone = describeOutcome({ at_s: 10, do: 'clone', vm: 'db', ok: true, done_s: null, copy: { mb: 20480, mb_done: 5120, s: null } }, 0)
    expect(clone.status).toBe('running')
    expect(clone.end_s).toBeNull()
    expect(clone.details).toEqual(['5,120 of 20,480 MB copied by the end (unfinished)'])
    const path = describeOutcome({ at_s: 5, do: 'fail-path', host: 'hv2', array: 'san', ok: true, done_s: 5, path: { mode: 'redirected', vms: ['sql'], via: 'hv1/n1', gbps: 1 } }, 0)
    expect(path.subject).toBe('hv2 → san')
    expect(path.details).toEqual(['redirected I/O through the coordinator', 'via hv1/n1 (1 Gb/s)', 'VMs: sql'])
  })

  it('while a run goes on, its experiment\'s events are listed pending, reached or not, until the result tells their outcomes', () => {
    const text = exampleFiles.find(([name]) => name === 'passthrough-vs-vmxnet3-mobility.yaml')?.[1] ?? ''
    const parsed = parseExperimentText(text)
    if (!parsed.ok) throw new Error('the preset does not parse')
    const events = parsed.experiment.events
    expect(events.length).toBeGreaterThan(0)
    const before = describePlanned(events, 0)
    expect(before.map((o) => o.status)).toEqual(events.map(() => 'pending'))
    expect(before.map((o) => o.at_s)).toEqual(events.map((e) => e.at_s))
    expect(before[0]!.subject).toMatch(/ → /)
    expect(before[0]!.details).toEqual(['not reached yet'])
    const after = describePlanned(events, Math.max(...events.map((e) => e.at_s)))
    expect(after.every((o) => o.details[0] === 'reached; its outcome comes with the result')).toBe(true)
    expect(describePlanned(null, 10)).toEqual([])
  })
})
