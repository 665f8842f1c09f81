/**
 * Every hypervisor with every disk controller and NIC it offers, across the
 * workload presets, CPU generations and technique settings: the engine runs
 * each combination the checker accepts to a finite, consistent result.
 */
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import { catalog } from '../../src/shared/catalog'
import { parseExperiment } from '../../src/shared/experiment/parse'
import { experimentSchema } from '../../src/shared/experiment/schema'

const cpus = Object.keys(catalog.cpus)
const workloads = Object.keys(catalog.workloads)
const kindFor = (hv: string): string => catalog.hypervisors[hv]!.volumeKinds[0]!

describe('configuration matrix', () => {
  it('runs every accepted combination to a finite result whose breakdown sums to 100', () => {
    let runs = 0
    let k = 0
    for (const hv of Object.values(catalog.hypervisors)) {
      for (const disk of hv.diskModels) {
        for (const nic of hv.nicModels) {
          k++
          const cpu = cpus[k % cpus.length]!
          const workload = workloads[k % workloads.length]!
          const settings = [
            { cpu_virt: 'auto', mmu_virt: 'auto', paravirt: false },
            { cpu_virt: 'auto', mmu_virt: 'auto', paravirt: true },
            { cpu_virt: hv.cpuVirt[k % Math.max(1, hv.cpuVirt.length)] ?? 'auto', mmu_virt: hv.mmuVirt[k % Math.max(1, hv.mmuVirt.length)] ?? 'auto', paravirt: k % 2 === 0 }
          ]
          for (const s of settings) {
            const doc = experimentSchema.parse({
              format: 'hyperlab/experiment@1',
              name: `${hv.id} ${disk} ${nic}`,
              duration_s: 0.5,
              sample_ms: 100,
              hosts: [
                {
                  id: 'h1', cpu, hypervisor: hv.id, cpu_virt: s.cpu_virt, mmu_virt: s.mmu_virt, large_pages: k % 3 === 0,
                  disks: [{ id: 'd0', model: k % 2 ? 'hdd-10k' : 'ssd-slc-2008' }], nics: [{ id: 'n0', gbps: 1 }]
                }
              ],
              volumes: [{ id: 'v1', kind: kindFor(hv.id), on: 'h1/d0' }],
              vms: [
                {
                  id: 'vm', host: 'h1', vcpus: 1 + (k % 2), guest: { os: k % 2 ? 'linux' : 'windows', paravirt: s.paravirt },
                  disks: [{ model: disk, on: disk === 'passthrough' ? 'h1/d0' : 'v1' }],
                  nics: [{ model: nic, uplink: 'n0' }],
                  workload
                }
              ]
            })
            const checked = parseExperiment(doc)
            if (!checked.ok) continue // a combination the checker refuses (e.g. hw on a CPU without it)
            let result
            try {
              result = runToEnd(checked.experiment, k).result
            } catch (e) {
              // The engine may refuse only with a reason (e.g. cpu_virt pv for a non-paravirtual guest).
              expect(String(e)).toMatch(/VM "vm"/)
              continue
            }
            runs++
            const vm = result.vms.vm!
            for (const v of [vm.throughput_ops_s, vm.cpu.guest_pct, vm.cpu.hypervisor_pct, result.hosts.h1!.cpu_pct]) expect(Number.isFinite(v)).toBe(true)
            const sum = Object.values(vm.breakdown_pct).reduce((a, b) => a + b, 0)
            expect(sum).toBeCloseTo(100, 3)
            expect(vm.overhead_pct === null || Number.isFinite(vm.overhead_pct)).toBe(true)
          }
        }
      }
    }
    expect(runs).toBeGreaterThan(100)
  })
})
