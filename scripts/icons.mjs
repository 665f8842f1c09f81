#!/usr/bin/env node
/**
 * `npm run icons`: renders resources/icon.svg into the icon set the packages
 * use, in resources/icons/ (committed, so packaging never needs this script):
 *
 *   NxN.png    16 … 1024, the Linux icon theme sizes (AppImage, deb)
 *   icon.ico   16 … 256, for the Windows executable and installer
 *   icon.icns  16 … 1024 with the Retina variants, for macOS
 *
 * Every size is rasterized from the vector source itself (resvg, shipped as
 * WebAssembly inside its npm package, so this works offline), rather than
 * scaled down from one large bitmap: small sizes stay sharp. The ICO and ICNS
 * containers hold those PNGs as they are (both formats allow PNG entries).
 *
 *   npm run icons               write the files
 *   npm run icons -- --check    exit 1 when the committed files differ from what the SVG gives
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { initWasm, Resvg } from '@resvg/resvg-wasm'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'resources', 'icon.svg')
const target = join(root, 'resources', 'icons')

const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** ICNS element types holding PNG data, with their pixel size (Apple's iconutil writes the same set). */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024]
]

function render(svg, size) {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render()
  if (image.width !== size || image.height !== size) throw new Error(`icon.svg rendered at ${size} gave ${image.width}×${image.height}: it must be square`)
  return Buffer.from(image.asPng())
}

/** ICO: a directory of 16-byte entries, then the PNGs (a width or height of 256 is written as 0). */
function ico(pngs) {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(pngs.length, 4)
  const entries = []
  let offset = 6 + 16 * pngs.length
  for (const { size, png } of pngs) {
    const entry = Buffer.alloc(16)
    entry.writeUInt8(size >= 256 ? 0 : size, 0)
    entry.writeUInt8(size >= 256 ? 0 : size, 1)
    entry.writeUInt16LE(1, 4)
    entry.writeUInt16LE(32, 6)
    entry.writeUInt32LE(png.length, 8)
    entry.writeUInt32LE(offset, 12)
    offset += png.length
    entries.push(entry)
  }
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.png)])
}

/** ICNS: 'icns' and the total length, then per element its type, its length (header included) and the PNG. */
function icns(elements) {
  const parts = elements.map(({ type, png }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'latin1')
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4)
  return Buffer.concat([head, ...parts])
}

async function iconSet() {
  const require = createRequire(import.meta.url)
  await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')))
  const svg = readFileSync(source, 'utf8')
  const pngs = new Map(PNG_SIZES.map((size) => [size, render(svg, size)]))
  const files = new Map()
  for (const [size, png] of pngs) files.set(`${size}x${size}.png`, png)
  files.set('icon.ico', ico(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }))))
  files.set('icon.icns', icns(ICNS_TYPES.map(([type, size]) => ({ type, png: pngs.get(size) }))))
  return files
}

const files = await iconSet()
if (process.argv.includes('--check')) {
  const stale = [...files].filter(([name, data]) => {
    const path = join(target, name)
    return !existsSync(path) || !readFileSync(path).equals(data)
  })
  if (stale.length > 0) {
    console.error(`resources/icons is out of date with resources/icon.svg (${stale.map(([n]) => n).join(', ')}): run \`npm run icons\`.`)
    process.exit(1)
  }
  console.log(`resources/icons matches resources/icon.svg (${files.size} files).`)
} else {
  mkdirSync(target, { recursive: true })
  for (const [name, data] of files) writeFileSync(join(target, name), data)
  console.log(`Wrote ${files.size} icons to resources/icons/.`)
}
