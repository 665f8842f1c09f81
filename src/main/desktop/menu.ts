/**
 * The application menu: open an experiment file, the usual editing and view
 * commands (so keyboard shortcuts work in the editor on every system), and
 * About. Development tools appear only when the app is not packaged.
 */
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  openExperiment(): void
  about(): void
}

export function menuTemplate(platform: NodeJS.Platform, isPackaged: boolean, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const about: MenuItemConstructorOptions = { label: 'About Hyperlab', click: () => actions.about() }
  const template: MenuItemConstructorOptions[] = []
  if (mac) {
    template.push({
      label: 'Hyperlab',
      submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }]
    })
  }
  template.push(
    {
      label: 'File',
      submenu: [
        { label: 'Open Experiment…', accelerator: 'CmdOrCtrl+O', click: () => actions.openExperiment() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(isPackaged ? [] : ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    ...(mac ? [{ role: 'windowMenu' } as MenuItemConstructorOptions] : []),
    { role: 'help', submenu: mac ? [] : [about] }
  )
  return template
}
