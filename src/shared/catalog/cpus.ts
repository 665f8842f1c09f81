/**
 * Physical CPUs a host can carry. What matters to virtualization cost: clock,
 * cores, whether VT-x/AMD-V, EPT/RVI and tagged TLBs (VPID/ASID) exist, the
 * hardware VM-exit round trip, and work per cycle relative to the Pentium 4 672
 * on which the per-event costs (Adams & Agesen) were measured.
 */
import { byId } from './byId'
import type { CpuSpec } from './types'
import { SRC } from './sources'

const IPC_NOTE =
  'estimate: integer work per clock vs NetBurst from SPECint2006 rate per GHz per core of the era (Core ~1.7×, K10 ~1.6×, Nehalem ~2×)'
const WALK_NS =
  'estimate: mean latency of one page-walk reference, mostly L2/L3 hits (walk refs rarely go to DRAM, ~100 ns per Dean 2009); scaled by the cache hierarchy of the part'
const PWC_NATIVE = `${SRC.ainsworthJones}`
const NESTED = `${SRC.ainsworthJones}; full 2D walk 24 refs per ${SRC.bhargava}`

function cpu(spec: CpuSpec): CpuSpec {
  return spec
}

export const cpus: Record<string, CpuSpec> = {
  'pentium4-662': cpu({
    id: 'pentium4-662',
    name: 'Intel Pentium 4 662 (Prescott 2M, VT-x)',
    vendor: 'intel',
    year: 2005,
    ghz: 3.6,
    cores: 1,
    hwVirt: true,
    nestedPaging: false,
    taggedTlb: false,
    exitRoundTripCycles: 1926,
    ipcVsP4: 1.0,
    walkRefsNative: 2.0,
    walkRefsNested: 4.4,
    walkRefNs: 12,
    sources: {
      year: SRC.intelArk,
      ghz: SRC.intelArk,
      cores: SRC.intelArk,
      hwVirt: `${SRC.intelArk}: first desktop parts with VT-x`,
      nestedPaging: SRC.intelArk,
      taggedTlb: `${SRC.bugnion}: VPID arrives with Nehalem`,
      exitRoundTripCycles: `${SRC.bugnion}: Prescott 1,926`,
      ipcVsP4: 'same NetBurst core as the 672 (reference = 1.0)',
      walkRefsNative: 'estimate: NetBurst has no paging-structure caches, so more of the 4 walk references are issued than the ~1.5 of later cores',
      walkRefsNested: `${NESTED} (unused: no nested paging on this part)`,
      walkRefNs: WALK_NS
    }
  }),
  'pentium4-672': cpu({
    id: 'pentium4-672',
    name: 'Intel Pentium 4 672 (Prescott 2M, VT-x)',
    vendor: 'intel',
    year: 2006,
    ghz: 3.8,
    cores: 1,
    hwVirt: true,
    nestedPaging: false,
    taggedTlb: false,
    exitRoundTripCycles: 1926,
    ipcVsP4: 1.0,
    walkRefsNative: 2.0,
    walkRefsNested: 4.4,
    walkRefNs: 12,
    sources: {
      year: SRC.intelArk,
      ghz: SRC.intelArk,
      cores: SRC.intelArk,
      hwVirt: SRC.adamsAgesen,
      nestedPaging: SRC.intelArk,
      taggedTlb: SRC.bugnion,
      exitRoundTripCycles: `${SRC.bugnion}: Prescott 1,926 (Adams & Agesen Table 1: VM entry alone 2,409 on this part)`,
      ipcVsP4: 'the reference part of Adams & Agesen (1.0 by definition)',
      walkRefsNative: 'estimate: NetBurst has no paging-structure caches',
      walkRefsNested: `${NESTED} (unused: no nested paging on this part)`,
      walkRefNs: WALK_NS
    }
  }),
  'core2-merom': cpu({
    id: 'core2-merom',
    name: 'Intel Xeon 5160 (Core 2 "Merom"/Woodcrest, VT-x)',
    vendor: 'intel',
    year: 2006,
    ghz: 3.0,
    cores: 2,
    hwVirt: true,
    nestedPaging: false,
    taggedTlb: false,
    exitRoundTripCycles: 1156,
    ipcVsP4: 1.7,
    walkRefsNative: 1.5,
    walkRefsNested: 4.4,
    walkRefNs: 7,
    sources: {
      year: SRC.intelArk,
      ghz: SRC.intelArk,
      cores: SRC.intelArk,
      hwVirt: SRC.intelArk,
      nestedPaging: SRC.intelArk,
      taggedTlb: SRC.bugnion,
      exitRoundTripCycles: `${SRC.bugnion}: Merom 1,156 (Adams & Agesen Table 1: Core 2 VM entry 937)`,
      ipcVsP4: IPC_NOTE,
      walkRefsNative: PWC_NATIVE,
      walkRefsNested: `${NESTED} (unused: no EPT)`,
      walkRefNs: WALK_NS
    }
  }),
  'core2-penryn': cpu({
    id: 'core2-penryn',
    name: 'Intel Xeon E5450 (Core 2 "Penryn"/Harpertown, VT-x)',
    vendor: 'intel',
    year: 2007,
    ghz: 3.0,
    cores: 4,
    hwVirt: true,
    nestedPaging: false,
    taggedTlb: false,
    exitRoundTripCycles: 858,
    ipcVsP4: 1.8,
    walkRefsNative: 1.5,
    walkRefsNested: 4.4,
    walkRefNs: 7,
    sources: {
      year: SRC.intelArk,
      ghz: SRC.intelArk,
      cores: SRC.intelArk,
      hwVirt: SRC.intelArk,
      nestedPaging: SRC.intelArk,
      taggedTlb: SRC.bugnion,
      exitRoundTripCycles: `${SRC.bugnion}: Penryn 858`,
      ipcVsP4: IPC_NOTE,
      walkRefsNative: PWC_NATIVE,
      walkRefsNested: `${NESTED} (unused: no EPT)`,
      walkRefNs: WALK_NS
    }
  }),
  'opteron-barcelona': cpu({
    id: 'opteron-barcelona',
    name: 'AMD Opteron 2356 (K10 "Barcelona", AMD-V + RVI)',
    vendor: 'amd',
    year: 2007,
    ghz: 2.3,
    cores: 4,
    hwVirt: true,
    nestedPaging: true,
    taggedTlb: true,
    exitRoundTripCycles: 1400,
    ipcVsP4: 1.6,
    walkRefsNative: 1.5,
    walkRefsNested: 4.4,
    walkRefNs: 9,
    sources: {
      year: SRC.amdSpec,
      ghz: SRC.amdSpec,
      cores: SRC.amdSpec,
      hwVirt: SRC.amdSpec,
      nestedPaging: `${SRC.vmwareRvi}: RVI from Barcelona`,
      taggedTlb: 'AMD-V ASIDs since the first AMD-V parts (AMD64 APM vol. 2, §15.16) (A)',
      exitRoundTripCycles:
        'estimate: no published table for AMD; VMRUN/#VMEXIT on K10 placed between Intel Merom and Penryn (~1,400), consistent with AMD claiming a ~25 % faster world switch for Shanghai',
      ipcVsP4: IPC_NOTE,
      walkRefsNative: PWC_NATIVE,
      walkRefsNested: `${NESTED}; ${SRC.bhargava} (Barcelona's 2D walk caches)`,
      walkRefNs: WALK_NS
    }
  }),
  'opteron-shanghai': cpu({
    id: 'opteron-shanghai',
    name: 'AMD Opteron 2384 (K10 "Shanghai", AMD-V + RVI)',
    vendor: 'amd',
    year: 2008,
    ghz: 2.7,
    cores: 4,
    hwVirt: true,
    nestedPaging: true,
    taggedTlb: true,
    exitRoundTripCycles: 1050,
    ipcVsP4: 1.7,
    walkRefsNative: 1.5,
    walkRefsNested: 4.4,
    walkRefNs: 8,
    sources: {
      year: SRC.amdSpec,
      ghz: SRC.amdSpec,
      cores: SRC.amdSpec,
      hwVirt: SRC.amdSpec,
      nestedPaging: SRC.amdSpec,
      taggedTlb: 'AMD-V ASIDs (AMD64 APM vol. 2) (A)',
      exitRoundTripCycles: 'estimate: Barcelona value less AMD\'s stated ~25 % faster world switch for Shanghai (AMD launch material, B)',
      ipcVsP4: IPC_NOTE,
      walkRefsNative: PWC_NATIVE,
      walkRefsNested: NESTED,
      walkRefNs: 'estimate: as Barcelona, larger 6 MB L3 shortens misses'
    }
  }),
  'nehalem-x5570': cpu({
    id: 'nehalem-x5570',
    name: 'Intel Xeon X5570 (Nehalem-EP, VT-x + EPT + VPID)',
    vendor: 'intel',
    year: 2009,
    ghz: 2.93,
    cores: 4,
    hwVirt: true,
    nestedPaging: true,
    taggedTlb: true,
    exitRoundTripCycles: 613,
    ipcVsP4: 2.0,
    walkRefsNative: 1.5,
    walkRefsNested: 4.4,
    walkRefNs: 8,
    sources: {
      year: SRC.intelArk,
      ghz: SRC.intelArk,
      cores: SRC.intelArk,
      hwVirt: SRC.intelArk,
      nestedPaging: `${SRC.vmwareEpt}: EPT from Nehalem`,
      taggedTlb: `${SRC.bugnion}: VPID from Nehalem`,
      exitRoundTripCycles: `${SRC.anandNehalem}: Penryn 858 / 1.4 ≈ 613`,
      ipcVsP4: IPC_NOTE,
      walkRefsNative: PWC_NATIVE,
      walkRefsNested: NESTED,
      walkRefNs: WALK_NS
    }
  }),
  'westmere-x5670': cpu({
    id: 'westmere-x5670',
    name: 'Intel Xeon X5670 (Westmere-EP, VT-x + EPT + VPID)',
    vendor: 'intel',
    year: 2010,
    ghz: 2.93,
    cores: 6,
    hwVirt: true,
    nestedPaging: true,
    taggedTlb: true,
    exitRoundTripCycles: 569,
    ipcVsP4: 2.05,
    walkRefsNative: 1.5,
    walkRefsNested: 4.4,
    walkRefNs: 8,
    sources: {
      year: SRC.intelArk,
      ghz: SRC.intelArk,
      cores: SRC.intelArk,
      hwVirt: SRC.intelArk,
      nestedPaging: SRC.intelArk,
      taggedTlb: SRC.bugnion,
      exitRoundTripCycles: `${SRC.bugnion}: Westmere 569`,
      ipcVsP4: IPC_NOTE,
      walkRefsNative: PWC_NATIVE,
      walkRefsNested: NESTED,
      walkRefNs: WALK_NS
    }
  }),
  'sandybridge-e5-2680': cpu({
    id: 'sandybridge-e5-2680',
    name: 'Intel Xeon E5-2680 (Sandy Bridge-EP, VT-x + EPT + VPID)',
    vendor: 'intel',
    year: 2012,
    ghz: 2.7,
    cores: 8,
    hwVirt: true,
    nestedPaging: true,
    taggedTlb: true,
    exitRoundTripCycles: 507,
    ipcVsP4: 2.3,
    walkRefsNative: 1.5,
    walkRefsNested: 4.4,
    walkRefNs: 7,
    sources: {
      year: SRC.intelArk,
      ghz: SRC.intelArk,
      cores: SRC.intelArk,
      hwVirt: SRC.intelArk,
      nestedPaging: SRC.intelArk,
      taggedTlb: SRC.bugnion,
      exitRoundTripCycles: `${SRC.bugnion}: Sandy Bridge 507`,
      ipcVsP4: IPC_NOTE,
      walkRefsNative: PWC_NATIVE,
      walkRefsNested: NESTED,
      walkRefNs: WALK_NS
    }
  })
}

byId(cpus)
