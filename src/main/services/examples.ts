/** The example experiments bundled in resources/examples, read from disk. */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { parseDocument } from 'yaml'

export interface Example {
  id: string
  name: string
  description: string
  text: string
}

export function listExamples(dir: string): Example[] {
  let files: string[]
  try {
    files = readdirSync(dir)
  } catch {
    return []
  }
  return files
    .filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f)))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8')
      const id = basename(file, extname(file))
      const doc = parseDocument(text).toJS() as { name?: unknown; description?: unknown } | null
      return {
        id,
        name: typeof doc?.name === 'string' ? doc.name : id,
        description: typeof doc?.description === 'string' ? doc.description.trim() : '',
        text
      }
    })
}
