/**
 * Virtual-disk formats: what the layer between a VM's disk and the physical
 * storage costs. Every format costs host CPU per request (its look-ups). A
 * growable one (thin, dynamic VHD, qcow2) also allocates on the first write to
 * a block: it writes zeros over the new block and updates its metadata, real
 * writes that the device underneath serves, so the cost scales with that
 * device (a write-back cache absorbs them; a 7,200 rpm disk pays a seek for
 * each metadata write). No format adds a fixed latency of its own.
 */
import { byId } from './byId'
import type { DiskFormatSpec } from './types'
import { SRC } from './sources'
import type { FormatId } from './ids'

export { FORMAT_IDS, type FormatId } from './ids'

export const formats: Record<FormatId, DiskFormatSpec> = {
  thick: {
    id: 'thick', name: 'VMFS thick (preallocated)',
    layerCycles: 1000, allocationKb: 0, zeroFillKb: 0, metadataWrites: 0, metadataKb: 0,
    sources: {
      layerCycles: 'estimate: VMFS block look-up, cached (model.md §4: thick ≈ raw)', allocationKb: 'preallocated',
      zeroFillKb: 'preallocated', metadataWrites: 'preallocated', metadataKb: 'preallocated'
    }
  },
  thin: {
    id: 'thin', name: 'VMFS thin (allocate on first write)',
    layerCycles: 1500, allocationKb: 1024, zeroFillKb: 1024, metadataWrites: 1, metadataKb: 4,
    sources: {
      layerCycles: 'estimate: VMFS block look-up', allocationKb: 'VMFS 1 MB file block (A)',
      zeroFillKb: `${SRC.vmfsThin}: a new block is zeroed on its first write`,
      metadataWrites: `${SRC.vmfsThin}: the file's block map is updated under the VMFS lock; estimate: one write`,
      metadataKb: 'estimate: one 4 KB metadata sector group'
    }
  },
  'fixed-vhd': {
    id: 'fixed-vhd', name: 'Fixed-size VHD',
    layerCycles: 2000, allocationKb: 0, zeroFillKb: 0, metadataWrites: 0, metadataKb: 0,
    sources: {
      layerCycles: `estimate: VHD parser and NTFS in the parent partition, a few µs per request; ${SRC.hypervVhdR2}`,
      allocationKb: 'preallocated', zeroFillKb: 'preallocated', metadataWrites: 'preallocated', metadataKb: 'preallocated'
    }
  },
  'dynamic-vhd': {
    id: 'dynamic-vhd', name: 'Dynamically expanding VHD',
    layerCycles: 4000, allocationKb: 2048, zeroFillKb: 2048, metadataWrites: 3, metadataKb: 0.5,
    sources: {
      layerCycles: 'estimate: block allocation table and sector-bitmap handling in the parent, about twice the fixed VHD\'s',
      allocationKb: `${SRC.vhdSpec}: 2 MB default block`,
      zeroFillKb: 'estimate: extending the VHD file past its valid data length makes NTFS write zeros over the new 2 MB block',
      metadataWrites: `${SRC.vhdSpec}: a new block needs its allocation-table entry, its sector bitmap and the footer rewritten at the file's new end`,
      metadataKb: `${SRC.vhdSpec}: 512-byte sectors`
    }
  },
  raw: {
    id: 'raw', name: 'Raw image / logical volume',
    layerCycles: 500, allocationKb: 0, zeroFillKb: 0, metadataWrites: 0, metadataKb: 0,
    sources: {
      layerCycles: 'estimate: file/LV offset mapping', allocationKb: 'preallocated (a sparse raw file on ext3 is not modelled)',
      zeroFillKb: 'preallocated', metadataWrites: 'preallocated', metadataKb: 'preallocated'
    }
  },
  qcow2: {
    id: 'qcow2', name: 'QEMU copy-on-write v2',
    layerCycles: 6000, allocationKb: 64, zeroFillKb: 64, metadataWrites: 2, metadataKb: 4,
    sources: {
      layerCycles: `${SRC.qcow2}; estimate of cycles for the L1/L2 look-up`, allocationKb: `${SRC.qcow2}: 64 KB clusters`,
      zeroFillKb: `${SRC.qcow2}: a partial write to a new cluster writes the whole cluster (zeros where there is no backing file)`,
      metadataWrites: `${SRC.qcow2}: the L2 table entry and the refcount block`, metadataKb: 'estimate: one 4 KB metadata write each'
    }
  }
}

byId(formats)
