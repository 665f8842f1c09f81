/**
 * The icon set in resources/icons: generated from resources/icon.svg (and
 * still what the SVG gives), a PNG at every size the Linux packages use, and
 * ICO and ICNS files whose entries are PNGs of the sizes they claim.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './fixtures'

const ICONS = join(ROOT, 'resources', 'icons')
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
  expect(png.toString('latin1', 12, 16)).toBe('IHDR')
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

describe('icons', () => {
  it('match the SVG they are generated from', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'icons.mjs'), '--check'], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it('exist as PNG at every size from 16 to 1024', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(readFileSync(join(ICONS, `${size}x${size}.png`))), `${size}`).toEqual({ width: size, height: size })
    }
  })

  it('make an ICO of 16 to 256 pixels', () => {
    const ico = readFileSync(join(ICONS, 'icon.ico'))
    expect(ico.readUInt16LE(0)).toBe(0)
    expect(ico.readUInt16LE(2)).toBe(1)
    const count = ico.readUInt16LE(4)
    const sizes: number[] = []
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i
      const claimed = ico.readUInt8(entry) || 256
      expect(ico.readUInt8(entry + 1) || 256).toBe(claimed)
      const length = ico.readUInt32LE(entry + 8)
      const offset = ico.readUInt32LE(entry + 12)
      expect(offset + length).toBeLessThanOrEqual(ico.length)
      expect(pngSize(ico.subarray(offset, offset + length))).toEqual({ width: claimed, height: claimed })
      sizes.push(claimed)
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256])
  })

  it('make an ICNS of 16 to 1024 pixels, Retina variants included', () => {
    const icns = readFileSync(join(ICONS, 'icon.icns'))
    expect(icns.toString('latin1', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const found = new Map<string, number>()
    for (let at = 8; at < icns.length; ) {
      const type = icns.toString('latin1', at, at + 4)
      const length = icns.readUInt32BE(at + 4)
      expect(length).toBeGreaterThan(8)
      found.set(type, pngSize(icns.subarray(at + 8, at + length)).width)
      at += length
    }
    expect(Object.fromEntries(found)).toEqual({
      icp4: 16,
      icp5: 32,
      ic11: 32,
      icp6: 64,
      ic12: 64,
      ic07: 128,
      ic08: 256,
      ic13: 256,
      ic09: 512,
      ic14: 512,
      ic10: 1024
    })
  })
})
