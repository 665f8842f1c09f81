/**
 * The bridge between the sandboxed renderer and main: one method per LabApi
 * call (`hyperlabBridge.runs.start(input)`), each bound to its own fixed IPC
 * channel, plus `subscribe` for the contract's events. Nothing else of
 * Electron or Node reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { COMMAND_NAMES, EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_PREFIX } from '../shared/channels'
import type { HyperlabBridge } from './bridge'

const bridge: Record<string, unknown> = {}
for (const name of COMMAND_NAMES) {
  const [domain, verb] = name.split(':') as [string, string]
  const group = (bridge[domain] ??= {}) as Record<string, unknown>
  const channel = IPC_PREFIX + name
  group[verb] = (input: unknown) => ipcRenderer.invoke(channel, input)
}

const knownEvents = new Set<string>(EVENT_NAMES)
bridge.subscribe = (listener: (event: string, payload: unknown) => void) => {
  const forward = (_e: IpcRendererEvent, message: { event: string; payload: unknown }): void => {
    if (message && knownEvents.has(message.event)) listener(message.event, message.payload)
  }
  ipcRenderer.on(IPC_EVENT_CHANNEL, forward)
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward)
  }
}

contextBridge.exposeInMainWorld('hyperlabBridge', bridge as unknown as HyperlabBridge)
