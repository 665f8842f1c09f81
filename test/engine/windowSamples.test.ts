/**
 * What each sample window says beyond throughput and latency: the VM's disk
 * MB/s, network Gb/s and its CPU split into the guest's work and the
 * hypervisor's, all read from the counters the summary reads, so over the
 * windows after the warm-up they agree with the summary.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import { parseExperimentText } from '../../src/shared/experiment'
import type { Sample } from '../../src/shared/result'

function example(file: string, duration_s: number) {
  const p = parseExperimentText(readFileSync(`resources/examples/${file}`, 'utf8'))
  if (!p.ok) throw new Error(`${file} does not parse`)
  return { ...p.experiment, duration_s, baseline: 'none' as const }
}

/** The mean of a field over a VM's windows that ended after the warm-up (all windows are equally wide). */
function meanAfter(samples: Sample[], vm: string, warmupMs: number, pick: (s: Sample) => number | undefined): number {
  const xs = samples.filter((s) => s.vm === vm && s.t_ms > warmupMs).map(pick)
  expect(xs.every((x) => x !== undefined)).toBe(true)
  return (xs as number[]).reduce((a, b) => a + b, 0) / xs.length
}

describe('sample windows', () => {
  it('a disk workload of 8 KB requests moves IOPS × 8 KB per second, and its windows average to the summary', () => {
    const exp = example('four-vms-one-disk.yaml', 20)
    const { samples, result } = runToEnd(exp, exp.seed)
    expect(samples.length).toBeGreaterThan(0)
    for (const s of samples) expect(s.disk_mb_s).toBeCloseTo((s.disk_iops * 8) / 1024, 6)
    expect(samples.some((s) => s.disk_mb_s! > 0)).toBe(true)
    for (const vm of Object.keys(result.vms)) {
      const mean = meanAfter(samples, vm, exp.warmup_s * 1000, (s) => s.disk_mb_s)
      expect(mean).toBeCloseTo(result.vms[vm]!.disk.mb_s, 1)
    }
  })

  it("the CPU split adds up to the vCPU time of operations, and the windows' means are the summary's split", () => {
    const exp = example('esx35-vs-native.yaml', 20)
    const { samples, result } = runToEnd(exp, exp.seed)
    for (const s of samples) {
      expect(s.cpu_guest_pct).toBeGreaterThanOrEqual(0)
      expect(s.cpu_hypervisor_pct).toBeGreaterThanOrEqual(0)
      // Only vCPU time of no operation (none in this workload) is outside the split.
      expect(s.cpu_guest_pct! + s.cpu_hypervisor_pct!).toBeCloseTo(s.cpu_pct, 6)
    }
    const [vm, r] = Object.entries(result.vms)[0]!
    // Binary translation's exits and traps: the hypervisor's share is well above zero.
    expect(r.cpu.hypervisor_pct).toBeGreaterThan(1)
    expect(meanAfter(samples, vm, exp.warmup_s * 1000, (s) => s.cpu_guest_pct)).toBeCloseTo(r.cpu.guest_pct, 0)
    expect(meanAfter(samples, vm, exp.warmup_s * 1000, (s) => s.cpu_hypervisor_pct)).toBeCloseTo(r.cpu.hypervisor_pct, 0)
  })

  it('a network stream reports its Gb/s per window, averaging to the summary', () => {
    const exp = example('vmdirectpath-vs-vmxnet3.yaml', 10)
    const { samples, result } = runToEnd(exp, exp.seed)
    for (const [vm, r] of Object.entries(result.vms)) {
      expect(r.net.gbps).toBeGreaterThan(0.1)
      const mean = meanAfter(samples, vm, exp.warmup_s * 1000, (s) => s.net_gbps)
      expect(Math.abs(mean - r.net.gbps) / r.net.gbps).toBeLessThan(0.01)
    }
  })
})
