/**
 * The calibration suite: every published case (src/main/validation/cases.ts)
 * runs and must land in the band its source gives. A case the model is known
 * to miss stays in the suite as an expected failure, with its real band and a
 * note saying why; it fails the suite the day it starts passing, so the note
 * is removed with the fix. Each value is written to out/calibration.json;
 * `npm run calibrate` prints the fitted and the validation cases apart and
 * regenerates the table in docs/model.md from that run.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { cases, reportCase } from '../../src/main/validation/run'
import { bandText, VALIDATION_FORMAT, type ValidationCaseResult } from '../../src/shared/validation'

const results: ValidationCaseResult[] = []

afterAll(() => {
  const order = new Map(cases.map((c, i) => [c.id, i]))
  results.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
  mkdirSync('out', { recursive: true })
  writeFileSync('out/calibration.json', `${JSON.stringify({ format: VALIDATION_FORMAT, cases: results }, null, 2)}\n`)
})

for (const group of ['fitted', 'validation'] as const) {
  describe(group === 'fitted' ? 'fitted cases (an input was tuned to each)' : 'validation cases (nothing was tuned to them)', () => {
    for (const c of cases.filter((x) => x.group === group)) {
      const test = c.failing ? it.fails : it
      test(`${c.target}: ${c.literature} (band ${bandText(c.band, c.unit)})`, () => {
        const m = c.measure()
        results.push(reportCase(c, m))
        if (c.band.min !== null) expect(m.value, c.target).toBeGreaterThanOrEqual(c.band.min)
        if (c.band.max !== null) expect(m.value, c.target).toBeLessThanOrEqual(c.band.max)
        for (const check of m.checks ?? []) expect(check.ok, check.what).toBe(true)
      })
    }
  })
}

describe('the catalogue of cases', () => {
  it('names the inputs of every fitted case and none for a validation case', () => {
    for (const c of cases) {
      if (c.group === 'fitted') expect(c.fittedInputs.length, c.id).toBeGreaterThan(0)
      else expect(c.fittedInputs, c.id).toEqual([])
      expect(c.band.min !== null || c.band.max !== null, c.id).toBe(true)
      expect(c.source.length, c.id).toBeGreaterThan(10)
    }
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length)
  })
})
