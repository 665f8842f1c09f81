/**
 * Experiment files handed to the desktop app by the system: a double-click
 * on a `.hyperlab.yaml` file, "Open with", a path on the command line, or a
 * second launch passing its file to the running app. Finds the file among a
 * command line's arguments, and reads it with the same bounds the editor
 * has, saying what is wrong when it cannot.
 */
import { open } from 'node:fs/promises'
import { basename, isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { LIMITS } from '../../shared/limits'
import { formatBytes } from '../../shared/textSize'

export const EXPERIMENT_FILE_EXTENSIONS = ['.hyperlab.yaml', '.yaml', '.yml'] as const

export function isExperimentFileName(name: string): boolean {
  const lower = name.toLowerCase()
  return EXPERIMENT_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext))
}

/**
 * The experiment file a command line names, as an absolute path, or null.
 * Switches (`--flag`) are skipped, and so are the executable and, when not
 * packaged, the app folder Electron was started with. Linux desktops may
 * pass a file:// URL (the desktop entry's %U).
 */
export function experimentFileFromArgv(argv: readonly string[], cwd: string, isPackaged: boolean): string | null {
  const args = argv.slice(isPackaged ? 1 : 2)
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = args[i]!
    if (arg.startsWith('-')) continue
    let path = arg
    if (/^file:/i.test(arg)) {
      try {
        path = fileURLToPath(arg)
      } catch {
        continue
      }
    }
    if (!isExperimentFileName(path)) continue
    return isAbsolute(path) ? path : resolve(cwd, path)
  }
  return null
}

/** What a second launch hands the running app (`requestSingleInstanceLock`'s additional data). */
export const secondInstanceSchema = z.strictObject({ file: z.string().min(1).max(4096).nullable() })
export type SecondInstanceData = z.infer<typeof secondInstanceSchema>

/**
 * The file a second launch asked to open: from the data it sent when that
 * parses, else from its command line (older launchers send no data).
 */
export function fileFromSecondInstance(data: unknown, argv: readonly string[], cwd: string, isPackaged: boolean): string | null {
  const parsed = secondInstanceSchema.safeParse(data)
  if (parsed.success) return parsed.data.file
  return experimentFileFromArgv(argv, cwd, isPackaged)
}

export type OpenedFile = { ok: true; name: string; path: string; text: string } | { ok: false; path: string; reason: string }

/** Reads an experiment file: a regular file of at most LIMITS.textBytes, UTF-8. Checks the size before reading. */
export async function readExperimentFile(path: string): Promise<OpenedFile> {
  const refuse = (reason: string): OpenedFile => ({ ok: false, path, reason })
  let handle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return refuse('there is no such file')
    if (code === 'EACCES' || code === 'EPERM') return refuse('you may not read it')
    if (code === 'EISDIR') return refuse('it is a folder, not a file')
    return refuse(`it cannot be read (${code ?? 'error'})`)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) return refuse('it is not a regular file')
    if (info.size > LIMITS.textBytes) {
      return refuse(`it is ${formatBytes(info.size)}; an experiment may be at most ${formatBytes(LIMITS.textBytes)}`)
    }
    const bytes = Buffer.alloc(info.size)
    const { bytesRead } = await handle.read(bytes, 0, info.size, 0)
    const body = bytes.subarray(0, bytesRead)
    if ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff)) {
      return refuse('the file is UTF-16; save it as UTF-8')
    }
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body)
    } catch {
      return refuse('it is not UTF-8 text')
    }
    return { ok: true, name: basename(path), path, text }
  } catch (err) {
    return refuse(`it cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  } finally {
    await handle.close()
  }
}
