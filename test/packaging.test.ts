/**
 * The desktop packages, checked as far as this machine allows: the builder
 * configuration against electron-builder's own schema, and one real
 * electron-builder run for Linux over a stand-in Electron (a file carrying
 * Electron's fuse wire where the binary would be): the unpacked app every
 * target starts from, then the deb and AppImage steps up to the point where
 * electron-builder hands its computed options to the packaging tools, which
 * it lets a caller inspect instead. What that run put into app.asar, beside
 * it and into the fuse wire, and what it would install, is what a real
 * package gets. (Electron itself and the packaging tools need the internet,
 * which `npm run dist` has.)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { extractFile, listPackage } from '@electron/asar'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { DebugLogger } from 'builder-util'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { Arch, build, Platform, type Configuration } from 'electron-builder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, requireBuild, tempDir } from './fixtures'

/** What the packaged Electron must have fused, per the security checklist. */
const FUSES: Record<string, boolean> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false
}
const FUSE_INDEX: Record<string, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges
}

async function projectConfig(): Promise<Configuration> {
  return getConfig(ROOT, null, null)
}

describe('builder configuration', () => {
  it('validates against electron-builder’s schema, which does catch mistakes', async () => {
    const config = await projectConfig()
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    const typo = { ...config, linux: { ...config.linux, icno: 'resources/icons' } } as Configuration
    await expect(validateConfiguration(typo, new DebugLogger(false))).rejects.toThrow(/configuration\.linux/)
  })

  it('makes AppImage and deb, NSIS and dmg, with the icons of resources/icons', async () => {
    const config = await projectConfig()
    expect(config.appId).toBe('org.hyperlab.desktop')
    expect(config.productName).toBe('Hyperlab')
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.win?.target).toBe('nsis')
    expect(config.mac?.target).toBe('dmg')
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon && existsSync(join(ROOT, icon)), String(icon)).toBe(true)
    }
  })

  it('associates experiment files with the app', async () => {
    const config = await projectConfig()
    const associations = ([] as unknown[]).concat(config.fileAssociations ?? [])
    expect(associations).toContainEqual(expect.objectContaining({ ext: 'hyperlab.yaml', role: 'Editor', mimeType: 'application/x-hyperlab-experiment' }))
  })

  it('fuses Electron as the security checklist asks', async () => {
    expect((await projectConfig()).electronFuses).toMatchObject(FUSES)
  })

  it('never rebuilds node_modules in place (the CLI and the tests load the Node build)', async () => {
    expect((await projectConfig()).npmRebuild).toBe(false)
  })
})

/** The production dependencies as installed, as name@version, found the way Node resolves them. */
function productionDependencies(): Set<string> {
  const found = new Set<string>()
  const seen = new Set<string>()
  const visit = (name: string, from: string, optional: boolean): void => {
    let dir = from
    for (;;) {
      const candidate = join(dir, 'node_modules', name)
      if (existsSync(join(candidate, 'package.json'))) {
        if (seen.has(candidate)) return
        seen.add(candidate)
        const pkg = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as PackageJson
        found.add(`${pkg.name}@${pkg.version}`)
        for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, candidate, false)
        for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dep, candidate, true)
        return
      }
      if (dir === ROOT) break
      dir = dirname(dir)
    }
    if (!optional) throw new Error(`production dependency ${name} (needed from ${relative(ROOT, from) || '.'}) is not installed`)
  }
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson
  for (const dep of Object.keys(root.dependencies ?? {})) visit(dep, ROOT, false)
  return found
}

interface PackageJson {
  name: string
  version: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

describe('the packaged app', () => {
  const dir = tempDir('hyperlab-package-')
  const fakeBinding = join(dir.path, 'better_sqlite3.node')
  let appDir: string
  let files: string[]
  /** What electron-builder computed for the deb (fpm's arguments, the desktop entry, the MIME types) and the AppImage. */
  let deb: { args: string[]; desktop: string; mime: string[] }
  let appImage: { desktop: string }
  const savedBinding = process.env.HYPERLAB_SQLITE_BINDING

  beforeAll(async () => {
    requireBuild()
    // Electron's binary carries its fuses after a sentinel: version 1, eight fuses, as Electron ships them.
    const electronDist = join(dir.path, 'electron-dist')
    const wire = Buffer.from([1, 8, ...'10110001'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))))
    await import('node:fs/promises').then((fs) => fs.mkdir(electronDist))
    writeFileSync(join(electronDist, 'electron'), Buffer.concat([Buffer.from('stand-in for Electron\n'), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), wire]), { mode: 0o755 })
    writeFileSync(fakeBinding, 'stand-in for better_sqlite3.node built for Electron')
    process.env.HYPERLAB_SQLITE_BINDING = fakeBinding
    try {
      await build({
        projectDir: ROOT,
        targets: Platform.LINUX.createTarget(['dir', 'deb', 'AppImage'], Arch.x64),
        config: { electronDist, directories: { output: join(dir.path, 'dist') } },
        publish: 'never',
        effectiveOptionComputed: async (options: unknown) => {
          if (Array.isArray(options)) {
            const [args, desktopFile] = options as [string[], string]
            const mime = args.filter((a) => a.endsWith('=/usr/share/mime/packages/hyperlab.xml')).map((a) => readFileSync(a.split('=')[0]!, 'utf8'))
            deb = { args, desktop: readFileSync(desktopFile, 'utf8'), mime }
          } else {
            appImage = options as { desktop: string }
          }
          return true // computed is enough: stop before the tools that would be downloaded
        }
      })
    } finally {
      if (savedBinding === undefined) delete process.env.HYPERLAB_SQLITE_BINDING
      else process.env.HYPERLAB_SQLITE_BINDING = savedBinding
    }
    appDir = join(dir.path, 'dist', 'linux-unpacked')
    files = listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false }).map((f) => f.split('\\').join('/'))
  }, 240_000)
  afterAll(() => dir.remove())

  it('holds the built app and the examples', () => {
    for (const f of ['/package.json', '/out/main/index.js', '/out/main/worker.js', '/out/preload/index.js', '/out/renderer/index.html', '/resources/examples/four-vms-one-disk.yaml']) {
      expect(files, f).toContain(f)
    }
    expect(files.some((f) => f.startsWith('/out/renderer/assets/') && f.endsWith('.js'))).toBe(true)
  })

  /** The packages in the archive, as name@version (electron-builder may hoist a nested copy). */
  function packagedPackages(): Set<string> {
    const manifests = files.filter((f) => /\/node_modules\/(@[^/]+\/)?[^/@][^/]*\/package\.json$/.test(f))
    return new Set(
      manifests.map((f) => {
        const pkg = JSON.parse(extractFile(join(appDir, 'resources', 'app.asar'), f.slice(1)).toString('utf8')) as PackageJson
        return `${pkg.name}@${pkg.version}`
      })
    )
  }

  it('holds the production dependencies, every one and nothing more', () => {
    const deps = productionDependencies()
    const better = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as PackageJson
    expect(deps).toContain(`better-sqlite3@${better.version}`)
    expect([...packagedPackages()].sort()).toEqual([...deps].sort())
  })

  it('holds every module the built code requires', () => {
    const builtins = new Set(builtinModules)
    for (const file of files.filter((f) => f.startsWith('/out/') && f.endsWith('.js'))) {
      const code = extractFile(join(appDir, 'resources', 'app.asar'), file.slice(1)).toString('utf8')
      for (const [, spec] of code.matchAll(/require\("([^"]+)"\)/g)) {
        if (spec!.startsWith('.') || spec!.startsWith('node:') || builtins.has(spec!) || spec === 'electron') continue
        const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!
        expect(files, `${file} requires ${spec}`).toContain(`/node_modules/${name}/package.json`)
      }
    }
  })

  it('holds nothing else: no sources, tests, scripts or development dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson
    const top = new Set(files.map((f) => f.split('/')[1]))
    expect([...top].sort()).toEqual(['node_modules', 'out', 'package.json', 'resources'])
    expect(files.filter((f) => f.startsWith('/resources/') && !/^\/resources\/(examples|icons)(\/|$)/.test(f))).toEqual([])
    const names = (set: Set<string>) => new Set([...set].map((p) => p.slice(0, p.lastIndexOf('@'))))
    const packagedNames = names(packagedPackages())
    const productionNames = names(productionDependencies())
    for (const dev of Object.keys(pkg.devDependencies ?? {})) {
      if (!productionNames.has(dev)) expect(packagedNames.has(dev), dev).toBe(false)
    }
    // Native code never sits inside the archive; Node's build of better-sqlite3 is not shipped at all.
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([])
    expect(files.filter((f) => f.startsWith('/node_modules/better-sqlite3/') && !/\/(lib|package\.json|LICENSE|README)/.test(f))).toEqual([])
  })

  it('carries the Electron build of better-sqlite3 beside the archive, where the app loads it', () => {
    expect(readFileSync(join(appDir, 'resources', 'native', 'better_sqlite3.node'), 'utf8')).toBe(readFileSync(fakeBinding, 'utf8'))
  })

  it('has its fuses flipped in the executable', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'hyperlab'))
    for (const [name, on] of Object.entries(FUSES)) {
      expect(String.fromCharCode(wire[FUSE_INDEX[name]!] as number), name).toBe(on ? '1' : '0')
    }
  })

  it('installs on Linux with the icon at every size, a desktop entry and the experiment file type', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      expect(deb.args, `${size}`).toContain(`${join(ROOT, 'resources', 'icons', `${size}x${size}.png`)}=/usr/share/icons/hicolor/${size}x${size}/apps/hyperlab.png`)
    }
    expect(deb.args.some((a) => a.endsWith('=/usr/share/applications/hyperlab.desktop'))).toBe(true)
    expect(deb.args).toContain('--maintainer')
    expect(deb.args).toContain('--url')
    expect(deb.mime.join('')).toContain('<mime-type type="application/x-hyperlab-experiment">')
    expect(deb.mime.join('')).toContain('<glob pattern="*.hyperlab.yaml"/>')
    for (const desktop of [deb.desktop, appImage.desktop]) {
      expect(desktop).toMatch(/^MimeType=application\/x-hyperlab-experiment;$/m)
      // Files arrive as arguments (%U: paths or file:// URLs), which the app reads (desktop/openFile.ts).
      expect(desktop).toMatch(/^Exec=.* %U$/m)
      expect(desktop).toMatch(/^StartupWMClass=hyperlab$/m)
    }
  })
})
