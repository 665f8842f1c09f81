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

  it('pass-through NIC against vmxnet3: the pass-through VM is cheaper and cannot move; the vmxnet3 VM moves', () => {
    const exp = load('passthrough-vs-vmxnet3-mobility.yaml')
    const { result } = runToEnd(exp, exp.seed)
    const [direct, mobile] = result.events
    expect(direct!.ok).toBe(false)
    expect(direct!.reason).toMatch(/VMDirectPath/)
    expect(mobile!.ok).toBe(true)
    expect(mobile!.migration!.to).toBe('esx2')
    expect(result.vms.direct!.overhead_pct!).toBeLessThan(result.vms.mobile!.overhead_pct!)
  })

  it('a snapshot left open: the database responds more slowly after it than before', () => {
    const exp = load('snapshot-open-busy-database.yaml')
    const { result, samples } = runToEnd(exp, exp.seed)
    expect(result.events[0]!.ok).toBe(true)
    const mean = (from: number, to: number) => {
      const sel = samples.filter((x) => x.t_ms > from * 1000 && x.t_ms <= to * 1000)
      return sel.reduce((a, b) => a + (b.latency_mean_ms ?? 0), 0) / sel.length
    }
    expect(mean(21, 60)).toBeGreaterThan(mean(5, 20) * 1.1)
  })

  it('CSV path failure: the node that lost its path goes to redirected I/O and pays for it', () => {
    const exp = load('csv-path-failure-hyperv.yaml')
    const { result } = runToEnd(exp, exp.seed)
    expect(result.events[0]!.path).toMatchObject({ mode: 'redirected', vms: ['files2'] })
    expect(result.events[1]!.path!.mode).toBe('restored')
    expect(result.vms.files2!.latency_ms.mean!).toBeGreaterThan(result.vms.files1!.latency_ms.mean!)
  })

  it('vMotion on ESX 3.5 against 4.1: the 10 GbE, 8 Gb/s stream moves the same VM several times faster', () => {
    const exp = load('vmotion-esx35-vs-41.yaml')
    const { result } = runToEnd(exp, exp.seed)
    const [old, neu] = result.events.map((e) => e.migration!)
    expect(neu!.total_s).toBeLessThan(old!.total_s / 4)
    expect(old!.bandwidth_gbps).toBeLessThanOrEqual(1)
  })
})
