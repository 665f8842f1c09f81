/**
 * Hypervisors: which CPU and MMU virtualization techniques each offers, where
 * its device models run, which virtual devices and volume kinds it has (a
 * volume kind says which disk formats it holds), its scheduler slice, and the
 * host-side CPU its I/O stack spends.
 *
 * Defaults (`cpu_virt: auto`, `mmu_virt: auto`) are resolved by the engine:
 * nested paging when the CPU has it and the hypervisor uses that vendor's
 * flavour (then hardware CPU virtualization), paravirtual CPU for a
 * paravirtualized guest on Xen (or VMI on ESX without nested paging), else the
 * first technique of `cpuVirt` the CPU supports.
 */
import { byId } from './byId'
import type { HypervisorSpec } from './types'
import { SRC } from './sources'

const ALL_NICS = ['vlance', 'e1000', 'vmxnet2', 'vmxnet3', 'virtio-net', 'xen-netfront', 'hyperv-legacy', 'hyperv-synthetic', 'passthrough']
const ALL_DISKS = ['ide', 'lsilogic', 'pvscsi', 'virtio-blk', 'xen-blkfront', 'hyperv-synthetic', 'passthrough']

const IO_EST = (what: string): string => `estimate: ${what}; order of magnitude of a few µs of host CPU per request on 2006–2010 servers`
const VMK = 'estimate: vmkernel storage stack issues DMA without copies; a few µs per command'
const DOM0 = `${SRC.menon}; estimate of cycles from its per-packet/per-request dom0 profile`

export const hypervisors: Record<string, HypervisorSpec> = {
  native: {
    id: 'native',
    name: 'Bare metal (no hypervisor)',
    family: 'native',
    year: 2000,
    cpuVirt: [],
    mmuVirt: [],
    ioArchitecture: 'none',
    // On bare metal a model names the class of physical adapter; the engine drives it natively.
    nicModels: ALL_NICS,
    diskModels: ALL_DISKS,
    volumeKinds: ['ext3', 'lvm', 'ntfs'],
    sliceMs: 6,
    nestedVendors: [],
    ioCyclesPerRequest: 0,
    ioCyclesPerKB: 0,
    netCyclesPerPacket: 0,
    netCyclesPerKB: 0,
    worldSwitchCycles: 0,
    pciPassthroughPerVm: null,
    sources: {
      pciPassthroughPerVm: 'bare metal: the operating system owns every device; nothing is passed through',
      year: 'not meaningful for bare metal',
      sliceMs: SRC.cfs,
      ioCyclesPerRequest: 'no hypervisor: the guest driver cost is charged to the operating system',
      ioCyclesPerKB: 'no hypervisor',
      netCyclesPerPacket: 'no hypervisor',
      netCyclesPerKB: 'no hypervisor',
      worldSwitchCycles: 'no hypervisor',
    },
    notes: 'The one "VM" on a native host is the operating system on the hardware.'
  },
  'esx-3.5': {
    id: 'esx-3.5',
    name: 'VMware ESX 3.5',
    family: 'esx',
    year: 2007,
    cpuVirt: ['bt', 'hw', 'pv'],
    mmuVirt: ['nested', 'shadow'],
    ioArchitecture: 'vmkernel',
    nicModels: ['vlance', 'e1000', 'vmxnet2'],
    diskModels: ['lsilogic', 'passthrough'],
    volumeKinds: ['vmfs'],
    sliceMs: 50,
    nestedVendors: ['amd'],
    ioCyclesPerRequest: 9000,
    ioCyclesPerKB: 0,
    netCyclesPerPacket: 6000,
    netCyclesPerKB: 150,
    worldSwitchCycles: 3000,
    pciPassthroughPerVm: 0,
    sources: {
      pciPassthroughPerVm: 'ESX 3.5 has no VMDirectPath I/O; it arrived with vSphere 4 (A, vSphere 4.0 U1 ESXi Configuration Guide, "VMDirectPath")',
      year: 'VMware release history (A)',
      cpuVirt: `${SRC.adamsAgesen}: ESX defaults to binary translation; VMI paravirtual Linux guests supported from 3.5`,
      mmuVirt: `${SRC.vmwareRvi}: ESX 3.5 uses RVI on Barcelona; EPT support came with ESX 4`,
      sliceMs: SRC.vmwareSched,
      ioCyclesPerRequest: VMK,
      ioCyclesPerKB: VMK,
      netCyclesPerPacket: IO_EST('vSwitch forwarding and uplink driver per packet'),
      netCyclesPerKB: IO_EST('copy into the uplink buffers'),
      worldSwitchCycles: IO_EST('vCPU world switch: save/restore state plus cache/TLB disturbance'),
      nestedVendors: SRC.vmwareRvi
    }
  },
  'esx-4.0': {
    id: 'esx-4.0',
    name: 'VMware ESX 4.0',
    family: 'esx',
    year: 2009,
    cpuVirt: ['bt', 'hw', 'pv'],
    mmuVirt: ['nested', 'shadow'],
    ioArchitecture: 'vmkernel',
    nicModels: ['vlance', 'e1000', 'vmxnet2', 'vmxnet3', 'passthrough'],
    diskModels: ['ide', 'lsilogic', 'pvscsi', 'passthrough'],
    volumeKinds: ['vmfs'],
    sliceMs: 50,
    nestedVendors: ['intel', 'amd'],
    ioCyclesPerRequest: 7500,
    ioCyclesPerKB: 0,
    netCyclesPerPacket: 5000,
    netCyclesPerKB: 120,
    worldSwitchCycles: 2500,
    pciPassthroughPerVm: 2,
    sources: {
      pciPassthroughPerVm: 'vSphere 4.0 U1 ESXi Configuration Guide, "VMDirectPath": each virtual machine can connect up to two passthrough devices (A)',
      year: 'VMware release history (A)',
      cpuVirt: `${SRC.vmwareEpt}`,
      mmuVirt: `${SRC.vmwareEpt}; ${SRC.vmwareRvi}`,
      sliceMs: SRC.vmwareSched,
      ioCyclesPerRequest: `${VMK}; ${SRC.vmwarePvscsi} (the 4.0 stack spends less per command)`,
      ioCyclesPerKB: VMK,
      netCyclesPerPacket: `${SRC.vmwareVmxnet3}; estimate of cycles`,
      netCyclesPerKB: IO_EST('copy into the uplink buffers'),
      worldSwitchCycles: IO_EST('vCPU world switch'),
      nestedVendors: `${SRC.vmwareEpt}; ${SRC.vmwareRvi}`
    }
  },
  'esx-4.1': {
    id: 'esx-4.1',
    name: 'VMware ESX 4.1',
    family: 'esx',
    year: 2010,
    cpuVirt: ['bt', 'hw', 'pv'],
    mmuVirt: ['nested', 'shadow'],
    ioArchitecture: 'vmkernel',
    nicModels: ['vlance', 'e1000', 'vmxnet2', 'vmxnet3', 'passthrough'],
    diskModels: ['ide', 'lsilogic', 'pvscsi', 'passthrough'],
    volumeKinds: ['vmfs'],
    sliceMs: 50,
    nestedVendors: ['intel', 'amd'],
    ioCyclesPerRequest: 7000,
    ioCyclesPerKB: 0,
    netCyclesPerPacket: 4500,
    netCyclesPerKB: 100,
    worldSwitchCycles: 2500,
    pciPassthroughPerVm: 2,
    sources: {
      pciPassthroughPerVm: 'vSphere 4.0 U1 ESXi Configuration Guide, "VMDirectPath": up to two passthrough devices per VM; kept for 4.1, whose own maximum was not read (C)',
      year: 'VMware release history (A)',
      cpuVirt: SRC.vmwareEpt,
      mmuVirt: SRC.vmwareEpt,
      sliceMs: SRC.vmwareSched,
      ioCyclesPerRequest: VMK,
      ioCyclesPerKB: VMK,
      netCyclesPerPacket: `${SRC.vmwareVmxnet3}; estimate of cycles`,
      netCyclesPerKB: IO_EST('copy into the uplink buffers'),
      worldSwitchCycles: IO_EST('vCPU world switch'),
      nestedVendors: SRC.vmwareEpt
    }
  },
  'xen-3.0': {
    id: 'xen-3.0',
    name: 'Xen 3.0',
    family: 'xen',
    year: 2006,
    cpuVirt: ['pv', 'hw'],
    mmuVirt: ['shadow'],
    ioArchitecture: 'dom0',
    nicModels: ['xen-netfront', 'e1000'],
    diskModels: ['xen-blkfront', 'ide'],
    volumeKinds: ['ext3', 'lvm'],
    sliceMs: 30,
    nestedVendors: [],
    ioCyclesPerRequest: 20000,
    ioCyclesPerKB: 0,
    netCyclesPerPacket: 12000,
    netCyclesPerKB: 600,
    worldSwitchCycles: 4000,
    pciPassthroughPerVm: 0,
    sources: {
      pciPassthroughPerVm: 'Xen 3.0 has no PCI pass-through to HVM guests (VT-d support arrived in Xen 3.2, release notes, A)',
      year: 'Xen release history (A)',
      cpuVirt: 'Xen 3.0: paravirtual guests, plus HVM guests on VT-x/AMD-V (A, Xen 3.0 release notes)',
      mmuVirt: 'Xen 3.0 HVM uses shadow page tables; HAP arrives in 3.3 (A, Xen release notes)',
      sliceMs: SRC.xenCredit,
      ioCyclesPerRequest: DOM0,
      ioCyclesPerKB: `${DOM0}: blkback grant-maps pages, no copy`,
      netCyclesPerPacket: DOM0,
      netCyclesPerKB: `${DOM0}: netback copies/flips every page`,
      worldSwitchCycles: IO_EST('domain switch including dom0 scheduling for back-end work'),
    }
  },
  'xen-3.4': {
    id: 'xen-3.4',
    name: 'Xen 3.4',
    family: 'xen',
    year: 2009,
    cpuVirt: ['pv', 'hw'],
    mmuVirt: ['nested', 'shadow'],
    ioArchitecture: 'dom0',
    nicModels: ['xen-netfront', 'e1000', 'passthrough'],
    diskModels: ['xen-blkfront', 'ide', 'passthrough'],
    volumeKinds: ['ext3', 'lvm'],
    sliceMs: 30,
    nestedVendors: ['intel', 'amd'],
    ioCyclesPerRequest: 15000,
    ioCyclesPerKB: 0,
    netCyclesPerPacket: 9000,
    netCyclesPerKB: 400,
    worldSwitchCycles: 3500,
    pciPassthroughPerVm: null,
    sources: {
      pciPassthroughPerVm: 'no per-guest limit stated for PCI pass-through in the Xen 3.4 documentation; not checked',
      year: 'Xen release history (A)',
      cpuVirt: 'Xen 3.4: PV and HVM guests (A, release notes)',
      mmuVirt: 'Xen 3.3+ hardware-assisted paging (HAP) for HVM guests on EPT/RVI (A, release notes)',
      sliceMs: SRC.xenCredit,
      ioCyclesPerRequest: `${DOM0}; later netchannel2/blkback work reduced it (estimate)`,
      ioCyclesPerKB: DOM0,
      netCyclesPerPacket: DOM0,
      netCyclesPerKB: DOM0,
      worldSwitchCycles: IO_EST('domain switch'),
      nestedVendors: 'Xen 3.3+ HAP on both EPT and RVI (A)'
    }
  },
  kvm: {
    id: 'kvm',
    name: 'KVM (QEMU device models)',
    family: 'kvm',
    year: 2009,
    cpuVirt: ['hw'],
    mmuVirt: ['nested', 'shadow'],
    ioArchitecture: 'qemu',
    nicModels: ['e1000', 'virtio-net', 'passthrough'],
    diskModels: ['ide', 'virtio-blk', 'passthrough'],
    volumeKinds: ['ext3', 'lvm'],
    sliceMs: 6,
    nestedVendors: ['intel', 'amd'],
    ioCyclesPerRequest: 18000,
    ioCyclesPerKB: 150,
    netCyclesPerPacket: 10000,
    netCyclesPerKB: 300,
    worldSwitchCycles: 2500,
    pciPassthroughPerVm: null,
    sources: {
      pciPassthroughPerVm: 'no per-guest limit stated for PCI device assignment in the KVM documentation of the time; not checked',
      year: 'KVM in Linux 2.6.20 (2007); virtio mature by 2009 (A)',
      cpuVirt: 'KVM requires VT-x/AMD-V (A, kernel documentation)',
      mmuVirt: 'KVM: shadow MMU, EPT/NPT when present (A, kernel documentation)',
      sliceMs: SRC.cfs,
      ioCyclesPerRequest: IO_EST('QEMU I/O thread wake-up, request parsing and host syscalls'),
      ioCyclesPerKB: IO_EST('QEMU bounce buffering of the era'),
      netCyclesPerPacket: IO_EST('tap device + QEMU virtio-net back end'),
      netCyclesPerKB: IO_EST('copy between tap and guest buffers'),
      worldSwitchCycles: IO_EST('Linux context switch between vCPU threads'),
      nestedVendors: 'KVM EPT and NPT support (A)'
    }
  },
  'hyperv-2008r2': {
    id: 'hyperv-2008r2',
    name: 'Microsoft Hyper-V (Windows Server 2008 R2)',
    family: 'hyperv',
    year: 2009,
    cpuVirt: ['hw'],
    mmuVirt: ['nested', 'shadow'],
    ioArchitecture: 'parent-partition',
    nicModels: ['hyperv-legacy', 'hyperv-synthetic'],
    diskModels: ['ide', 'hyperv-synthetic', 'passthrough'],
    volumeKinds: ['ntfs', 'csv'],
    sliceMs: 10,
    nestedVendors: ['intel', 'amd'],
    ioCyclesPerRequest: 12000,
    ioCyclesPerKB: 0,
    netCyclesPerPacket: 8000,
    netCyclesPerKB: 200,
    worldSwitchCycles: 3000,
    pciPassthroughPerVm: null,
    sources: {
      pciPassthroughPerVm: 'Hyper-V 2008 R2 assigns no PCI devices to VMs (its pass-through disks are not PCI functions); its NIC models offer no pass-through (A)',
      year: 'Microsoft release history (A)',
      cpuVirt: 'Hyper-V requires VT-x/AMD-V (A)',
      mmuVirt: 'Windows Server 2008 R2 adds SLAT (EPT/RVI) support (A)',
      sliceMs: SRC.hypervSched,
      ioCyclesPerRequest: IO_EST('storage VSP in the parent partition via VMBus'),
      ioCyclesPerKB: IO_EST('VSP passes buffers by GPA, no copy'),
      netCyclesPerPacket: IO_EST('network VSP and virtual switch'),
      netCyclesPerKB: IO_EST('copy into the guest receive buffers'),
      worldSwitchCycles: IO_EST('partition switch'),
      nestedVendors: 'Windows Server 2008 R2 SLAT on EPT and RVI (A)'
    }
  }
}

byId(hypervisors)
