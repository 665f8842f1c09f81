/// <reference types="vite/client" />
/** Every bundled example, by file name, as text (read by the test bundler, as the app's build reads assets). */
const files = import.meta.glob('../../../resources/examples/*.{yaml,yml,json}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>

export const exampleFiles: [string, string][] = Object.entries(files)
  .map(([path, text]): [string, string] => [path.split('/').pop()!, text])
  .sort(([a], [b]) => a.localeCompare(b))
