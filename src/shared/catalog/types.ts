/**
 * Shapes of the catalog: the hardware, hypervisors, devices and workloads an
 * experiment can name. Every number in an entry names its source in `sources`
 * (keyed by field name), or says `estimate: <why>` there.
 */
import type { Arrival, PerOp } from '../experiment/demands'
import type { RaidLevelId, VolumeKindId } from './ids'

/** Where a number comes from: a citation, or `estimate: <reason>`. */
export type Source = string

/** A map from an entry's numeric fields to the source of each. */
export type Sources<T> = { [K in keyof T]?: Source }

export type HypervisorFamily = 'native' | 'esx' | 'xen' | 'kvm' | 'hyperv'

export type CpuVirt = 'bt' | 'hw' | 'pv'
export type MmuVirt = 'shadow' | 'nested'

export interface CpuSpec {
  id: string
  name: string
  vendor: 'intel' | 'amd'
  year: number
  ghz: number
  /** Cores per socket. */
  cores: number
  /** VT-x or AMD-V present. */
  hwVirt: boolean
  /** EPT (Intel) or RVI/NPT (AMD) present. */
  nestedPaging: boolean
  /** VPID (Intel) or ASID (AMD): exits need not flush the TLB. */
  taggedTlb: boolean
  /** VM exit + entry round trip in cycles; null without hardware virtualization. */
  exitRoundTripCycles: number | null
  /** Relative work per cycle against the Pentium 4 672 the per-event costs were measured on. */
  ipcVsP4: number
  /** Average memory references per TLB-miss walk, native, with this CPU's page-walk caches. */
  walkRefsNative: number
  /** Average memory references per TLB-miss walk under nested paging (two dimensions). */
  walkRefsNested: number
  /** Latency of one page-walk memory reference that misses the caches, ns. */
  walkRefNs: number
  sources: Sources<Omit<CpuSpec, 'sources' | 'id' | 'name' | 'vendor'>>
}

export interface HypervisorSpec {
  id: string
  name: string
  family: HypervisorFamily
  year: number
  /** CPU techniques offered; the first one the CPU supports is the default. */
  cpuVirt: CpuVirt[]
  /** MMU techniques offered; the first one the CPU supports is the default. */
  mmuVirt: MmuVirt[]
  /** Where the I/O device models run. */
  ioArchitecture: 'none' | 'vmkernel' | 'dom0' | 'qemu' | 'parent-partition'
  nicModels: string[]
  diskModels: string[]
  /** Kinds of volume its hosts use (catalog volumes: each says which formats it holds). */
  volumeKinds: VolumeKindId[]
  /** Scheduler time slice, ms. */
  sliceMs: number
  /** CPU vendors whose nested paging this hypervisor uses (ESX 3.5 knew RVI, not EPT). */
  nestedVendors: Array<'intel' | 'amd'>
  /** Host CPU per disk request in the hypervisor's I/O stack (vmkernel, blkback, QEMU, VSP), P4-672 cycles. */
  ioCyclesPerRequest: number
  /** Host CPU per KB moved by the I/O stack (copies, bounce buffers), P4-672 cycles. */
  ioCyclesPerKB: number
  /** Host CPU per network packet in the hypervisor's switch/back end, P4-672 cycles. */
  netCyclesPerPacket: number
  /** Host CPU per KB of network data copied by the back end, P4-672 cycles. */
  netCyclesPerKB: number
  /** Cost of switching a core between two vCPUs (world switch), P4-672 cycles. */
  worldSwitchCycles: number
  /** PCI functions (VMDirectPath, PCI assignment) one VM may own, i.e. pass-through NICs; null where no limit is stated. */
  pciPassthroughPerVm: number | null
  sources: Sources<Omit<HypervisorSpec, 'sources' | 'id' | 'name' | 'family' | 'ioArchitecture'>>
  notes?: string
}

export interface DiskSpec {
  id: string
  name: string
  kind: 'hdd' | 'ssd'
  /** Average seek, ms (0 for SSD). */
  seekMs: number
  /** Full rotation, ms (0 for SSD). */
  rotationMs: number
  /** Media transfer rate, MB/s. */
  transferMBs: number
  /** Fixed per-request controller/flash access time, ms. */
  accessMs: number
  /** Commands the device serves at once (1 for a disk arm; several for flash channels). */
  servers: number
  /** Track-to-track (shortest) seek, ms (0 for SSD). */
  trackSeekMs: number
  /** Media write rate, MB/s (flash writes slower than it reads). */
  writeMBs: number
  /** Fixed per-request time of a write, ms (flash program/erase amortized). */
  writeAccessMs: number
  /** Capacity, GB: seek distance depends on where on the platter a virtual disk lives. */
  capacityGb: number
  /** Coefficient of variation of a flash command's time around its mean (lognormal); 0 for a disk, whose positioning varies by itself. */
  readCv: number
  writeCv: number
  sources: Sources<Omit<DiskSpec, 'sources' | 'id' | 'name' | 'kind'>>
}

export interface DeviceSpec {
  id: string
  name: string
  kind: 'nic' | 'disk-controller'
  path: 'emulated' | 'paravirtual' | 'passthrough'
  /** Trapped register accesses (each a VM exit) per request, for emulated devices. */
  exitsPerRequest: number
  /** Requests per notification at queue depth 1 (paravirtual batching grows with depth). */
  batchBase: number
  /** Device-model work per request, in P4-672 cycles, outside the exit itself. */
  emulationCycles: number
  /** The model name experiments use inside `nics:` or `disks:` (ids carry a kind prefix). */
  model: string
  /** Most requests one notification carries (1 for emulated devices). */
  batchMax: number
  /** VM exits per completion interrupt (injection, EOI); paravirtual ones coalesce per batch. */
  interruptExits: number
  /** Guest driver/stack work per request or packet, P4-672 cycles (paid natively too). */
  guestDriverCycles: number
  /** Segmentation/receive offload: the stack and back end handle 64 KB chunks, not packets. */
  tso: boolean
  sources: Sources<Omit<DeviceSpec, 'sources' | 'id' | 'name' | 'kind' | 'path' | 'model' | 'tso'>> & { tso?: Source }
}

export interface DiskFormatSpec {
  id: string
  name: string
  /** Host CPU per request in the virtual-disk layer (block look-up, parsing), P4-672 cycles. */
  layerCycles: number
  /** Space allocated by one first write (block, cluster), KB; 0 when preallocated. */
  allocationKb: number
  /** What an allocation writes to the device besides the guest's data: zeros over the new block, KB. */
  zeroFillKb: number
  /** Small metadata writes one allocation makes (allocation table, footer, bitmap, L2 and refcount entries). */
  metadataWrites: number
  /** Size of one metadata write, KB. */
  metadataKb: number
  sources: Sources<Omit<DiskFormatSpec, 'sources' | 'id' | 'name'>>
}

export interface WorkloadPreset {
  id: string
  name: string
  description: string
  /** Parameters a user may set on this preset besides `arrival`. */
  params: string[]
  /** Values of those parameters when the experiment leaves them out. */
  defaults: WorkloadParams
  /** The default arrival process. */
  arrival: Arrival
  /** Demands of one operation with the default parameters (what the engine runs). */
  perOp: PerOp
  /** Guest cycles per instruction on the P4 reference (memory-bound work stalls more). */
  cpi: number
  /** Wait for a remote peer per operation, µs (request/response traffic), 0 otherwise. */
  peerUs: number
  sources: Record<string, Source>
}

/** The preset parameters an experiment may set (see presetWorkloadSchema). */
export interface WorkloadParams {
  kb?: number
  read_pct?: number
  pattern?: 'random' | 'sequential'
  direction?: 'tx' | 'rx'
  mtu?: number
  working_set_mb?: number
  page_kb?: 4 | 2048
}

/** The RAID levels an array's `disks.raid` may name (listed once, in storage.ts). */
export type { RaidLevelId }

export interface RaidLevelSpec {
  id: RaidLevelId
  name: string
  kind: 'raid'
  /** Back-end I/Os one small front-end write costs (the RAID write penalty). */
  writePenalty: number
  /** Copies of a block a read may be served from (2 for mirrors, 1 for parity and plain stripes). */
  readCopies: number
  sources: Sources<Omit<RaidLevelSpec, 'sources' | 'id' | 'name' | 'kind'>>
}

export interface FabricSpec {
  id: string
  name: string
  kind: 'fabric'
  protocol: 'fc' | 'iscsi'
  /** The speed the link is sold as, Gb/s (picks the entry for an adapter of that speed). */
  nominalGbps: number
  /** Line rate, gigabaud. */
  lineGbaud: number
  /** Data rate left after line coding and framing, per direction, Gb/s (the experiment's adapter speed sets the simulated wire). */
  usableGbps: number
  /** One switch hop, ns. */
  hopNs: number
  /** A SCSI command or status on the wire (a read's request out, a write's status back), KB. */
  commandKb: number
  /** Commands the initiator keeps outstanding on a NIC; null where the experiment sets it (an HBA's queue_depth). */
  queueDepth: number | null
  /** Host CPU of a software initiator per request (TCP + iSCSI PDU), P4-672 cycles; 0 when an HBA does the protocol. */
  initiatorCycles: number
  /** Host CPU of a software initiator per KB moved, P4-672 cycles. */
  initiatorCyclesPerKb: number
  sources: Sources<Omit<FabricSpec, 'sources' | 'id' | 'name' | 'kind' | 'protocol'>>
}

export interface ArrayControllerSpec {
  id: string
  name: string
  kind: 'controller'
  /** Service time of a read served from the controller's cache, ms. */
  cacheHitMs: number
  /** Time to acknowledge a write taken into write-back cache, ms. */
  writeAckMs: number
  /** Share of the cache that may hold dirty data before writes wait for the back end. */
  dirtyShare: number
  sources: Sources<Omit<ArrayControllerSpec, 'sources' | 'id' | 'name' | 'kind'>>
}

/** A clustered file system shared by several hosts (Hyper-V Cluster Shared Volume). */
export interface ClusterVolumeSpec {
  id: string
  name: string
  kind: 'cluster'
  /** Round trip of a metadata request from a node to the coordinator over the cluster network, µs. */
  metadataRttUs: number
  /** The coordinator's own work on one metadata update (file extend, allocation), µs; updates are serialized. */
  metadataUs: number
  sources: Sources<Omit<ClusterVolumeSpec, 'sources' | 'id' | 'name' | 'kind'>>
}

/** An entry of the catalog's `storage` section: a RAID level, a fabric, an array controller or a cluster volume. */
export type StorageSpec = RaidLevelSpec | FabricSpec | ArrayControllerSpec | ClusterVolumeSpec
