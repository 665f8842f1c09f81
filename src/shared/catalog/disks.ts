/**
 * Physical disk models. A hard disk serves one command at a time: seek (by
 * distance between the heads' position and the target), rotational latency
 * (uniform over a revolution) and media transfer. A flash disk has no
 * positioning; a few channels serve commands in parallel.
 */
import { byId } from './byId'
import type { DiskSpec } from './types'
import { SRC } from './sources'

const CTRL = 'estimate: controller/command overhead ~0.1–0.2 ms per request on SATA/SAS drives of the era'
const ROT = (rpm: number): string => `60,000 / ${rpm} rpm (A, definition)`

export const disks: Record<string, DiskSpec> = {
  'hdd-5400': {
    id: 'hdd-5400',
    name: '5,400 rpm 2.5" SATA disk',
    kind: 'hdd',
    seekMs: 12,
    rotationMs: 60000 / 5400,
    transferMBs: 60,
    accessMs: 0.2,
    servers: 1,
    trackSeekMs: 2,
    writeMBs: 60,
    writeAccessMs: 0.2,
    capacityGb: 250,
    readCv: 0,
    writeCv: 0,
    sources: {
      readCv: 'a disk\'s positioning (seek distance, rotation) already varies request by request; no extra spread',
      writeCv: 'a disk\'s positioning (seek distance, rotation) already varies request by request; no extra spread',
      seekMs: SRC.wd5400,
      rotationMs: ROT(5400),
      transferMBs: 'estimate: sustained media rate of 2008 2.5" 5,400 rpm drives (datasheet range 50–70 MB/s)',
      accessMs: CTRL,
      servers: 'one actuator (A)',
      trackSeekMs: 'estimate: track-to-track seek of 2.5" drives 1.5–2.5 ms',
      writeMBs: 'same media rate as reads (A, datasheet)',
      writeAccessMs: CTRL,
      capacityGb: 'typical capacity of the class (A, datasheet)'
    }
  },
  'hdd-7200': {
    id: 'hdd-7200',
    name: '7,200 rpm 3.5" SATA disk',
    kind: 'hdd',
    seekMs: 8.5,
    rotationMs: 60000 / 7200,
    transferMBs: 80,
    accessMs: 0.2,
    servers: 1,
    trackSeekMs: 1,
    writeMBs: 80,
    writeAccessMs: 0.2,
    capacityGb: 500,
    readCv: 0,
    writeCv: 0,
    sources: {
      readCv: 'a disk\'s positioning (seek distance, rotation) already varies request by request; no extra spread',
      writeCv: 'a disk\'s positioning (seek distance, rotation) already varies request by request; no extra spread',
      seekMs: `${SRC.seagate7200}; 7,200 rpm datasheets of the era give 7.4–8.5 ms`,
      rotationMs: `${ROT(7200)}; avg rotational latency 4.17 ms = half of it (${SRC.seagate7200})`,
      transferMBs: 'Seagate Barracuda 7200.10 datasheet: 78 MB/s sustained (A)',
      accessMs: CTRL,
      servers: 'one actuator (A)',
      trackSeekMs: 'Seagate Barracuda 7200.10 datasheet: track-to-track 0.8–1 ms (A)',
      writeMBs: 'same media rate as reads (A, datasheet)',
      writeAccessMs: CTRL,
      capacityGb: 'Seagate Barracuda 7200.10 500 GB model (A)'
    }
  },
  'hdd-10k': {
    id: 'hdd-10k',
    name: '10,000 rpm disk',
    kind: 'hdd',
    seekMs: 4.2,
    rotationMs: 6,
    transferMBs: 120,
    accessMs: 0.15,
    servers: 1,
    trackSeekMs: 0.6,
    writeMBs: 120,
    writeAccessMs: 0.15,
    capacityGb: 300,
    readCv: 0,
    writeCv: 0,
    sources: {
      readCv: 'a disk\'s positioning (seek distance, rotation) already varies request by request; no extra spread',
      writeCv: 'a disk\'s positioning (seek distance, rotation) already varies request by request; no extra spread',
      seekMs: SRC.raptor10k,
      rotationMs: `${ROT(10000)}; ${SRC.raptor10k}`,
      transferMBs: 'WD VelociRaptor datasheet: 120 MB/s sustained (A)',
      accessMs: CTRL,
      servers: 'one actuator (A)',
      trackSeekMs: 'estimate: enterprise 10k track-to-track 0.4–0.8 ms',
      writeMBs: 'same media rate as reads (A, datasheet)',
      writeAccessMs: CTRL,
      capacityGb: 'WD VelociRaptor 300 GB (A)'
    }
  },
  'hdd-15k': {
    id: 'hdd-15k',
    name: '15,000 rpm SAS/FC disk',
    kind: 'hdd',
    seekMs: 3.4,
    rotationMs: 4,
    transferMBs: 150,
    accessMs: 0.1,
    servers: 1,
    trackSeekMs: 0.2,
    writeMBs: 150,
    writeAccessMs: 0.1,
    capacityGb: 450,
    readCv: 0,
    writeCv: 0,
    sources: {
      readCv: 'a disk\'s positioning (seek distance, rotation) already varies request by request; no extra spread',
      writeCv: 'a disk\'s positioning (seek distance, rotation) already varies request by request; no extra spread',
      seekMs: `${SRC.hitachi15k}; 15,000 rpm datasheets give 3.1–3.8 ms`,
      rotationMs: `${ROT(15000)}; avg latency 2.0 ms (${SRC.hitachi15k})`,
      transferMBs: 'Hitachi Ultrastar 15K450 datasheet: 123–171 MB/s sustained (A)',
      accessMs: CTRL,
      servers: 'one actuator (A)',
      trackSeekMs: 'Hitachi Ultrastar 15K450 datasheet: track-to-track ~0.2 ms (A)',
      writeMBs: 'same media rate as reads (A, datasheet)',
      writeAccessMs: CTRL,
      capacityGb: 'Hitachi Ultrastar 15K450: 450 GB (A)'
    }
  },
  'ssd-slc-2008': {
    id: 'ssd-slc-2008',
    name: '2008 SLC SSD (Intel X25-E class)',
    kind: 'ssd',
    seekMs: 0,
    rotationMs: 0,
    transferMBs: 250,
    accessMs: 0.075,
    servers: 3,
    trackSeekMs: 0,
    writeMBs: 170,
    writeAccessMs: 0.9,
    capacityGb: 64,
    readCv: 0.3,
    writeCv: 1.0,
    sources: {
      readCv: `estimate: reads of SLC flash vary with channel contention and the FTL's mapping look-ups; ${SRC.chenSsd}`,
      writeCv: `estimate: writes wait behind erases and garbage collection now and then, so their times spread as widely as their mean; ${SRC.chenSsd}`,
      seekMs: 'no moving parts',
      rotationMs: 'no moving parts',
      transferMBs: SRC.x25e,
      accessMs: SRC.x25e,
      servers: `estimate: parallel commands chosen so 4 KB random reads saturate at ~35 k IOPS (${SRC.x25e}): 3 / (0.075 + 0.016) ms ≈ 33 k`,
      trackSeekMs: 'no moving parts',
      writeMBs: SRC.x25e,
      writeAccessMs: 'estimate: from the X25-E 3,300 random-write IOPS datasheet figure: 3 servers / 3.3 k IOPS ≈ 0.9 ms',
      capacityGb: 'Intel X25-E 64 GB (A)'
    }
  },
  'ssd-sata': {
    id: 'ssd-sata',
    name: 'SATA 6 Gb/s MLC SSD (2012)',
    kind: 'ssd',
    seekMs: 0,
    rotationMs: 0,
    transferMBs: 500,
    accessMs: 0.05,
    servers: 5,
    trackSeekMs: 0,
    writeMBs: 400,
    writeAccessMs: 0.125,
    capacityGb: 256,
    readCv: 0.3,
    writeCv: 1.0,
    sources: {
      readCv: `estimate: as ssd-slc-2008; ${SRC.chenSsd}`,
      writeCv: `estimate: as ssd-slc-2008; ${SRC.chenSsd}`,
      seekMs: 'no moving parts',
      rotationMs: 'no moving parts',
      transferMBs: SRC.ssdSata,
      accessMs: `estimate: consistent with ${SRC.ssdSata}`,
      servers: 'estimate: chosen so 4 KB random reads saturate near the ~80 k IOPS datasheet figure',
      trackSeekMs: 'no moving parts',
      writeMBs: SRC.ssdSata,
      writeAccessMs: 'estimate: ~40 k random-write IOPS of the class with 5 parallel commands',
      capacityGb: 'typical capacity (A)'
    }
  }
}

byId(disks)
