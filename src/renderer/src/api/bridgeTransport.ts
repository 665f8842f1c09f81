/**
 * Electron transport: the sandboxed preload exposes `window.hyperlabBridge`,
 * one function per contract entry (`bridge.runs.start(input)`), each
 * resolving to a `Reply` envelope, and one `subscribe` for pushed events.
 */
import { isEventName, LabError, type CommandName, type Transport } from './shared'
import { unwrapReply, type ConnectionStatus, type LabConnection } from './connection'

export function createBridgeTransport(bridge: HyperlabBridge): Transport {
  return {
    async invoke(name: CommandName, input: unknown): Promise<unknown> {
      const [domain = '', verb = ''] = name.split(':')
      const group = bridge[domain]
      const call = typeof group === 'object' && group !== null ? group[verb] : undefined
      if (typeof call !== 'function') throw new LabError('unavailable', `The desktop bridge does not offer ${name}`)
      return unwrapReply(await call(input), name)
    },
    subscribe(listener) {
      return bridge.subscribe((event, payload) => {
        if (isEventName(event)) listener(event, payload)
      })
    }
  }
}

export function createBridgeConnection(bridge: HyperlabBridge): LabConnection {
  const open: ConnectionStatus = { state: 'open', detail: '' }
  return {
    kind: 'bridge',
    transport: createBridgeTransport(bridge),
    status: () => open,
    onStatus: () => () => undefined,
    close: () => undefined
  }
}
