/**
 * Storage behind a SAN LUN (docs/model.md §4–6): RAID levels, the fabrics a
 * host reaches an array over, and the array controller. They form one catalog
 * section, `storage`, whose entries say what they are in `kind`; the engine
 * reads the typed groups `raidLevels`, `fabrics` and `arrayControllers`.
 *
 * - A RAID level's write penalty is how many back-end I/Os one small front-end
 *   write costs. `readCopies` is descriptive: stripes already spread reads over
 *   every spindle.
 * - A fabric gives the switch hop and, for iSCSI, what a software initiator
 *   costs the host. The wire rate the engine simulates is the adapter speed the
 *   experiment names (hosts[].hbas[].gbps or the NIC's gbps); `fabricFor` picks
 *   the entry for it. An iSCSI HBA does the protocol itself: the initiator
 *   costs apply only to iSCSI over a host NIC.
 * - The experiment names no controller: every array has `defaultArrayController`.
 */
import { byId } from './byId'
import type { ArrayControllerSpec, ClusterVolumeSpec, FabricSpec, RaidLevelSpec, StorageSpec } from './types'
import { SRC } from './sources'
import type { RaidLevelId } from './ids'

export { RAID_LEVEL_IDS, type RaidLevelId } from './ids'

const MIRROR_READS = `either copy of a mirror serves a read (${SRC.sniaRaid})`
const ONE_COPY = `one copy of each block; parity is not read on a healthy array (${SRC.sniaRaid})`

export const raidLevels: Record<RaidLevelId, RaidLevelSpec> = byId({
  raid0: {
    id: 'raid0', name: 'RAID 0 (striping, no redundancy)', kind: 'raid',
    writePenalty: 1, readCopies: 1,
    sources: { writePenalty: `no redundancy: one back-end write per write (${SRC.sniaRaid})`, readCopies: `a single copy (${SRC.sniaRaid})` }
  },
  raid1: {
    id: 'raid1', name: 'RAID 1 (mirroring)', kind: 'raid',
    writePenalty: 2, readCopies: 2,
    sources: { writePenalty: `every write goes to both copies; ${SRC.raidPenalty}`, readCopies: MIRROR_READS }
  },
  raid10: {
    id: 'raid10', name: 'RAID 10 (striped mirrors)', kind: 'raid',
    writePenalty: 2, readCopies: 2,
    sources: { writePenalty: SRC.raidPenalty, readCopies: MIRROR_READS }
  },
  raid5: {
    id: 'raid5', name: 'RAID 5 (striping with rotating parity)', kind: 'raid',
    writePenalty: 4, readCopies: 1,
    sources: { writePenalty: `${SRC.patterson}; ${SRC.raidPenalty}`, readCopies: ONE_COPY }
  },
  raid6: {
    id: 'raid6', name: 'RAID 6 (striping with dual parity)', kind: 'raid',
    writePenalty: 6, readCopies: 1,
    sources: { writePenalty: `read data, P and Q, then write all three; ${SRC.raidPenalty}`, readCopies: ONE_COPY }
  }
})

const FC_HOP = `${SRC.mcdata}; 0.5 µs taken within that range`
const FC_HOP_OTHER = `estimate: FC switch ASICs cut through at every speed, so the same 0.5 µs as the 4 Gb switch (${SRC.mcdata})`
const FC_CMD = `${SRC.fcp}: an FCP_CMND or FCP_RSP frame of about 70 bytes (24-byte header, 32-byte command, CRC and delimiters)`
const ISCSI_CMD = `${SRC.iscsi}: a 48-byte basic header segment in one TCP/IP packet on Ethernet, about 140 bytes on the wire`
const FC_DEPTH = 'set by the experiment: hosts[].hbas[].queue_depth (default 32, a common per-LUN HBA queue depth of the era; estimate)'
const FC_CPU = 'the FC HBA runs the protocol; the host driver work is the hypervisor\'s ioCyclesPerRequest (how an FC HBA works, not a measurement)'
const FC_CPU_KB = 'the HBA moves data by DMA: no host copy (how an FC HBA works, not a measurement)'
const ISCSI_CPU =
  'estimate: software initiator per request — TCP send and receive, iSCSI PDU build and parse, SCSI completion — about 5 µs on a 3.8 GHz P4; the same software runs over either link'
const ISCSI_CPU_KB =
  'estimate: with NIC checksum offload and scatter-gather send the host barely touches the data, tens of cycles per KB; the same software runs over either link'
const fcRate = (mbs: number): string => `${SRC.fcia}: ${mbs} MB/s × 8 bit`

export const fabrics: Record<string, FabricSpec> = byId({
  'fc-2': {
    id: 'fc-2', name: 'Fibre Channel 2 Gb (2GFC)', kind: 'fabric', protocol: 'fc',
    nominalGbps: 2, lineGbaud: 2.125, usableGbps: 1.6, hopNs: 500, commandKb: 0.07, queueDepth: null, initiatorCycles: 0, initiatorCyclesPerKb: 0,
    sources: {
      nominalGbps: SRC.fcPi, lineGbaud: SRC.fcPi, usableGbps: fcRate(200), hopNs: FC_HOP_OTHER, commandKb: FC_CMD,
      queueDepth: FC_DEPTH, initiatorCycles: FC_CPU, initiatorCyclesPerKb: FC_CPU_KB
    }
  },
  'fc-4': {
    id: 'fc-4', name: 'Fibre Channel 4 Gb (4GFC)', kind: 'fabric', protocol: 'fc',
    nominalGbps: 4, lineGbaud: 4.25, usableGbps: 3.2, hopNs: 500, commandKb: 0.07, queueDepth: null, initiatorCycles: 0, initiatorCyclesPerKb: 0,
    sources: {
      nominalGbps: SRC.fcPi, lineGbaud: SRC.fcPi, usableGbps: fcRate(400), hopNs: FC_HOP, commandKb: FC_CMD,
      queueDepth: FC_DEPTH, initiatorCycles: FC_CPU, initiatorCyclesPerKb: FC_CPU_KB
    }
  },
  'fc-8': {
    id: 'fc-8', name: 'Fibre Channel 8 Gb (8GFC)', kind: 'fabric', protocol: 'fc',
    nominalGbps: 8, lineGbaud: 8.5, usableGbps: 6.4, hopNs: 500, commandKb: 0.07, queueDepth: null, initiatorCycles: 0, initiatorCyclesPerKb: 0,
    sources: {
      nominalGbps: SRC.fcPi, lineGbaud: SRC.fcPi, usableGbps: fcRate(800), hopNs: FC_HOP_OTHER, commandKb: FC_CMD,
      queueDepth: FC_DEPTH, initiatorCycles: FC_CPU, initiatorCyclesPerKb: FC_CPU_KB
    }
  },
  'iscsi-1g': {
    id: 'iscsi-1g', name: 'iSCSI over 1 GbE', kind: 'fabric', protocol: 'iscsi',
    nominalGbps: 1, lineGbaud: 1.25, usableGbps: 0.94, hopNs: 15_000, commandKb: 0.14, queueDepth: 128, initiatorCycles: 20_000, initiatorCyclesPerKb: 50,
    sources: {
      nominalGbps: SRC.ieee8023,
      lineGbaud: `${SRC.ieee8023} (1000BASE-T signals differently, at the same 1 Gb/s)`,
      usableGbps: 'TCP over a 1,500-byte MTU: 1,448 payload bytes per 1,538 bytes on the wire (preamble, Ethernet, IP and TCP headers with timestamps, FCS, gap) = 0.941 Gb/s (arithmetic on the frame sizes)',
      hopNs: 'estimate: a store-and-forward Gigabit switch receives a whole 1,500-byte frame (12 µs at 1 Gb/s) before forwarding it, plus a few µs of switching',
      commandKb: ISCSI_CMD, queueDepth: SRC.openIscsi, initiatorCycles: ISCSI_CPU, initiatorCyclesPerKb: ISCSI_CPU_KB
    }
  },
  'iscsi-10g': {
    id: 'iscsi-10g', name: 'iSCSI over 10 GbE', kind: 'fabric', protocol: 'iscsi',
    nominalGbps: 10, lineGbaud: 10.3125, usableGbps: 9.3, hopNs: 5_000, commandKb: 0.14, queueDepth: 128, initiatorCycles: 20_000, initiatorCyclesPerKb: 50,
    sources: {
      nominalGbps: SRC.ieee8023, lineGbaud: SRC.ieee8023,
      usableGbps: `${SRC.vmware10g}; ${SRC.dong}: 9.3–9.48 Gb/s measured`,
      hopNs: 'estimate: 1.2 µs to receive a 1,500-byte frame at 10 Gb/s plus 2–4 µs of switching in the 10 GbE switches of 2008–2010',
      commandKb: ISCSI_CMD, queueDepth: SRC.openIscsi, initiatorCycles: ISCSI_CPU, initiatorCyclesPerKb: ISCSI_CPU_KB
    }
  }
})

export const arrayControllers: Record<string, ArrayControllerSpec> = byId({
  midrange: {
    id: 'midrange', name: 'Mid-range dual-controller array (2008)', kind: 'controller',
    cacheHitMs: 0.15, writeAckMs: 0.15, dirtyShare: 0.5,
    sources: {
      cacheHitMs: 'estimate: a cache hit on a mid-range FC array of the era costs ~0.1–0.2 ms of controller time (command handling, cache look-up, DMA), an order below a spindle',
      writeAckMs: 'estimate: a write-back write is acknowledged once it sits in cache and is mirrored to the partner controller, about the time of a read hit',
      dirtyShare: 'estimate: dual controllers mirror each other\'s dirty data and keep the rest of the cache for reads, so about half the cache may be dirty before writes wait for the back end'
    }
  }
})

/**
 * Cluster Shared Volumes (model.md §5): every node reads and writes the LUN
 * directly; metadata changes (extending a file, allocating a dynamic VHD's
 * block) are made by the coordinator node, which others ask over the cluster
 * network.
 */
export const clusterVolumes: Record<string, ClusterVolumeSpec> = byId({
  'csv-2008r2': {
    id: 'csv-2008r2', name: 'Cluster Shared Volume (Windows Server 2008 R2)', kind: 'cluster',
    metadataRttUs: 200, metadataUs: 300,
    sources: {
      metadataRttUs: `${SRC.csv}; estimate: an SMB request and reply on a GbE cluster network (~0.1–0.3 ms)`,
      metadataUs: `${SRC.csv}; estimate: the coordinator's NTFS update of the file's allocation and its log record, serialized per volume`
    }
  }
})

/** How every CSV volume behaves (experiments do not name a cluster file system). */
export const defaultClusterVolume: ClusterVolumeSpec = clusterVolumes['csv-2008r2']!

/** The controller of every array (experiments do not name one). */
export const defaultArrayController: ArrayControllerSpec = arrayControllers.midrange!

/** The fabric entry for an adapter of `gbps` Gb/s: the slowest of the protocol at least that fast, else the fastest. */
export function fabricFor(protocol: FabricSpec['protocol'], gbps: number): FabricSpec {
  const list = Object.values(fabrics)
    .filter((f) => f.protocol === protocol)
    .sort((a, b) => a.nominalGbps - b.nominalGbps)
  return list.find((f) => f.nominalGbps >= gbps) ?? list[list.length - 1]!
}

/** The catalog section: every RAID level, fabric, array controller and cluster volume, keyed by id. */
export const storage: Record<string, StorageSpec> = byId({ ...raidLevels, ...fabrics, ...arrayControllers, ...clusterVolumes })
