/**
 * Sanity of the model against the calibration targets of docs/model.md §10.
 * Each case builds an experiment in the public format and compares runs that
 * differ in one choice (technique, device, format, number of VMs); the
 * expected direction and rough size come from the literature, never from a
 * previous run of the engine.
 */
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import type { ExperimentInput } from '../../src/shared/experiment/schema'
import type { VmResult } from '../../src/shared/result'
import { experiment } from './helpers'

type HostIn = ExperimentInput['hosts'][number]
type VmIn = ExperimentInput['vms'][number]

interface Setup {
  hypervisor: string
  cpu: string
  workload: VmIn['workload']
  cpu_virt?: HostIn['cpu_virt']
  mmu_virt?: HostIn['mmu_virt']
  large_pages?: boolean
  disk?: string
  controller?: string
  format?: string
  nic?: string
  paravirt?: boolean
  vms?: number
  duration?: number
}

const volumeKind = (hv: string): 'vmfs' | 'ntfs' | 'ext3' => (hv.startsWith('esx') ? 'vmfs' : hv.startsWith('hyperv') ? 'ntfs' : 'ext3')

/** One host, `vms` identical VMs on one local disk; returns every VM's result. */
function run(s: Setup): VmResult[] {
  const n = s.vms ?? 1
  const controller = s.controller ?? (s.hypervisor.startsWith('esx') ? 'lsilogic' : s.hypervisor === 'xen-3.0' ? 'xen-blkfront' : 'ide')
  const exp = experiment({
    duration_s: s.duration ?? 8,
    warmup_s: 1,
    sample_ms: 1000,
    hosts: [
      {
        id: 'h1',
        cpu: s.cpu,
        sockets: 2,
        hypervisor: s.hypervisor,
        cpu_virt: s.cpu_virt ?? 'auto',
        mmu_virt: s.mmu_virt ?? 'auto',
        large_pages: s.large_pages ?? false,
        memory_gb: 64,
        disks: [{ id: 'd0', model: s.disk ?? 'hdd-7200' }],
        nics: [{ id: 'n0', gbps: 10 }]
      }
    ],
    volumes: [{ id: 'v1', kind: volumeKind(s.hypervisor), on: 'h1/d0' }],
    vms: Array.from({ length: n }, (_, i) => ({
      id: `vm${i}`,
      host: 'h1',
      guest: { os: 'linux' as const, paravirt: s.paravirt ?? false },
      disks: [{ model: controller, on: controller === 'passthrough' ? 'h1/d0' : 'v1', ...(s.format ? { format: s.format } : {}) }],
      nics: s.nic ? [{ model: s.nic, uplink: 'n0' }] : [],
      workload: s.workload
    }))
  })
  const { result } = runToEnd(exp, 11)
  return Object.values(result.vms)
}
const one = (s: Setup): VmResult => run(s)[0]!

describe('CPU virtualization (ESX 3 era, binary translation)', () => {
  const esx35 = { hypervisor: 'esx-3.5', cpu: 'core2-penryn' }

  it('CPU-bound integer work pays a small positive overhead (≤ 6 %)', () => {
    const r = one({ ...esx35, workload: 'cpu-int' })
    expect(r.techniques).toEqual({ cpu: 'bt', mmu: 'shadow' })
    expect(r.overhead_pct!).toBeGreaterThan(0)
    expect(r.overhead_pct!).toBeLessThanOrEqual(6)
  })

  it('system-call and fault heavy work pays more, up to about 18 %', () => {
    const int = one({ ...esx35, workload: 'cpu-int' })
    const sys = one({ ...esx35, workload: 'cpu-syscall' })
    expect(sys.overhead_pct!).toBeGreaterThan(3 * int.overhead_pct!)
    expect(sys.overhead_pct!).toBeGreaterThan(6)
    expect(sys.overhead_pct!).toBeLessThanOrEqual(20)
    expect(sys.breakdown_pct.vm_exits).toBeGreaterThan(int.breakdown_pct.vm_exits)
  })

  it('fork/exec-heavy work pays most', () => {
    const sys = one({ ...esx35, workload: 'cpu-syscall' })
    const fork = one({ ...esx35, workload: 'forkwait' })
    expect(fork.overhead_pct!).toBeGreaterThan(sys.overhead_pct!)
  })

  it('Xen 3.0 (hardware assist, shadow paging) costs about twice ESX 3.5 on the same mix', () => {
    const esx = one({ ...esx35, workload: 'cpu-syscall' })
    const xen = one({ hypervisor: 'xen-3.0', cpu: 'core2-penryn', workload: 'cpu-syscall' })
    expect(xen.techniques).toEqual({ cpu: 'hw', mmu: 'shadow' })
    const ratio = xen.overhead_pct! / esx.overhead_pct!
    expect(ratio).toBeGreaterThan(1.5)
    expect(ratio).toBeLessThan(3)
  })

  it('first-generation VT-x with shadow paging is slower than binary translation on MMU-heavy work', () => {
    for (const workload of ['forkwait', 'kernel-compile'] as const) {
      const bt = one({ ...esx35, workload, cpu_virt: 'bt' })
      const hw = one({ ...esx35, workload, cpu_virt: 'hw' })
      expect(hw.throughput_ops_s).toBeLessThan(bt.throughput_ops_s)
    }
  })
})

describe('MMU virtualization: nested paging', () => {
  const nehalem = { hypervisor: 'esx-4.0', cpu: 'nehalem-x5570' }
  const barcelona = { hypervisor: 'esx-3.5', cpu: 'opteron-barcelona' }

  it('is the default where the CPU and hypervisor have it (EPT on ESX 4, RVI already on ESX 3.5)', () => {
    expect(one({ ...nehalem, workload: 'cpu-int' }).techniques).toEqual({ cpu: 'hw', mmu: 'nested' })
    expect(one({ ...barcelona, workload: 'cpu-int' }).techniques).toEqual({ cpu: 'hw', mmu: 'nested' })
    expect(one({ hypervisor: 'esx-3.5', cpu: 'nehalem-x5570', workload: 'cpu-int' }).techniques.mmu).toBe('shadow')
  })

  it('speeds MMU-intensive work over shadow paging by tens of percent (up to 42 % RVI, 48 % EPT)', () => {
    for (const s of [nehalem, barcelona]) {
      const shadow = one({ ...s, workload: 'kernel-compile', cpu_virt: 'bt', mmu_virt: 'shadow' })
      const nested = one({ ...s, workload: 'kernel-compile' })
      const speedup = nested.throughput_ops_s / shadow.throughput_ops_s
      expect(speedup).toBeGreaterThan(1.15)
      expect(speedup).toBeLessThan(1.6)
      expect(nested.breakdown_pct.page_walks).toBeGreaterThan(0)
    }
  })

  it('speeds an MMU micro-benchmark several-fold', () => {
    const shadow = one({ ...nehalem, workload: 'forkwait', cpu_virt: 'hw', mmu_virt: 'shadow' })
    const nested = one({ ...nehalem, workload: 'forkwait' })
    expect(nested.throughput_ops_s / shadow.throughput_ops_s).toBeGreaterThan(3)
  })

  it('makes little difference to pure CPU work', () => {
    const shadow = one({ ...nehalem, workload: 'cpu-int', cpu_virt: 'bt', mmu_virt: 'shadow' })
    const nested = one({ ...nehalem, workload: 'cpu-int' })
    expect(Math.abs(nested.throughput_ops_s / shadow.throughput_ops_s - 1)).toBeLessThan(0.05)
  })

  it('slows TLB-miss-bound work with small pages; large pages recover it', () => {
    const tlb = (page_kb: 4 | 2048) => ({ preset: 'memory-tlb', working_set_mb: 4096, page_kb })
    const shadow = one({ ...nehalem, workload: tlb(4), cpu_virt: 'bt', mmu_virt: 'shadow' })
    const nestedSmall = one({ ...nehalem, workload: tlb(4) })
    expect(nestedSmall.throughput_ops_s).toBeLessThan(shadow.throughput_ops_s)
    expect(nestedSmall.breakdown_pct.page_walks).toBeGreaterThan(10)
    const nestedLarge = one({ ...nehalem, workload: tlb(2048), large_pages: true })
    expect(nestedLarge.overhead_pct!).toBeLessThan(nestedSmall.overhead_pct! / 3)
  })
})

describe('I/O paths', () => {
  const ssd = { hypervisor: 'esx-4.0', cpu: 'nehalem-x5570', disk: 'ssd-sata', duration: 3 }
  const fastIo = { preset: 'disk-random', kb: 4, read_pct: 100, arrival: { process: 'closed', clients: 32, think_ms: 0 } } as const

  it('a paravirtual disk controller beats an emulated one by a wide margin on I/O-heavy work; pass-through approaches native', () => {
    const emulated = one({ ...ssd, workload: fastIo, controller: 'lsilogic' })
    const pv = one({ ...ssd, workload: fastIo, controller: 'pvscsi' })
    const pt = one({ ...ssd, workload: fastIo, controller: 'passthrough' })
    expect(pv.throughput_ops_s).toBeGreaterThan(1.3 * emulated.throughput_ops_s)
    expect(emulated.breakdown_pct.device_emulation).toBeGreaterThan(pv.breakdown_pct.device_emulation)
    expect(pt.overhead_pct!).toBeLessThan(5)
  })

  it('a paravirtual NIC beats an emulated one on a 10 GbE stream; pass-through is near native', () => {
    const e1000 = one({ ...ssd, workload: 'net-stream', nic: 'e1000' })
    const vmxnet3 = one({ ...ssd, workload: 'net-stream', nic: 'vmxnet3' })
    const pt = one({ ...ssd, workload: 'net-stream', nic: 'passthrough' })
    expect(vmxnet3.net.gbps).toBeGreaterThan(2 * e1000.net.gbps)
    expect(pt.overhead_pct!).toBeLessThan(10)
    expect(pt.net.gbps).toBeLessThanOrEqual(10)
  })

  it('Hyper-V: pass-through disk ≥ fixed VHD ≥ dynamic VHD', () => {
    const w = { preset: 'disk-random', kb: 8, read_pct: 70 } as const
    const hv = { hypervisor: 'hyperv-2008r2', cpu: 'nehalem-x5570', workload: w }
    const pt = one({ ...hv, controller: 'passthrough' })
    const fixed = one({ ...hv, controller: 'hyperv-synthetic', format: 'fixed-vhd' })
    const dynamic = one({ ...hv, controller: 'hyperv-synthetic', format: 'dynamic-vhd' })
    expect(pt.throughput_ops_s).toBeGreaterThan(fixed.throughput_ops_s)
    expect(fixed.throughput_ops_s).toBeGreaterThan(dynamic.throughput_ops_s)
    // Pass-through ahead by a few percent, not by a factor.
    expect(pt.throughput_ops_s / fixed.throughput_ops_s).toBeLessThan(1.15)
    expect(pt.latency_ms.mean!).toBeLessThan(fixed.latency_ms.mean!)
  })
})

describe('several VMs sharing one 7,200 rpm disk', () => {
  const shared = (vms: number) =>
    run({
      hypervisor: 'esx-3.5',
      cpu: 'core2-penryn',
      vms,
      duration: 15,
      workload: { preset: 'disk-random', kb: 8, read_pct: 70, arrival: { process: 'closed', clients: 1, think_ms: 20 } }
    })
  const total = (rs: VmResult[]) => rs.reduce((s, r) => s + r.throughput_ops_s, 0)
  const meanLatency = (rs: VmResult[]) => rs.reduce((s, r) => s + r.latency_ms.mean!, 0) / rs.length

  it('throughput saturates while latency keeps growing, as Little\'s law says', () => {
    const byN = [1, 2, 4, 8, 12].map((n) => ({ n, rs: shared(n) }))
    const x = byN.map(({ rs }) => total(rs))
    const r = byN.map(({ rs }) => meanLatency(rs))
    // Below saturation throughput scales with the VMs...
    expect(x[1]! / x[0]!).toBeGreaterThan(1.7)
    // ...then flattens near the disk's random IOPS (~1/(seek + half a turn) ≈ 80–140 per s)...
    expect(x[4]! / x[3]!).toBeLessThan(1.15)
    expect(x[4]!).toBeLessThan(160)
    // ...while latency grows with every VM added.
    for (let i = 1; i < r.length; i++) expect(r[i]!).toBeGreaterThan(r[i - 1]!)
    expect(r[4]!).toBeGreaterThan(2 * r[3]! * 0.9)
    // Closed system: N = X · (R + Z) (Little's law) with Z = 20 ms of think time.
    byN.forEach(({ n }, i) => {
      expect(Math.abs(x[i]! * (r[i]! + 20) / 1000 - n) / n).toBeLessThan(0.05)
    })
  })

  it('one VM alone hides the cost of sharing: overhead against bare metal grows with neighbours', () => {
    const alone = shared(1)[0]!
    const crowded = shared(8)[0]!
    expect(alone.overhead_pct!).toBeLessThan(5)
    expect(crowded.overhead_pct!).toBeGreaterThan(30)
    expect(crowded.breakdown_pct.queueing).toBeGreaterThan(alone.breakdown_pct.queueing)
  })
})

describe('vCPU scheduling', () => {
  const vmsOnTwoCores = (n: number) => {
    const exp = experiment({
      duration_s: 6,
      warmup_s: 1,
      sample_ms: 1000,
      baseline: 'none',
      hosts: [{ id: 'h1', cpu: 'core2-merom', sockets: 1, hypervisor: 'xen-3.4' }],
      vms: Array.from({ length: n }, (_, i) => ({ id: `v${i}`, host: 'h1', guest: { os: 'linux' as const, paravirt: true }, workload: 'cpu-int' as const }))
    })
    return runToEnd(exp, 2).result
  }

  it('shares overcommitted cores fairly and shows the wait as ready time', () => {
    const fit = vmsOnTwoCores(2)
    const over = vmsOnTwoCores(4)
    expect(fit.vms.v0!.cpu.ready_pct).toBeLessThan(1)
    for (const vm of Object.values(over.vms)) {
      expect(vm.cpu.ready_pct).toBeGreaterThan(40)
      expect(vm.cpu.ready_pct).toBeLessThan(60)
      expect(vm.throughput_ops_s / fit.vms.v0!.throughput_ops_s).toBeGreaterThan(0.45)
      expect(vm.throughput_ops_s / fit.vms.v0!.throughput_ops_s).toBeLessThan(0.55)
    }
    expect(over.hosts.h1!.cpu_pct).toBeGreaterThan(99)
  })

  it('runs a paravirtualized guest on Xen as PV, far cheaper than HVM with shadow paging on fork-heavy work', () => {
    const pv = one({ hypervisor: 'xen-3.0', cpu: 'core2-penryn', workload: 'forkwait', paravirt: true })
    const hvm = one({ hypervisor: 'xen-3.0', cpu: 'core2-penryn', workload: 'forkwait' })
    expect(pv.techniques).toEqual({ cpu: 'pv', mmu: 'direct' })
    expect(pv.throughput_ops_s).toBeGreaterThan(3 * hvm.throughput_ops_s)
  })
})
