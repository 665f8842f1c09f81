/**
 * Reading an experiment file for the CLI without letting the file decide how
 * much is read: a regular file's size is checked before a byte of it is read
 * (a 3 GB file is refused at once), and a pipe or device (a FIFO,
 * /dev/zero) is read only until it passes the limit. The bytes then become
 * text by the shared rule (UTF-8; UTF-16 and binary named as such). Every
 * refusal is one printable line naming the file.
 */
import { open, stat } from 'node:fs/promises'
import { decodeExperimentBytes } from '../../shared/decode'
import { LIMITS } from '../../shared/limits'
import { printable } from '../../shared/printable'
import { formatBytes } from '../../shared/textSize'

/** A file the CLI will not read as an experiment; the message is ready to print. */
export class InputError extends Error {
  override name = 'InputError'
}

const MAX_BYTES = LIMITS.textBytes
const CHUNK = 1 << 16

export async function readExperimentFile(file: string): Promise<string> {
  const shown = printable(file, { max: 300 })
  const refuse = (why: string): InputError => new InputError(`${shown}: ${why}`)
  let size: number | null
  try {
    const info = await stat(file)
    if (info.isDirectory()) throw refuse('is a folder, not a file')
    size = info.isFile() ? info.size : null
  } catch (err) {
    throw err instanceof InputError ? err : refuse(cannotRead(err))
  }
  if (size !== null && size > MAX_BYTES) {
    throw refuse(`is ${size} bytes (${formatBytes(size)}); an experiment file may be at most ${MAX_BYTES} bytes (${formatBytes(MAX_BYTES)})`)
  }
  const bytes = await readAtMost(file, MAX_BYTES + 1).catch((err: unknown) => {
    throw refuse(cannotRead(err))
  })
  // A pipe or device has no size to check first; a regular file may have grown since.
  if (bytes.length > MAX_BYTES) throw refuse(`is larger than ${MAX_BYTES} bytes (${formatBytes(MAX_BYTES)}), the most an experiment file may be`)
  const decoded = decodeExperimentBytes(bytes)
  if (!decoded.ok) throw refuse(decoded.message)
  return decoded.text
}

/** The first `limit` bytes of `file`, or all of it when shorter; never more is read. */
async function readAtMost(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, 'r')
  try {
    const chunks: Buffer[] = []
    let total = 0
    while (total < limit) {
      const chunk = Buffer.alloc(Math.min(CHUNK, limit - total))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) break
      chunks.push(chunk.subarray(0, bytesRead))
      total += bytesRead
    }
    return Buffer.concat(chunks, total)
  } finally {
    await handle.close()
  }
}

function cannotRead(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  const why: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'is a folder, not a file',
    ELOOP: 'too many symbolic links'
  }
  return `cannot read the file (${(code && why[code]) ?? code ?? 'error'})`
}
