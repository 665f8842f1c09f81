/** Every bundled example and benchmark scenario, by file name, as text. */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(__dirname, '..', '..')
const DIRS = [join(ROOT, 'resources', 'examples')]

export const exampleFiles: [string, string][] = DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f): [string, string] => [f, readFileSync(join(dir, f), 'utf8')])
)
