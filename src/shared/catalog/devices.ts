/**
 * Virtual devices: disk controllers and NICs a VM can be given. Keys carry the
 * kind, `disk:<model>` and `nic:<model>`, because two models exist as both
 * (hyperv-synthetic, passthrough); an experiment names them by `model` inside
 * a VM's `disks:` or `nics:`, so look-ups go through `diskDevice`/`nicDevice`.
 *
 * The path decides the cost (docs/model.md §4): an emulated device traps on
 * several register accesses per request; a paravirtual one sends one
 * notification per batch over a shared ring; pass-through uses the native
 * driver path but its interrupts still exit (no posted interrupts on these CPUs).
 */
import { byId } from './byId'
import type { DeviceSpec } from './types'
import { SRC } from './sources'

const EMU_EXITS = (what: string): string =>
  `estimate: register accesses a ${what} driver makes per request (command/doorbell writes, status/ack reads), each trapped; ${SRC.sugerman}`
const PV_BATCH = (n: number): string => `estimate: ring of the era lets one notification carry up to ~${n} requests`
const GUEST_DISK = 'estimate: guest block layer + driver + interrupt handler ≈ 3–4 µs on a 3.8 GHz P4'
const GUEST_NET = 'estimate: guest TCP/IP stack per packet ≈ 1 µs on a 3.8 GHz P4 (sender+receiver halves)'
const INTR_EMU = 'estimate: one exit to inject the interrupt, one for the guest\'s EOI/acknowledge (no posted interrupts before 2013)'
const INTR_PV = 'estimate: interrupts coalesced, one injection per batch'

const diskList: DeviceSpec[] = [
  {
    id: 'disk:ide', model: 'ide', name: 'Emulated IDE/ATA controller', kind: 'disk-controller', path: 'emulated',
    exitsPerRequest: 8, batchBase: 1, batchMax: 1, emulationCycles: 25000, interruptExits: 2, guestDriverCycles: 12000, tso: false,
    sources: {
      exitsPerRequest: EMU_EXITS('taskfile IDE + bus-master DMA'),
      batchBase: 'emulated: one request per notification', batchMax: 'emulated: no batching',
      emulationCycles: `estimate: ATA command decode + DMA scatter-gather walk in the device model; ${SRC.sugerman}`,
      interruptExits: INTR_EMU, guestDriverCycles: GUEST_DISK
    }
  },
  {
    id: 'disk:lsilogic', model: 'lsilogic', name: 'Emulated LSI Logic SCSI', kind: 'disk-controller', path: 'emulated',
    exitsPerRequest: 4, batchBase: 1, batchMax: 1, emulationCycles: 18000, interruptExits: 2, guestDriverCycles: 15000, tso: false,
    sources: {
      exitsPerRequest: EMU_EXITS('LSI Logic (MMIO request post, doorbell, interrupt status/ack)'),
      batchBase: 'emulated', batchMax: 'emulated',
      emulationCycles: `estimate: SCSI CDB/SGL handling; ${SRC.vmwarePvscsi} (PVSCSI uses ~18 % less CPU per I/O)`,
      interruptExits: INTR_EMU, guestDriverCycles: GUEST_DISK
    }
  },
  {
    id: 'disk:pvscsi', model: 'pvscsi', name: 'VMware Paravirtual SCSI', kind: 'disk-controller', path: 'paravirtual',
    exitsPerRequest: 1, batchBase: 1, batchMax: 32, emulationCycles: 4000, interruptExits: 1, guestDriverCycles: 12000, tso: false,
    sources: {
      exitsPerRequest: 'one doorbell write per batch (VMware PVSCSI design) (B)', batchBase: SRC.vmwarePvscsi,
      batchMax: PV_BATCH(32), emulationCycles: `estimate; ${SRC.vmwarePvscsi}`, interruptExits: INTR_PV, guestDriverCycles: GUEST_DISK
    }
  },
  {
    id: 'disk:virtio-blk', model: 'virtio-blk', name: 'virtio block', kind: 'disk-controller', path: 'paravirtual',
    exitsPerRequest: 1, batchBase: 1, batchMax: 16, emulationCycles: 5000, interruptExits: 1, guestDriverCycles: 12000, tso: false,
    sources: {
      exitsPerRequest: 'Russell, "virtio", 2008: one kick (PIO write) per batch of buffers (A)', batchBase: 'virtio (A)',
      batchMax: PV_BATCH(16), emulationCycles: 'estimate: QEMU virtqueue pop and request set-up', interruptExits: INTR_PV, guestDriverCycles: GUEST_DISK
    }
  },
  {
    id: 'disk:xen-blkfront', model: 'xen-blkfront', name: 'Xen blkfront (split driver)', kind: 'disk-controller', path: 'paravirtual',
    exitsPerRequest: 1, batchBase: 1, batchMax: 11, emulationCycles: 4000, interruptExits: 1, guestDriverCycles: 12000, tso: false,
    sources: {
      exitsPerRequest: 'Xen split drivers: one event-channel notification per batch (Barham et al., SOSP 2003) (A)', batchBase: 'Xen (A)',
      batchMax: 'Xen blkif ring: 11 segments per request, 32 slots (A); estimate of usable batching', emulationCycles: 'estimate: grant-table mapping per request', interruptExits: INTR_PV, guestDriverCycles: GUEST_DISK
    }
  },
  {
    id: 'disk:hyperv-synthetic', model: 'hyperv-synthetic', name: 'Hyper-V synthetic SCSI (VMBus)', kind: 'disk-controller', path: 'paravirtual',
    exitsPerRequest: 1, batchBase: 1, batchMax: 16, emulationCycles: 4000, interruptExits: 1, guestDriverCycles: 12000, tso: false,
    sources: {
      exitsPerRequest: 'VMBus ring + one signal (hypercall) per batch (Microsoft Hyper-V architecture docs) (A)', batchBase: 'VMBus (A)',
      batchMax: PV_BATCH(16), emulationCycles: 'estimate: VSC/VSP packet handling', interruptExits: INTR_PV, guestDriverCycles: GUEST_DISK
    }
  },
  {
    id: 'disk:passthrough', model: 'passthrough', name: 'Assigned storage adapter (VMDirectPath, PCI pass-through)', kind: 'disk-controller', path: 'passthrough',
    exitsPerRequest: 0, batchBase: 1, batchMax: 1, emulationCycles: 0, interruptExits: 2, guestDriverCycles: 12000, tso: false,
    sources: {
      exitsPerRequest: 'native driver path on the assigned adapter: no trapped accesses and no hypervisor storage stack (model.md §4); a raw device mapping through a virtual controller is that controller with `on` naming the device', batchBase: 'native', batchMax: 'native',
      emulationCycles: 'no device model', interruptExits: INTR_EMU, guestDriverCycles: GUEST_DISK
    }
  }
]

const nicList: DeviceSpec[] = [
  {
    id: 'nic:vlance', model: 'vlance', name: 'Emulated AMD PCnet (vlance)', kind: 'nic', path: 'emulated',
    exitsPerRequest: 10, batchBase: 1, batchMax: 1, emulationCycles: 6000, interruptExits: 2, guestDriverCycles: 4000, tso: false,
    sources: {
      exitsPerRequest: `${SRC.sugerman}: PCnet transmit pokes RAP/RDP several times per packet`, batchBase: 'emulated', batchMax: 'emulated',
      emulationCycles: `${SRC.sugerman}: ~3 µs to emulate a transmit on a 733 MHz PIII`, interruptExits: INTR_EMU, guestDriverCycles: GUEST_NET
    }
  },
  {
    id: 'nic:e1000', model: 'e1000', name: 'Emulated Intel e1000', kind: 'nic', path: 'emulated',
    exitsPerRequest: 3, batchBase: 1, batchMax: 1, emulationCycles: 5000, interruptExits: 2, guestDriverCycles: 4000, tso: false,
    sources: {
      exitsPerRequest: EMU_EXITS('e1000 (TDT tail write, ICR read, IMS write)'), batchBase: 'emulated', batchMax: 'emulated',
      emulationCycles: `estimate: descriptor fetch and copy; ${SRC.sugerman}`, interruptExits: INTR_EMU, guestDriverCycles: GUEST_NET
    }
  },
  {
    id: 'nic:hyperv-legacy', model: 'hyperv-legacy', name: 'Hyper-V legacy NIC (emulated DEC 21140)', kind: 'nic', path: 'emulated',
    exitsPerRequest: 6, batchBase: 1, batchMax: 1, emulationCycles: 8000, interruptExits: 2, guestDriverCycles: 4000, tso: false,
    sources: {
      exitsPerRequest: EMU_EXITS('DEC 21140 (CSR pokes)'), batchBase: 'emulated', batchMax: 'emulated',
      emulationCycles: 'estimate: emulated in the parent partition\'s worker process, a slower path than the synthetic NIC (Microsoft docs, A)', interruptExits: INTR_EMU, guestDriverCycles: GUEST_NET
    }
  },
  {
    id: 'nic:vmxnet2', model: 'vmxnet2', name: 'VMware Enhanced vmxnet (vmxnet2)', kind: 'nic', path: 'paravirtual',
    exitsPerRequest: 1, batchBase: 1, batchMax: 16, emulationCycles: 1500, interruptExits: 1, guestDriverCycles: 4000, tso: true,
    sources: {
      exitsPerRequest: 'paravirtual: one notification per batch (model.md §4)', batchBase: 'paravirtual', batchMax: PV_BATCH(16),
      emulationCycles: 'estimate: ring handling per packet', interruptExits: INTR_PV, guestDriverCycles: GUEST_NET,
      tso: 'Enhanced vmxnet adds TSO and jumbo frames (VMware ESX 3.5 docs) (A)'
    }
  },
  {
    id: 'nic:vmxnet3', model: 'vmxnet3', name: 'VMware vmxnet3', kind: 'nic', path: 'paravirtual',
    exitsPerRequest: 1, batchBase: 1, batchMax: 32, emulationCycles: 1200, interruptExits: 1, guestDriverCycles: 4000, tso: true,
    sources: {
      exitsPerRequest: SRC.vmwareVmxnet3, batchBase: SRC.vmwareVmxnet3, batchMax: PV_BATCH(32),
      emulationCycles: `estimate; ${SRC.vmwareVmxnet3}`, interruptExits: `${INTR_PV}; MSI-X`, guestDriverCycles: GUEST_NET,
      tso: `${SRC.vmwareVmxnet3}: TSO and LRO`
    }
  },
  {
    id: 'nic:virtio-net', model: 'virtio-net', name: 'virtio-net', kind: 'nic', path: 'paravirtual',
    exitsPerRequest: 1, batchBase: 1, batchMax: 16, emulationCycles: 2000, interruptExits: 1, guestDriverCycles: 4000, tso: true,
    sources: {
      exitsPerRequest: 'Russell, "virtio", 2008 (A)', batchBase: 'virtio (A)', batchMax: PV_BATCH(16),
      emulationCycles: 'estimate: QEMU virtio-net back end per packet', interruptExits: INTR_PV, guestDriverCycles: GUEST_NET,
      tso: 'virtio-net GSO/TSO feature bits (A)'
    }
  },
  {
    id: 'nic:xen-netfront', model: 'xen-netfront', name: 'Xen netfront (split driver)', kind: 'nic', path: 'paravirtual',
    exitsPerRequest: 1, batchBase: 1, batchMax: 16, emulationCycles: 2500, interruptExits: 1, guestDriverCycles: 4000, tso: true,
    sources: {
      exitsPerRequest: 'Barham et al., SOSP 2003: event-channel notification per batch (A)', batchBase: 'Xen (A)', batchMax: PV_BATCH(16),
      emulationCycles: `${SRC.menon}; estimate of cycles for grant operations per packet`, interruptExits: INTR_PV, guestDriverCycles: GUEST_NET,
      tso: 'Xen 3.0.2+ netfront GSO (A, changelog)'
    }
  },
  {
    id: 'nic:hyperv-synthetic', model: 'hyperv-synthetic', name: 'Hyper-V synthetic NIC (VMBus)', kind: 'nic', path: 'paravirtual',
    exitsPerRequest: 1, batchBase: 1, batchMax: 16, emulationCycles: 1500, interruptExits: 1, guestDriverCycles: 4000, tso: true,
    sources: {
      exitsPerRequest: 'VMBus: one signal per batch (A)', batchBase: 'VMBus (A)', batchMax: PV_BATCH(16),
      emulationCycles: 'estimate: network VSC/VSP per packet', interruptExits: INTR_PV, guestDriverCycles: GUEST_NET,
      tso: 'Windows Server 2008 R2 synthetic NIC offloads (A)'
    }
  },
  {
    id: 'nic:passthrough', model: 'passthrough', name: 'Pass-through NIC (VMDirectPath / PCI assignment / SR-IOV VF)', kind: 'nic', path: 'passthrough',
    exitsPerRequest: 0, batchBase: 1, batchMax: 16, emulationCycles: 0, interruptExits: 2, guestDriverCycles: 4000, tso: true,
    sources: {
      exitsPerRequest: `${SRC.dong}: native data path`, batchBase: 'native', batchMax: 'estimate: NIC interrupt moderation coalesces ~16 packets per interrupt',
      emulationCycles: 'no device model', interruptExits: `${SRC.dong}: each interrupt still exits (injection + EOI)`, guestDriverCycles: GUEST_NET,
      tso: 'physical 10 GbE NICs offload segmentation (A)'
    }
  }
]

export const devices: Record<string, DeviceSpec> = Object.fromEntries(
  [...diskList, ...nicList].map((x) => [x.id, x])
)

/** The disk controller an experiment names by model inside a VM's `disks:`. */
export function diskDevice(model: string): DeviceSpec | undefined {
  return devices[`disk:${model}`]
}

/** The NIC an experiment names by model inside a VM's `nics:`. */
export function nicDevice(model: string): DeviceSpec | undefined {
  return devices[`nic:${model}`]
}

byId(devices)
