/**
 * Behaviour of the model beyond the calibration targets (those live in
 * test/calibration): which technique `auto` picks, the ordering of workloads
 * by how much they pay, vCPU scheduling under overcommit, paravirtual Xen.
 */
import { describe, expect, it } from 'vitest'
import { runToEnd } from '../../src/main/engine'
import { BARCELONA, ESX35, NEHALEM, one } from '../calibration/lab'
import { experiment, shortRun } from './helpers'

describe('CPU virtualization (ESX 3 era, binary translation)', () => {
  it('fork/exec-heavy work pays most', () => {
    const sys = one({ ...ESX35, workload: 'cpu-syscall' })
    const fork = one({ ...ESX35, workload: 'forkwait' })
    expect(fork.overhead_pct!).toBeGreaterThan(sys.overhead_pct!)
  })
})

describe('MMU virtualization: nested paging', () => {
  it('is the default where the CPU and hypervisor have it (EPT on ESX 4, RVI already on ESX 3.5)', () => {
    expect(one({ ...NEHALEM, workload: 'cpu-int' }).techniques).toEqual({ cpu: 'hw', mmu: 'nested' })
    expect(one({ ...BARCELONA, workload: 'cpu-int' }).techniques).toEqual({ cpu: 'hw', mmu: 'nested' })
    expect(one({ hypervisor: 'esx-3.5', cpu: 'nehalem-x5570', workload: 'cpu-int' }).techniques.mmu).toBe('shadow')
  })
})

describe('vCPU scheduling', () => {
  const vmsOnTwoCores = (n: number) => {
    const exp = experiment({
      ...shortRun(6),
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

describe('where the CPU time goes', () => {
  it('two-dimensional page walks are the guest\'s time, not the hypervisor\'s', () => {
    const r = one({ ...NEHALEM, memory: 8, workload: { preset: 'memory-tlb', working_set_mb: 4096, page_kb: 4 } })
    expect(r.techniques.mmu).toBe('nested')
    // The TLB-bound VM spends a large share of its time in walks...
    expect(r.cpu.page_walks_pct!).toBeGreaterThan(20)
    expect(r.breakdown_pct.page_walks).toBeGreaterThan(20)
    // ...counted as guest time; the hypervisor does almost nothing for it (timer ticks only).
    expect(r.cpu.guest_pct).toBeGreaterThan(r.cpu.page_walks_pct!)
    expect(r.cpu.hypervisor_pct).toBeLessThan(2)
  })

  it('binary translation charges the guest kernel\'s translated code, and nothing for user-mode code', () => {
    const bt = one({ ...ESX35, workload: 'kernel-compile' })
    const line = bt.explain!.find((e) => e.mechanism.startsWith('translated guest-kernel code'))!
    expect(line.category).toBe('vm_exits')
    // Five returns per 1,000 kernel instructions, on the 20 % of the instructions the kernel runs.
    const instructions = bt.explain!.find((e) => e.mechanism === 'guest instructions')!
    expect(line.per_op / instructions.per_op).toBeCloseTo((0.2 * 5) / 1000, 6)
    const user = one({ ...ESX35, workload: { kind: 'custom', arrival: { process: 'closed', clients: 1, think_ms: 0 }, per_op: { instructions: 1e7, kernel_instr_pct: 0 } } })
    expect(user.explain!.some((e) => e.mechanism.startsWith('translated guest-kernel code'))).toBe(false)
    const hw = one({ ...NEHALEM, workload: 'kernel-compile' })
    expect(hw.explain!.some((e) => e.mechanism.startsWith('translated guest-kernel code'))).toBe(false)
  })
})

describe('latency distributions', () => {
  it('flash commands and operations of a spreading workload vary; a workload of identical operations does not', () => {
    const ssd = one({ ...NEHALEM, disk: 'ssd-sata', controller: 'pvscsi', duration: 3, workload: { preset: 'disk-random', kb: 4, read_pct: 100, arrival: { process: 'closed', clients: 32, think_ms: 0 } } })
    expect(ssd.disk.latency_ms.p99!).toBeGreaterThan(1.1 * ssd.latency_ms.p50!)
    expect(ssd.latency_ms.p99!).toBeGreaterThan(1.1 * ssd.latency_ms.p50!)
    const compile = one({ ...NEHALEM, workload: 'kernel-compile' })
    expect(compile.latency_ms.p95!).toBeGreaterThan(1.5 * compile.latency_ms.p50!)
    const alike = one({ ...NEHALEM, workload: { kind: 'custom', arrival: { process: 'closed', clients: 1, think_ms: 0 }, per_op: { instructions: 1e6 } } })
    expect(alike.latency_ms.p99! / alike.latency_ms.p50!).toBeLessThan(1.02)
  })
})
