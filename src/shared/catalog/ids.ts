/**
 * The names a few catalog sections are fixed to, listed once: the experiment
 * schema's enums (`disks.raid`, `volumes[].kind`, `disks[].format`) and the
 * catalog's own types derive from these. A leaf: it imports nothing, so the
 * schema and the catalog can both use it without importing each other.
 */
export const RAID_LEVEL_IDS = ['raid0', 'raid1', 'raid10', 'raid5', 'raid6'] as const
export type RaidLevelId = (typeof RAID_LEVEL_IDS)[number]

export const VOLUME_KIND_IDS = ['vmfs', 'ntfs', 'csv', 'ext3', 'lvm'] as const
export type VolumeKindId = (typeof VOLUME_KIND_IDS)[number]

export const FORMAT_IDS = ['thick', 'thin', 'fixed-vhd', 'dynamic-vhd', 'raw', 'qcow2'] as const
export type FormatId = (typeof FORMAT_IDS)[number]
