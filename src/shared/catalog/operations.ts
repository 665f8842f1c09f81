/**
 * Operations on a running VM (docs/model.md §7 "Operations on a timeline"):
 * how each hypervisor live-migrates (its migration stream's cap, when its
 * pre-copy stops iterating, its switch-over), what a snapshot's delta disk
 * costs per hypervisor family, how fast storage copies (clone, snapshot
 * consolidation) run, and what a lost path costs (multipath failover, CSV
 * redirected I/O). Every number carries its source or says `estimate` and why.
 */
import type { DiskFormatSpec, HypervisorFamily, Sources } from './types'

export interface MigrationSpec {
  /** The hypervisor's cap on one migration stream, Gb/s (the NIC may be slower). */
  streamGbps: number
  /** Pre-copy stops iterating once what is left would take at most this long to send (the stop-and-copy target), ms. */
  downtimeTargetMs: number
  /** At most this many pre-copy rounds (the first copies all memory). */
  maxRounds: number
  /** Pre-copy also stops once it has sent this many times the VM's memory. */
  maxSentFactor: number
  /** Fixed part of the downtime besides copying the last pages: device state, resume, network announcement, ms. */
  switchoverMs: number
  /** Hypervisor CPU per page the guest dirties while its memory is traced (write-protect fault and log), P4-672 cycles. */
  traceCyclesPerPage: number
  /** Send a round's pages in chunks of this many KB (the simulation's grain of the stream, not a protocol figure). */
  chunkKb: number
  sources: Sources<Omit<MigrationSpec, 'sources'>>
}

const CLARK = 'Clark et al., "Live Migration of Virtual Machines", NSDI 2005 (A)'
const VMOTION41 = 'VMware, "What\'s New in VMware vSphere 4.1 — Performance", 2010: vMotion up to 8 Gb/s on 10 GbE, 5× faster than 4.0 (B)'
const VMOTION5 = 'VMware, "VMware vSphere 5 vMotion Architecture, Performance and Best Practices", 2011: switch-over under 1 s, pre-copy until the remaining pages fit it (B)'
const TRACE = 'estimate: a write-protect fault on a traced page plus setting its dirty-log bit, of the order of a shadow hidden fault (model.md §2)'
const CHUNK = 'estimate: simulation grain; 256 KB keeps a round to a few thousand events and its rate within 0.1 % of the fluid stream'

const esx = (streamGbps: number, streamSrc: string): MigrationSpec => ({
  streamGbps, downtimeTargetMs: 1000, maxRounds: 30, maxSentFactor: 5, switchoverMs: 20, traceCyclesPerPage: 4000, chunkKb: 256,
  sources: {
    streamGbps: streamSrc,
    downtimeTargetMs: VMOTION5,
    maxRounds: 'estimate: VMware does not publish a round limit; set as Xen\'s so a non-converging pre-copy ends',
    maxSentFactor: 'estimate: like Xen\'s cap on data sent, so a non-converging pre-copy ends',
    switchoverMs: `${VMOTION5}; estimate of the fixed part (device state, RARP)`,
    traceCyclesPerPage: TRACE,
    chunkKb: CHUNK
  }
})

const xen = (): MigrationSpec => ({
  streamGbps: 1.0, downtimeTargetMs: 50, maxRounds: 30, maxSentFactor: 3, switchoverMs: 20, traceCyclesPerPage: 4000, chunkKb: 256,
  sources: {
    streamGbps: `${CLARK}: pre-copy over GbE, rate-limited up to the link`,
    downtimeTargetMs: `${CLARK}: stop iterating when a round dirties fewer than 50 pages or little is gained; estimate: 50 ms of stream`,
    maxRounds: `${CLARK}: at most 30 iterations (xc_linux_save MAX_ITERS 29 + final)`,
    maxSentFactor: `${CLARK}: stop after sending 3× the VM's memory`,
    switchoverMs: `${CLARK}: downtimes of 60–210 ms include ~20 ms of resume and ARP; estimate of the fixed part`,
    traceCyclesPerPage: TRACE,
    chunkKb: CHUNK
  }
})

/** Live migration by hypervisor (catalog `hypervisors` id). */
export const migrations: Record<string, MigrationSpec> = {
  'esx-3.5': esx(1.0, 'VMware material via blog: ~1.0 Gb/s vMotion stream for ESX 3.5 (B)'),
  'esx-4.0': esx(2.6, 'VMware material via blog: ~2.6 Gb/s vMotion stream for ESX 4.0 (B)'),
  'esx-4.1': esx(8, VMOTION41),
  'xen-3.0': xen(),
  'xen-3.4': xen(),
  kvm: {
    ...xen(),
    streamGbps: 0.268,
    sources: {
      ...xen().sources,
      streamGbps: 'QEMU documentation: migrate_set_speed defaults to 32 MiB/s (0.268 Gb/s) (A)',
      downtimeTargetMs: 'QEMU documentation: migrate_set_downtime defaults to 30 ms; estimate: 50 ms as Xen',
      maxRounds: 'estimate: QEMU of 2010 iterates without limit; 30 as Xen so a non-converging pre-copy ends',
      maxSentFactor: 'estimate: as Xen'
    }
  },
  'hyperv-2008r2': {
    ...esx(1.0, 'Microsoft, "Windows Server 2008 R2 Hyper-V Live Migration" white paper, 2009: a dedicated 1 GbE live-migration network (B)'),
    maxRounds: 10,
    sources: {
      ...esx(1.0, '').sources,
      streamGbps: 'Microsoft, "Windows Server 2008 R2 Hyper-V Live Migration" white paper, 2009: a dedicated 1 GbE live-migration network (B)',
      maxRounds: 'Microsoft, Hyper-V Live Migration white paper, 2009: at most 10 iterations of the memory copy (B)',
      downtimeTargetMs: 'estimate: Hyper-V states a switch-over below the TCP timeout; 1 s as vMotion'
    }
  }
}

/** What a guest's work dirties in its memory, as a live migration's pre-copy sees it. */
export interface GuestDirtySpec {
  /** Network data passes through socket and ring buffers the guest reuses: distinct pages it dirties in a round, at most, MB. */
  netBufferMb: number
  sources: Sources<Omit<GuestDirtySpec, 'sources'>>
}

export const guestDirty: GuestDirtySpec = {
  netBufferMb: 16,
  sources: {
    netBufferMb: `${CLARK}: the writable working set of a network-bound guest is small beside its traffic, as buffers are reused; estimate: 16 MB of socket and ring buffers`
  }
}

export interface SnapshotSpec {
  /** The delta disk's layer: its look-up per request and what a first write to a new grain allocates. */
  delta: DiskFormatSpec
  /** Does a first write to a grain copy the parent's data (read it and write it whole)? */
  copyOnWrite: boolean
  sources: Sources<Omit<SnapshotSpec, 'sources' | 'delta'>>
}

const VMW_SNAP = 'VMware KB 1015180, "Understanding virtual machine snapshots": a delta (redo-log) disk per disk, grown as written (A)'
const VHD_SPEC = 'Microsoft, Virtual Hard Disk Image Format Specification 1.0, 2006: differencing disks have the dynamic layout with sector bitmaps (A)'
const QCOW = 'QEMU qcow2 specification: a backing file, 64 KB clusters copied on first write (A)'

/** Snapshots by hypervisor family: the delta disk the snapshot adds on top of every disk. */
export const snapshots: Partial<Record<HypervisorFamily, SnapshotSpec>> = {
  esx: {
    delta: {
      id: 'vmfs-sparse-delta', name: 'VMFS sparse delta (snapshot)', layerCycles: 3000, allocationKb: 64, zeroFillKb: 0, metadataWrites: 1, metadataKb: 4,
      sources: {
        layerCycles: `${VMW_SNAP}; estimate: grain directory and grain table look-up on top of the parent's`,
        allocationKb: `${VMW_SNAP}; estimate: one grain-table update per 64 KB first written`,
        zeroFillKb: 'VMware sparse extent format: 512-byte grains, a whole-sector write copies nothing from the parent (A)',
        metadataWrites: `${VMW_SNAP}; estimate: one grain-table write (the VMFS lock is taken when the file grows)`,
        metadataKb: 'estimate: one 4 KB metadata write'
      }
    },
    copyOnWrite: false,
    sources: { copyOnWrite: 'VMware sparse extent format: sector-sized grains (A)' }
  },
  hyperv: {
    delta: {
      id: 'avhd', name: 'Differencing VHD (AVHD, snapshot)', layerCycles: 4000, allocationKb: 2048, zeroFillKb: 2048, metadataWrites: 3, metadataKb: 0.5,
      sources: {
        layerCycles: `${VHD_SPEC}; estimate: BAT and sector-bitmap look-up as a dynamic VHD`,
        allocationKb: `${VHD_SPEC}: 2 MB blocks`,
        zeroFillKb: 'estimate: as dynamic VHD, NTFS writes zeros over the file extension past its valid data length',
        metadataWrites: `${VHD_SPEC}: block allocation table entry, sector bitmap and footer`,
        metadataKb: `${VHD_SPEC}: 512-byte sectors`
      }
    },
    copyOnWrite: false,
    sources: { copyOnWrite: `${VHD_SPEC}: sector bitmaps say which sectors are in the child; nothing is copied` }
  },
  xen: {
    delta: {
      id: 'vhd-child', name: 'VHD child (blktap snapshot)', layerCycles: 4000, allocationKb: 2048, zeroFillKb: 0, metadataWrites: 3, metadataKb: 0.5,
      sources: {
        layerCycles: `${VHD_SPEC}; estimate: as a dynamic VHD in blktap`,
        allocationKb: `${VHD_SPEC}: 2 MB blocks`,
        zeroFillKb: 'estimate: blktap extends the file without zero-filling (ext3 sparse file)',
        metadataWrites: `${VHD_SPEC}: block allocation table entry, sector bitmap and footer`,
        metadataKb: `${VHD_SPEC}: 512-byte sectors`
      }
    },
    copyOnWrite: false,
    sources: { copyOnWrite: `${VHD_SPEC}: sector bitmaps` }
  },
  kvm: {
    delta: {
      id: 'qcow2-overlay', name: 'qcow2 overlay (external snapshot)', layerCycles: 6000, allocationKb: 64, zeroFillKb: 64, metadataWrites: 2, metadataKb: 4,
      sources: {
        layerCycles: `${QCOW}; estimate of cycles for the L1/L2 look-up per level`,
        allocationKb: `${QCOW}: 64 KB clusters`,
        zeroFillKb: `${QCOW}: a partial write to a new cluster copies the rest of it from the backing file`,
        metadataWrites: `${QCOW}: the L2 entry and the refcount block`,
        metadataKb: 'estimate: one 4 KB metadata write each'
      }
    },
    copyOnWrite: true,
    sources: { copyOnWrite: QCOW }
  }
}

export interface CopySpec {
  /** Size of one copy I/O (read from the source, write to the target), KB. */
  chunkKb: number
  /** Copy I/Os in flight at once. */
  outstanding: number
  sources: Sources<Omit<CopySpec, 'sources'>>
}

/** Storage copies run by the hypervisor: a clone's disks, a deleted snapshot's consolidation. */
export const storageCopy: CopySpec = {
  chunkKb: 64,
  outstanding: 4,
  sources: {
    chunkKb: 'VMware, "vSphere Storage APIs – Array Integration" FAQ, 2010: the data mover copies in 64 KB I/Os without VAAI (B)',
    outstanding: 'estimate: the data mover keeps a few I/Os in flight per copy; 4'
  }
}

export interface PathFailureSpec {
  /** Multipath: I/O pauses this long while the path is declared dead and the other path takes over, ms. */
  failoverMs: number
  /** CSV redirected I/O: the coordinator's SMB server handling one redirected request, µs of its CPU (one at a time per volume). */
  redirectUs: number
  sources: Sources<Omit<PathFailureSpec, 'sources'>>
}

export const pathFailure: PathFailureSpec = {
  failoverMs: 2000,
  redirectUs: 50,
  sources: {
    failoverMs: 'estimate: a lost link is reported by the fabric (RSCN) and the multipath driver retries on the other path within seconds; a dead path without link loss takes 30–60 s (VMware, "Fibre Channel SAN Configuration Guide", 2009)',
    redirectUs: 'Microsoft, "Cluster Shared Volumes" (Windows Server 2008 R2) documentation: redirected I/O travels over SMB to the coordinator (A); estimate: ~50 µs of SMB server work per request'
  }
}
