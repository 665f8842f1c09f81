/**
 * The published cases (docs/model.md §11): each builds experiments in the
 * public format, runs them and reduces the result to one number that the
 * source also reports. Its band is what the source allows, on both sides
 * where the source gives both; never a band widened to fit the model.
 *
 * `group` says whether a catalog input was tuned to the case (`fitted`, with
 * those inputs named) or not (`validation`). A case the model misses keeps its
 * real band and carries `failing`: why it misses and what would fix it, so the
 * miss stays visible (the calibration suite expects it to fail and notices
 * when it stops failing).
 */
import type { ValidationGroup } from '../../shared/validation'
import { BARCELONA, cpuUsPerOp, ESX35, NEHALEM, one, P4, run, tp, type Setup } from './lab'

export interface Measured {
  value: number
  /** Further conditions the source states (the technique chosen, a category that must show), each with what it says. */
  checks?: Array<{ what: string; ok: boolean }>
}

export interface ValidationCase {
  id: string
  target: string
  group: ValidationGroup
  fittedInputs: string[]
  literature: string
  band: { min: number | null; max: number | null }
  unit: string
  source: string
  /** Set while the model misses the band: why, and what would fix it. */
  failing?: string
  measure(): Measured
}

const VMW2007 = 'VMware, "A Performance Comparison of Hypervisors" (2007): ESX 3.0.1 3 % and Xen 3.0.3 6 % average slowdown; CPU-bound SPECcpu2000 integer near native on both (B)'
const AA = 'Adams & Agesen, ASPLOS 2006: forkwait 40,000 iterations in 6.0 s native, 36.9 s BT, 106.4 s VT-x on a Pentium 4 672 (C)'
const RVI = 'VMware, "Performance Evaluation of AMD RVI Hardware Assist" (2008): up to 42 % on MMU-intensive benchmarks (A)'
const EPT = 'VMware, "Performance Evaluation of Intel EPT Hardware Assist" (2009): up to 48 % on MMU-intensive benchmarks, up to 600 % on MMU micro-benchmarks; EPT raises memory-access latency for a few workloads, large pages in guest and hypervisor recover it (A)'
const PVSCSI = 'VMware, "PVSCSI Storage Performance" (vSphere 4, 2010): PVSCSI cuts CPU per I/O by 10–30 % on Fibre Channel and raises throughput by about 12 % when the workload drives very high I/O rates (B)'
const VMXNET3 = 'VMware, "Performance Evaluation of VMXNET3 Virtual Network Device" (vSphere 4, 2009): up to 92 % more 10 GbE TCP receive throughput than enhanced vmxnet (vmxnet2) (B)'
const HYPERV_2008 = 'Microsoft (Tim Litton, Windows Server Performance Team blog, 2008-09-19) "Hyper-V and VHD Performance – Dynamic vs. Fixed": fixed VHD 10–15 % ahead of dynamic in most scenarios, significantly ahead on 4 KB writes (B)'
const HYPERV_R2 = 'Microsoft, "Virtual Hard Disk Performance" whitepaper (Windows Server 2008 R2): pass-through fastest, fixed VHD close to it and to the underlying disk, dynamic VHD behind (B)'

const ssd = { ...NEHALEM, disk: 'ssd-sata', duration: 3 } satisfies Partial<Setup>
const fastIo = { preset: 'disk-random', kb: 4, read_pct: 100, arrival: { process: 'closed', clients: 32, think_ms: 0 } } as const
const hyperv = { hypervisor: 'hyperv-2008r2', cpu: 'nehalem-x5570', workload: { preset: 'disk-random', kb: 8, read_pct: 70 } } as const

/** Mean overhead over the three-workload mix (CPU-bound, system-call heavy, compile), as a benchmark suite's mean slowdown. */
function mixMean(hypervisor: string): number {
  const mix = ['cpu-int', 'cpu-syscall', 'kernel-compile'] as const
  return mix.reduce((sum, workload) => sum + one({ hypervisor, cpu: 'core2-penryn', workload }).overhead_pct!, 0) / mix.length
}

const sharedDisk = (vms: number) =>
  run({ ...ESX35, vms, duration: 15, workload: { preset: 'disk-random', kb: 8, read_pct: 70, arrival: { process: 'closed', clients: 1, think_ms: 20 } } })

export const cases: ValidationCase[] = [
  {
    id: 'esx35-cpu-int',
    target: 'ESX 3.5 (BT) overhead, CPU-bound integer work',
    group: 'validation', fittedInputs: [],
    literature: 'a few %, at most 6 %', band: { min: 1, max: 6 }, unit: '%', source: VMW2007,
    failing: 'about 0.5 %: user-mode integer code runs directly under binary translation, as it does in VMware\'s monitor; what remains is the translated guest-kernel code (2 % of the instructions, an estimate) and timer ticks. The few percent measured on real systems must come from something the model does not have (the monitor\'s own cache and TLB footprint, interrupt handling in the monitor), not from translating user code',
    measure: () => {
      const r = one({ ...ESX35, workload: 'cpu-int' })
      return { value: r.overhead_pct!, checks: [{ what: 'ESX 3.5 on a Penryn runs binary translation with shadow paging', ok: r.techniques.cpu === 'bt' && r.techniques.mmu === 'shadow' }] }
    }
  },
  {
    id: 'esx35-cpu-syscall',
    target: 'ESX 3.5 (BT) overhead, system-call and fault heavy work',
    group: 'validation', fittedInputs: [],
    literature: 'up to ~18 % ("complex CPU operations")', band: { min: 10, max: 18 }, unit: '%', source: VMW2007,
    failing: 'about 20 %: the eight system calls at Adams & Agesen\'s +2,000 cycles each give 10 points, and the translated kernel code of the calls\' bodies (40 % of the instructions, an estimate, at one return in 200 paying the translation-cache look-up, an estimate) 5 more; one of those two estimates is too high',
    measure: () => {
      const r = one({ ...ESX35, workload: 'cpu-syscall' })
      return { value: r.overhead_pct!, checks: [{ what: 'the overhead shows as VM exits and traps', ok: r.breakdown_pct.vm_exits > 5 }] }
    }
  },
  {
    id: 'xen30-over-esx35-mix',
    target: 'Xen 3.0 ÷ ESX 3.5 mean overhead (cpu-int, cpu-syscall, kernel-compile)',
    group: 'validation', fittedInputs: [],
    literature: '≈ 2× (6 % against 3 %)', band: { min: 1.5, max: 2.5 }, unit: '×', source: VMW2007,
    measure: () => ({ value: mixMean('xen-3.0') / mixMean('esx-3.5') })
  },
  {
    id: 'esx35-mix-level',
    target: 'ESX 3.5 mean overhead over the mix (cpu-int, cpu-syscall, kernel-compile)',
    group: 'validation', fittedInputs: [],
    literature: '3 % average (single digits)', band: { min: 1, max: 9.9 }, unit: '%', source: VMW2007,
    failing: 'about 17 %, carried by kernel-compile (about 30 % under BT: hidden page faults 7.5 points, page-fault traps 5.3, translated kernel code 1.0, all on 11,000 page faults per file, a count fitted to the nested-paging speed-up) and cpu-syscall (about 20 %: see that case). The VMware comparison averaged Windows workloads dominated by user-mode work; a mix this fault-heavy is not what it measured, so part of the gap is the mix, part the per-fault costs',
    measure: () => ({ value: mixMean('esx-3.5') })
  },
  {
    id: 'xen30-mix-level',
    target: 'Xen 3.0 (VT-x, shadow) mean overhead over the mix',
    group: 'validation', fittedInputs: [],
    literature: '6 % average (single digits)', band: { min: 2, max: 12 }, unit: '%', source: VMW2007,
    failing: 'about 27 %, carried by kernel-compile under VT-x with shadow paging (about 55 %: two exits per guest page fault, one per PTE write and per hidden fault, each a Penryn round trip plus a TLB refill without VPID, and the P4-measured handler work scaled by the core\'s work per cycle). Xen 3.0\'s own shadow code is costed with VMware\'s hardware-VMM measurements; no Xen-specific per-fault figure is in the catalog',
    measure: () => ({ value: mixMean('xen-3.0') })
  },
  ...(
    [
      ['rvi-kernel-compile', BARCELONA, 'RVI (Barcelona, ESX 3.5): kernel-compile speed-up over BT + shadow', 'up to 42 %', 1.42, RVI],
      ['ept-kernel-compile', NEHALEM, 'EPT (Nehalem, ESX 4.0): kernel-compile speed-up over BT + shadow', 'up to 48 %', 1.48, EPT]
    ] as const
  ).map(([id, platform, target, literature, max, source]): ValidationCase => ({
    id, target, group: 'fitted',
    fittedInputs: ['workloads.kernel-compile.page_faults', 'workloads.kernel-compile.pte_updates'],
    literature, band: { min: 1.2, max }, unit: '×', source,
    measure: () => {
      const shadow = one({ ...platform, workload: 'kernel-compile', cpu_virt: 'bt', mmu_virt: 'shadow' })
      const nested = one({ ...platform, workload: 'kernel-compile' })
      return {
        value: tp(nested) / tp(shadow),
        checks: [
          { what: 'auto picks nested paging', ok: nested.techniques.mmu === 'nested' },
          { what: 'nested paging shows page walks', ok: nested.breakdown_pct.page_walks > 0 }
        ]
      }
    }
  })),
  {
    id: 'ept-forkwait',
    target: 'EPT (Nehalem): forkwait speed-up over BT + shadow',
    group: 'validation', fittedInputs: [],
    literature: 'MMU micro-benchmarks up to 600 % faster', band: { min: 3, max: 7 }, unit: '×', source: EPT,
    measure: () => {
      const shadow = one({ ...NEHALEM, workload: 'forkwait', cpu_virt: 'bt', mmu_virt: 'shadow' })
      const nested = one({ ...NEHALEM, workload: 'forkwait' })
      return { value: tp(nested) / tp(shadow) }
    }
  },
  {
    id: 'ept-cpu-int',
    target: 'EPT ÷ BT + shadow throughput, CPU-bound integer work',
    group: 'validation', fittedInputs: [],
    literature: 'little difference', band: { min: 0.97, max: 1.03 }, unit: '×', source: EPT,
    measure: () => {
      const shadow = one({ ...NEHALEM, workload: 'cpu-int', cpu_virt: 'bt', mmu_virt: 'shadow' })
      const nested = one({ ...NEHALEM, workload: 'cpu-int' })
      return { value: tp(nested) / tp(shadow) }
    }
  },
  {
    id: 'ept-memory-tlb',
    target: 'EPT ÷ BT + shadow throughput, TLB-bound work on 4 KB pages',
    group: 'validation', fittedInputs: [],
    literature: 'slower (the source gives no figure)', band: { min: null, max: 0.97 }, unit: '×',
    source: `${EPT}; Bhargava et al., ASPLOS 2008: a 2D walk takes up to 24 references (A)`,
    measure: () => {
      const tlb = { preset: 'memory-tlb', working_set_mb: 4096, page_kb: 4 } as const
      const big = { ...NEHALEM, memory: 8 }
      const shadow = one({ ...big, workload: tlb, cpu_virt: 'bt', mmu_virt: 'shadow' })
      const small = one({ ...big, workload: tlb })
      const large = one({ ...big, workload: { ...tlb, page_kb: 2048 }, large_pages: true })
      return {
        value: tp(small) / tp(shadow),
        checks: [
          { what: 'the loss shows as page walks', ok: small.breakdown_pct.page_walks > 10 },
          { what: 'large pages in guest and host recover most of it', ok: large.overhead_pct! < small.overhead_pct! / 3 }
        ]
      }
    }
  },
  {
    id: 'p4-forkwait-bt',
    target: 'Pentium 4: forkwait time under BT ÷ native',
    group: 'fitted', fittedInputs: ['workloads.forkwait.page_faults', 'workloads.forkwait.pte_updates'],
    literature: '6.2× (36.9 s ÷ 6.0 s)', band: { min: 5.6, max: 6.8 }, unit: '×', source: AA,
    measure: () => {
      const r = one({ ...P4, workload: 'forkwait', cpu_virt: 'bt' })
      return { value: r.native_throughput_ops_s! / tp(r) }
    }
  },
  {
    id: 'p4-forkwait-vtx',
    target: 'Pentium 4: forkwait time under VT-x ÷ native',
    group: 'fitted', fittedInputs: ['workloads.forkwait.page_faults', 'workloads.forkwait.pte_updates'],
    literature: '17.7× (106.4 s ÷ 6.0 s)', band: { min: 15.9, max: 19.5 }, unit: '×', source: AA,
    measure: () => {
      const bt = one({ ...P4, workload: 'forkwait', cpu_virt: 'bt' })
      const hw = one({ ...P4, workload: 'forkwait', cpu_virt: 'hw' })
      return { value: hw.native_throughput_ops_s! / tp(hw), checks: [{ what: 'VT-x is slower than BT on forkwait', ok: tp(hw) < tp(bt) }] }
    }
  },
  {
    id: 'p4-compile-vtx-over-bt',
    target: 'Pentium 4: kernel-compile throughput, VT-x ÷ BT',
    group: 'validation', fittedInputs: [],
    literature: 'below 1 (first-generation VT-x loses on MMU-heavy work)', band: { min: null, max: 1 }, unit: '×',
    source: 'Adams & Agesen, ASPLOS 2006: the hardware VMM trails the software VMM on compile workloads (C)',
    measure: () => {
      const bt = one({ ...P4, workload: 'kernel-compile', cpu_virt: 'bt' })
      const hw = one({ ...P4, workload: 'kernel-compile', cpu_virt: 'hw' })
      return { value: tp(hw) / tp(bt) }
    }
  },
  {
    id: 'pvscsi-over-lsilogic-iops',
    target: 'PVSCSI ÷ LSI Logic IOPS, 4 KB random reads, SSD, 32 outstanding',
    group: 'validation', fittedInputs: [],
    literature: 'about +12 % at very high I/O rates', band: { min: 1.0, max: 1.2 }, unit: '×', source: PVSCSI,
    failing: 'the emulated LSI Logic path costs four trapped register accesses at the full VT-x I/O-access handler (13,900 P4 cycles each, Adams & Agesen\'s `in` to a virtual port), so one vCPU saturates at half the paravirtual rate; ESX\'s in-monitor LSI Logic emulation is far cheaper per access, which the catalog does not separate yet',
    measure: () => {
      const emulated = one({ ...ssd, workload: fastIo, controller: 'lsilogic' })
      const pv = one({ ...ssd, workload: fastIo, controller: 'pvscsi' })
      return { value: tp(pv) / tp(emulated), checks: [{ what: 'the emulated device shows more device emulation', ok: emulated.breakdown_pct.device_emulation > pv.breakdown_pct.device_emulation }] }
    }
  },
  {
    id: 'pvscsi-over-lsilogic-cpu',
    target: 'PVSCSI ÷ LSI Logic CPU per I/O, 4 KB random reads, SSD, 32 outstanding',
    group: 'validation', fittedInputs: [],
    literature: '10–30 % less CPU per I/O', band: { min: 0.7, max: 0.9 }, unit: '×', source: PVSCSI,
    failing: 'same cause as the IOPS case: the emulated path\'s per-access cost is the full VT-x I/O handler, so PVSCSI comes out far cheaper than 10–30 %',
    measure: () => {
      const emulated = one({ ...ssd, workload: fastIo, controller: 'lsilogic' })
      const pv = one({ ...ssd, workload: fastIo, controller: 'pvscsi' })
      return { value: cpuUsPerOp(pv) / cpuUsPerOp(emulated) }
    }
  },
  {
    id: 'rdm-over-vmfs',
    target: 'ESX 3.5: pass-through (RDM) ÷ VMFS thick IOPS, CPU-bound 4 KB reads (fast device, 8 outstanding)',
    group: 'validation', fittedInputs: [],
    literature: 'about the same throughput and CPU per I/O', band: { min: 0.95, max: 1.05 }, unit: '×',
    source: 'VMware, "Performance Characteristics of VMFS and RDM" (ESX Server 3.0.1, 2007) (B)',
    measure: () => {
      // A device faster than the CPU path (20 µs per request): the driver, the stack and the layer decide throughput.
      const fast = { ...ESX35, disk: { model: 'custom', servers: 8, service_ms: { dist: 'deterministic', mean: 0.02 } }, duration: 3,
        workload: { preset: 'disk-random', kb: 4, read_pct: 100, arrival: { process: 'closed', clients: 8, think_ms: 0 } } } as const
      const rdm = one({ ...fast, controller: 'lsilogic', raw: true })
      const vmfs = one({ ...fast, controller: 'lsilogic' })
      const layer = (r: typeof rdm): boolean => r.explain!.some((e) => e.mechanism.includes('virtual-disk layer'))
      return { value: tp(rdm) / tp(vmfs), checks: [{ what: 'the raw mapping skips the virtual-disk layer that the VMFS disk pays', ok: !layer(rdm) && layer(vmfs) }] }
    }
  },
  {
    id: 'vmxnet3-over-vmxnet2-rx',
    target: 'vmxnet3 ÷ vmxnet2 receive throughput, TCP stream, 10 GbE',
    group: 'validation', fittedInputs: [],
    literature: 'up to +92 %', band: { min: 1.0, max: 1.92 }, unit: '×', source: VMXNET3,
    measure: () => {
      const rx = { preset: 'net-stream', direction: 'rx' } as const
      const v2 = one({ ...ssd, hypervisor: 'esx-4.0', workload: rx, nic: 'vmxnet2' })
      const v3 = one({ ...ssd, hypervisor: 'esx-4.0', workload: rx, nic: 'vmxnet3' })
      return { value: v3.net.gbps / v2.net.gbps }
    }
  },
  {
    id: 'passthrough-nic',
    target: 'Pass-through NIC overhead, TCP stream, 10 GbE',
    group: 'validation', fittedInputs: [],
    literature: 'near native', band: { min: 0, max: 5 }, unit: '%',
    source: 'Dong et al., "High Performance Network Virtualization with SR-IOV", HPCA 2010: near line rate (A)',
    measure: () => {
      const r = one({ ...ssd, workload: 'net-stream', nic: 'passthrough' })
      return { value: r.overhead_pct!, checks: [{ what: 'no more than the 10 GbE line', ok: r.net.gbps <= 10 }] }
    }
  },
  {
    id: 'hyperv-passthrough-over-fixed',
    target: 'Hyper-V R2: pass-through ÷ fixed VHD IOPS, 8 KB random, SSD, 32 outstanding',
    group: 'validation', fittedInputs: [],
    literature: 'fixed VHD within a few % of pass-through (never ahead of it; the lower bound allows the run\'s ±1 % precision)', band: { min: 0.98, max: 1.05 }, unit: '×', source: HYPERV_R2,
    measure: () => {
      const fast = { ...hyperv, disk: 'ssd-sata', duration: 3, workload: { preset: 'disk-random', kb: 8, read_pct: 70, arrival: { process: 'closed', clients: 32, think_ms: 0 } } } as const
      const pt = one({ ...fast, controller: 'hyperv-synthetic', raw: true })
      const fixed = one({ ...fast, controller: 'hyperv-synthetic', format: 'fixed-vhd' })
      return { value: tp(pt) / tp(fixed) }
    }
  },
  {
    id: 'hyperv-fixed-near-passthrough-hdd',
    target: 'Hyper-V R2: pass-through ÷ fixed VHD IOPS, 8 KB random, one 7,200 rpm disk',
    group: 'validation', fittedInputs: [],
    literature: 'fixed VHD close to the underlying disk (the lower bound allows the run\'s ±1 % precision)', band: { min: 0.98, max: 1.03 }, unit: '×', source: HYPERV_R2,
    measure: () => {
      const pt = one({ ...hyperv, controller: 'hyperv-synthetic', raw: true })
      const fixed = one({ ...hyperv, controller: 'hyperv-synthetic', format: 'fixed-vhd' })
      return { value: tp(pt) / tp(fixed), checks: [{ what: 'pass-through has no higher latency', ok: pt.latency_ms.mean! <= fixed.latency_ms.mean! * 1.001 }] }
    }
  },
  {
    id: 'hyperv-fixed-over-dynamic',
    target: 'Hyper-V R2: fixed ÷ dynamic VHD IOPS (allocated), 8 KB random, 7,200 rpm disk',
    group: 'validation', fittedInputs: [],
    literature: 'dynamic behind fixed; R2 narrowed Windows Server 2008\'s 10–15 %', band: { min: 1.0, max: 1.15 }, unit: '×', source: `${HYPERV_R2}; ${HYPERV_2008}`,
    measure: () => {
      const fixed = one({ ...hyperv, controller: 'hyperv-synthetic', format: 'fixed-vhd' })
      const aged = one({ ...hyperv, controller: 'hyperv-synthetic', format: 'dynamic-vhd', allocated: 100 })
      return { value: tp(fixed) / tp(aged) }
    }
  },
  {
    id: 'hyperv-dynamic-first-writes',
    target: 'Hyper-V dynamic VHD, random writes: allocated ÷ new IOPS',
    group: 'validation', fittedInputs: [],
    literature: 'fixed "significantly" ahead on 4 KB writes (beyond the 10–15 % elsewhere)', band: { min: 1.15, max: null }, unit: '×', source: HYPERV_2008,
    measure: () => {
      const writes = { ...hyperv, controller: 'hyperv-synthetic', format: 'dynamic-vhd', workload: { preset: 'disk-random', kb: 4, read_pct: 0 } } as const
      return { value: tp(one({ ...writes, allocated: 100 })) / tp(one(writes)) }
    }
  },
  {
    id: 'shared-disk-saturation',
    target: 'Shared 7,200 rpm disk: total IOPS of 12 VMs ÷ 8 VMs',
    group: 'validation', fittedInputs: [],
    literature: '≈ 1 once saturated', band: { min: 0.9, max: 1.1 }, unit: '×',
    source: 'queueing theory: a saturated single server (Little\'s law, closed system)',
    measure: () => {
      const total = (n: number) => sharedDisk(n).reduce((s, r) => s + tp(r), 0)
      const one1 = total(1)
      const x8 = total(8)
      const x12 = total(12)
      return { value: x12 / x8, checks: [{ what: 'two VMs nearly double one VM\'s IOPS', ok: total(2) / one1 > 1.7 }, { what: 'a 7,200 rpm disk stays under 160 IOPS', ok: x12 < 160 }] }
    }
  },
  {
    id: 'shared-disk-littles-law',
    target: "Shared disk: worst deviation from Little's law N = X(R + Z), 1–12 VMs",
    group: 'validation', fittedInputs: [],
    literature: '0', band: { min: 0, max: 5 }, unit: '%', source: "Little's law (closed system, Z = 20 ms think time)",
    measure: () => {
      let worst = 0
      const latencies: number[] = []
      for (const n of [1, 2, 4, 8, 12]) {
        const rs = sharedDisk(n)
        const x = rs.reduce((s, r) => s + tp(r), 0)
        const rMs = rs.reduce((s, r) => s + r.latency_ms.mean!, 0) / rs.length
        latencies.push(rMs)
        worst = Math.max(worst, Math.abs((x * (rMs + 20)) / 1000 - n) / n)
      }
      return { value: 100 * worst, checks: [{ what: 'latency grows with every VM added', ok: latencies.every((l, i) => i === 0 || l > latencies[i - 1]!) }] }
    }
  },
  {
    id: 'shared-disk-contention',
    target: '8 VMs on one disk: contention share of the overhead',
    group: 'validation', fittedInputs: [],
    literature: 'most of it (one VM alone hides the cost of sharing)', band: { min: 80, max: 100 }, unit: '%',
    source: 'docs/model.md §9; queueing on one shared server',
    measure: () => {
      const alone = sharedDisk(1)[0]!
      const crowded = sharedDisk(8)[0]!
      const split = crowded.overhead_split_pct!
      return {
        value: (100 * split.contention) / crowded.overhead_pct!,
        checks: [
          { what: 'one VM alone has no contention', ok: alone.overhead_split_pct!.contention === 0 },
          { what: 'tax and contention add up to the overhead', ok: Math.abs(split.virtualization + split.contention - crowded.overhead_pct!) < 1e-3 },
          { what: 'crowding shows as queueing', ok: crowded.breakdown_pct.queueing > alone.breakdown_pct.queueing }
        ]
      }
    }
  }
]
