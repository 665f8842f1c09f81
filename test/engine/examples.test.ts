/**
 * The bundled example experiments run on the engine and say what their
 * descriptions promise.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import { parseExperimentText } from '../../src/shared/experiment/parse'
import { runResultSchema } from '../../src/shared/result'

const dir = join(__dirname, '..', '..', 'resources', 'examples')
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f))

function load(file: string) {
  const parsed = parseExperimentText(readFileSync(join(dir, file), 'utf8'))
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.issues)}`)
  return parsed.experiment
}

describe('bundled examples', () => {
  it.each(files)('%s runs to a valid result', (file) => {
    const exp = load(file)
    const { result, samples } = runToEnd(exp, exp.seed)
    runResultSchema.parse(result)
    expect(samples.length).toBe(Math.ceil((exp.duration_s * 1000) / exp.sample_ms) * exp.vms.length)
    for (const vm of Object.values(result.vms)) {
      expect(vm.ops).toBeGreaterThan(0)
      // hyperlab explain has an answer for every VM: mechanisms adding up to its whole response time.
      expect(vm.explain!.length).toBeGreaterThan(0)
      expect(vm.explain!.reduce((sum, e) => sum + e.share_pct, 0)).toBeCloseTo(100, 0)
    }
  })

  it('esx35-vs-native: one VM on ESX 3.5 shows a sensible positive overhead against bare metal', () => {
    const { result } = runToEnd(load('esx35-vs-native.yaml'), 42)
    const vm = result.vms.build1!
    expect(vm.techniques).toEqual({ cpu: 'bt', mmu: 'shadow' })
    expect(vm.overhead_pct!).toBeGreaterThan(5)
    expect(vm.overhead_pct!).toBeLessThan(60)
    expect(vm.breakdown_pct.vm_exits).toBeGreaterThan(vm.breakdown_pct.device_emulation)
  })
})
