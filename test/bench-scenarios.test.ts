/**
 * The datacenter benchmark's scaling steps are what their generator writes
 * from the 64-VM cell, valid experiments, and copies that share nothing: one
 * part per copy.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain ES module script, without types
import { CELL, CELL_DIR, COPIES, datacenterScenario, stepFile } from '../scripts/datacenter-scenarios.mjs'
import { partitionExperiment } from '../src/main/engine'
import { parseExperimentText } from '../src/shared/experiment/parse'
import { ROOT } from './fixtures'

const dir = join(ROOT, 'bench', 'scenarios')
const cell = readFileSync(join(CELL_DIR as string, CELL as string), 'utf8')

describe('datacenter benchmark steps', () => {
  for (const copies of COPIES as number[]) {
    it(`${stepFile(copies) as string} is the generator's ${copies} copies of the cell, valid, ${copies} independent parts`, () => {
      const text = readFileSync(join(dir, stepFile(copies) as string), 'utf8')
      expect(text).toBe(datacenterScenario(cell, copies))
      const parsed = parseExperimentText(text)
      if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'))
      expect(parsed.experiment.vms).toHaveLength(64 * copies)
      expect(partitionExperiment(parsed.experiment).map((p) => p.vmIndexes.length)).toEqual(Array(copies).fill(64))
    })
  }
})
