/** Types of electron-sqlite.mjs, for the TypeScript that imports it (e2e setup). */
export declare function cachedBindingPath(root: string, electronVersion: string, platform?: string, arch?: string): string
export declare function sqliteForElectron(options: {
  root: string
  electronVersion: string
  platform?: string
  arch?: string
  log?: (line: string) => void
}): string | null
