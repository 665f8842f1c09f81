/** Where the desktop app saves a report: the save dialog, in the user's documents folder, filtered to the report's format. */
import { join } from 'node:path'
import { app, dialog, type BrowserWindow } from 'electron'
import type { ChooseSavePath } from '../services/reports'

export function reportSaveDialog(window: () => BrowserWindow | undefined): ChooseSavePath {
  return async (suggestedName, format) => {
    const options = {
      title: 'Save report',
      defaultPath: join(app.getPath('documents'), suggestedName),
      filters: [{ name: `${format.toUpperCase()} report`, extensions: [format] }]
    }
    const win = window()
    const reply = win && !win.isDestroyed() ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
    return reply.canceled || !reply.filePath ? null : reply.filePath
  }
}
