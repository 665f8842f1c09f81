/**
 * Picks the transport for this window and builds the one `LabApi` the app
 * uses: the preload bridge inside Electron, the WebSocket in a browser.
 * Stores reach the API through `useLabApi()`, so a test can install another.
 */
import { buildLabApi, type LabApi } from './shared'
import { createBridgeConnection } from './bridgeTransport'
import { SocketConnection, socketUrlFor } from './socketTransport'
import type { LabConnection } from './connection'

export type { ConnectionState, ConnectionStatus, LabConnection } from './connection'

export function connectLab(win: Window): LabConnection {
  const bridge = win.hyperlabBridge
  if (bridge) return createBridgeConnection(bridge)
  return new SocketConnection(socketUrlFor(win.location))
}

let installed: LabApi | null = null

export function installLabApi(api: LabApi): void {
  installed = api
}

export function createLabApi(connection: LabConnection): LabApi {
  return buildLabApi(connection.transport)
}

export function useLabApi(): LabApi {
  if (installed === null) throw new Error('LabApi used before installLabApi()')
  return installed
}
