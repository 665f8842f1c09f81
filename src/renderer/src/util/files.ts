/**
 * Saving a file from the page: the system's save dialog where the runtime
 * offers one (Chromium's File System Access API, in Electron too), else a
 * download. Returns the name written, or null when the user cancelled.
 */
interface SavePickerWindow {
  showSaveFilePicker?: (options: {
    suggestedName: string
    types: { description: string; accept: Record<string, string[]> }[]
  }) => Promise<{ name: string; createWritable(): Promise<{ write(data: Blob): Promise<void>; close(): Promise<void> }> }>
}

export async function saveFile(name: string, data: Blob, description: string, extensions: string[]): Promise<string | null> {
  const picker = (window as unknown as SavePickerWindow).showSaveFilePicker
  if (picker) {
    try {
      const handle = await picker({ suggestedName: name, types: [{ description, accept: { [data.type || 'application/octet-stream']: extensions } }] })
      const writable = await handle.createWritable()
      await writable.write(data)
      await writable.close()
      return handle.name
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return null
      // A picker that is not allowed here (some embedded contexts): fall back to a download.
    }
  }
  downloadFile(name, data)
  return name
}

/** Hands `data` to the browser as a download named `name` (no dialog: the browser's download folder). */
export function downloadFile(name: string, data: Blob): void {
  const url = URL.createObjectURL(data)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  document.body.append(a)
  a.click()
  a.remove()
  // Revoked later, not at once: the browser reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A file name from an experiment name: `Hyper-V cluster on a CSV` → `hyper-v-cluster-on-a-csv`. */
export function fileStem(name: string): string {
  const stem = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
  return stem || 'experiment'
}
