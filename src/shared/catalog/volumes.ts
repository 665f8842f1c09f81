/**
 * Kinds of volume a virtual disk can live on, and which virtual-disk formats
 * each holds: the experiment schema's `volumes[].kind` enum is derived from
 * here, and so are the formats a disk may name on a volume and the one it gets
 * when it names none. Which hypervisors use a kind is the hypervisor's
 * `volumeKinds`.
 */
import { byId } from './byId'
import type { FormatId, VolumeKindId } from './ids'
import { SRC } from './sources'

export { VOLUME_KIND_IDS, type VolumeKindId } from './ids'

export interface VolumeKindSpec {
  id: VolumeKindId
  name: string
  kind: 'volume'
  /** Formats a virtual disk on this kind may have; the first is what a disk that names none gets. */
  formats: FormatId[]
  /** Several hosts may use one such volume at once (a SAN datastore or a Cluster Shared Volume). */
  clustered: boolean
  sources: { formats: string; clustered: string }
}

export const volumeKinds: Record<VolumeKindId, VolumeKindSpec> = byId({
  vmfs: {
    id: 'vmfs', name: 'VMFS datastore (ESX)', kind: 'volume', formats: ['thick', 'thin'], clustered: true,
    sources: { formats: `VMware ESX 3.5/4 configuration guides: thick by default, thin optional (A); ${SRC.vmfsThin}`, clustered: 'VMFS is a clustered file system: hosts share a datastore on a SAN LUN (A)' }
  },
  ntfs: {
    id: 'ntfs', name: 'NTFS volume holding VHDs (Hyper-V)', kind: 'volume', formats: ['fixed-vhd', 'dynamic-vhd'], clustered: false,
    sources: { formats: `${SRC.vhdSpec}; Hyper-V creates fixed or dynamically expanding VHDs (A)`, clustered: 'NTFS is mounted by one host at a time (A)' }
  },
  csv: {
    id: 'csv', name: 'Cluster Shared Volume (Hyper-V, Windows Server 2008 R2)', kind: 'volume', formats: ['fixed-vhd', 'dynamic-vhd'], clustered: true,
    sources: { formats: `${SRC.csv}: VHDs on an NTFS volume every node mounts`, clustered: SRC.csv }
  },
  ext3: {
    id: 'ext3', name: 'ext3 file system holding image files (Xen, KVM)', kind: 'volume', formats: ['raw', 'qcow2'], clustered: false,
    sources: { formats: `${SRC.qcow2}; raw images as plain files (A)`, clustered: 'ext3 is mounted by one host at a time (A)' }
  },
  lvm: {
    id: 'lvm', name: 'LVM logical volumes (Xen, KVM)', kind: 'volume', formats: ['raw', 'qcow2'], clustered: false,
    sources: { formats: 'a logical volume holds a raw disk, or a qcow2 image written onto it (A, QEMU documentation)', clustered: 'plain LVM is used by one host at a time (A)' }
  }
})

/** The format a virtual disk on a volume of `kind` gets when it names none. */
export function defaultFormatFor(kind: VolumeKindId): FormatId {
  return volumeKinds[kind].formats[0]!
}
