/**
 * Texts that would cost minutes or gigabytes to read are refused by their
 * size and structure before any reading starts, with one issue that says why.
 */
import { describe, expect, it } from 'vitest'
import { checkTextBounds, measureYaml } from '../../src/shared/experiment/bounds'
import { parseExperimentText } from '../../src/shared/experiment'
import { LIMITS } from '../../src/shared/limits'

/** A container of `n` distinct anchors, each referenced again: quadratic to resolve. */
function aliasBomb(n: number): string {
  let s = 'a:\n'
  for (let i = 0; i < n; i++) s += `  - &a${i} x${i}\n`
  s += 'b:\n'
  for (let i = 0; i < n; i++) s += `  - *a${i}\n`
  return s
}

function only(text: string): string {
  const outcome = parseExperimentText(text)
  if (outcome.ok) throw new Error('accepted')
  expect(outcome.issues).toHaveLength(1)
  expect(outcome.issues[0]!.path).toBe('(file)')
  return outcome.issues[0]!.message
}

describe('bounds on experiment text', () => {
  it('measures UTF-8 bytes, not characters: 0.7 M euro signs are 2.1 MB', () => {
    const euros = '€'.repeat(700_000)
    expect(euros.length).toBeLessThan(LIMITS.textBytes)
    expect(only(`name: "${euros}"`)).toMatch(/^is too large: 2\.1 MB; an experiment may be at most 2\.0 MB$/)
  })

  it('refuses many aliases and anchors before resolving any (the 10,000-alias container)', () => {
    expect(only(aliasBomb(10_000))).toMatch(/defines too many anchors \(&name\): more than 4096/)
    const oneAnchorManyAliases = 'a: &x 1\nb:\n' + '  - *x\n'.repeat(2000)
    expect(only(oneAnchorManyAliases)).toMatch(/uses too many aliases \(\*name\): more than 1024 \(by line 1027\)/)
  })

  it('reads a VM template used by as many VMs as an experiment may hold', () => {
    const shape = measureYaml(aliasBomb(LIMITS.yamlAliases))
    expect(shape.aliases).toBe(LIMITS.yamlAliases)
    expect(checkTextBounds(aliasBomb(LIMITS.yamlAliases))).toEqual([])
  })

  it('refuses deep nesting early', () => {
    const deep = '['.repeat(900_000) + ']'.repeat(900_000)
    expect(only(deep)).toMatch(/nested too deeply: more than 64 levels/)
  })

  it('refuses a list of a million empty objects by counting, without building it', () => {
    const many = '[' + '{},'.repeat(600_000) + ']'
    expect(many.length).toBeLessThan(LIMITS.textBytes)
    expect(only(many)).toMatch(/too many values: more than 500,000/)
  })

  it('counts values (keys too), nesting, anchors and aliases of ordinary YAML exactly', () => {
    expect(measureYaml('a: [1, {b: "x"}]\nc: &t |\n  text\nd: *t\n')).toMatchObject({
      values: 9,
      depth: 2,
      anchors: 1,
      aliases: 1
    })
  })
})
