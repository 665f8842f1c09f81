/**
 * What the presets set out to show comes out of the model when they run:
 * each preset stores a topology and a workload, never a result, so these
 * comparisons fail if the mechanisms stop producing them.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import { parseExperimentText } from '../../src/shared/experiment/parse'

function run(file: string) {
  const parsed = parseExperimentText(readFileSync(join(__dirname, '..', '..', 'resources', 'examples', file), 'utf8'))
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.issues)}`)
  return runToEnd(parsed.experiment, parsed.experiment.seed).result
}

describe('presets show what they describe', () => {
  it('fork-heavy work: nested paging beats both shadow-paging techniques', () => {
    const vms = run('bt-vtx-ept-forkwait.yaml').vms
    expect(vms['fork-bt']!.techniques).toEqual({ cpu: 'bt', mmu: 'shadow' })
    expect(vms['fork-vtx']!.techniques).toEqual({ cpu: 'hw', mmu: 'shadow' })
    expect(vms['fork-ept']!.techniques).toEqual({ cpu: 'hw', mmu: 'nested' })
    expect(vms['fork-ept']!.throughput_ops_s).toBeGreaterThan(vms['fork-bt']!.throughput_ops_s)
    expect(vms['fork-ept']!.throughput_ops_s).toBeGreaterThan(vms['fork-vtx']!.throughput_ops_s)
  })

  it('one VM against native: the HVM guest on shadow paging pays more than PV and the EPT hypervisors', () => {
    const vms = run('one-vm-vs-native-xen-kvm-hyperv.yaml').vms
    expect(vms['build-xen-pv']!.techniques).toEqual({ cpu: 'pv', mmu: 'direct' })
    expect(vms['build-xen-hvm']!.techniques).toEqual({ cpu: 'hw', mmu: 'shadow' })
    const hvm = vms['build-xen-hvm']!.overhead_pct!
    for (const other of ['build-xen-pv', 'build-kvm', 'build-hyperv']) {
      expect(vms[other]!.overhead_pct!).toBeGreaterThan(0)
      expect(hvm).toBeGreaterThan(vms[other]!.overhead_pct!)
    }
  })

  it('Hyper-V disks: a new dynamic VHD is slower than a fixed one (allocation on first write)', () => {
    const vms = run('hyperv-passthrough-vs-vhd.yaml').vms
    expect(vms['vm-dynamic-vhd']!.throughput_ops_s).toBeLessThan(vms['vm-fixed-vhd']!.throughput_ops_s)
    expect(vms['vm-dynamic-vhd']!.latency_ms.mean!).toBeGreaterThan(vms['vm-fixed-vhd']!.latency_ms.mean!)
  })

  it('VMDirectPath costs the hypervisor less CPU than vmxnet3 for the same stream', () => {
    const vms = run('vmdirectpath-vs-vmxnet3.yaml').vms
    expect(vms['stream-directpath']!.cpu.hypervisor_pct).toBeLessThan(vms['stream-vmxnet3']!.cpu.hypervisor_pct)
  })

  it('FC against iSCSI: the software initiator costs host CPU that an FC HBA does not', () => {
    const hosts = run('san-fc-vs-iscsi.yaml').hosts
    expect(hosts['iscsi-host']!.hypervisor_pct).toBeGreaterThan(hosts['fc-host']!.hypervisor_pct)
  })
})
