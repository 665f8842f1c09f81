/**
 * Paths of fields in an experiment, as users read them: `vms[3].disks[0].on`,
 * and with the id of each listed item beside its index, `vms[3] (iscsi-db).disks[0].on`,
 * so a problem names the VM rather than only its position. Ids cannot hold
 * spaces or brackets (ids.ts), so a labelled path still reads back into its parts.
 */
import { isRecord } from './docValues'

export type PathPart = string | number

export function formatPath(path: ReadonlyArray<PathPart>): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out ? `.${part}` : part
  }
  return out || '(file)'
}

/** The path with `(id)` after the index of every item on the way that has a string id in `doc`. */
export function labelPath(path: ReadonlyArray<PathPart>, doc: unknown): string {
  let out = ''
  let node: unknown = doc
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`
      node = Array.isArray(node) ? node[part] : undefined
      if (isRecord(node) && typeof node.id === 'string' && node.id !== '') out += ` (${node.id})`
    } else {
      out += out ? `.${part}` : part
      node = isRecord(node) ? node[part] : undefined
    }
  }
  return out || '(file)'
}

/**
 * Reads a path back into its parts, labels dropped: `vms[3] (db).disks[0].on`
 * → `['vms', 3, 'disks', 0, 'on']`; `(file)` → `[]`.
 */
export function parsePath(text: string): PathPart[] {
  if (text === '(file)' || text === '') return []
  const parts: PathPart[] = []
  const re = /\[(\d+)\](?: \([^)]*\))?|\.?([^.[\s]+)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    if (m[1] !== undefined) parts.push(Number(m[1]))
    else if (m[2] !== undefined) parts.push(m[2])
  }
  return parts
}

/** True when `inner` is `outer` or lies inside it. */
export function isWithin(inner: ReadonlyArray<PathPart>, outer: ReadonlyArray<PathPart>): boolean {
  return outer.length <= inner.length && outer.every((part, i) => inner[i] === part)
}
