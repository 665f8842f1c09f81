/**
 * Ambient types of the renderer: `.vue` modules and the bridge the Electron
 * preload exposes on `window`. In browser mode the bridge is absent and the
 * renderer speaks the WebSocket protocol instead (api/socketTransport.ts).
 */
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

/** Side-effect style imports (`uplot/dist/uPlot.min.css`, app styles). */
declare module '*.css'

/** One domain of the bridge: `verb → call`, each resolving to a wire `Reply` envelope. */
type HyperlabBridgeDomain = Record<string, (input: unknown) => Promise<unknown>>

/**
 * What the preload exposes: `bridge.runs.start(input)` resolves to a `Reply`
 * (`{ ok: true, output } | { ok: false, error }`); `subscribe` delivers every
 * event pushed by the main process and returns its unsubscribe function.
 */
interface HyperlabBridge {
  readonly [domain: string]: HyperlabBridgeDomain | ((listener: (event: string, payload: unknown) => void) => () => void)
  subscribe(listener: (event: string, payload: unknown) => void): () => void
}

interface Window {
  readonly hyperlabBridge?: HyperlabBridge
}

/** ELK's layout engine packaged as a worker that also runs in the page (CommonJS: `{ default: Worker, Worker }`). */
declare module 'elkjs/lib/elk-worker.min.js' {
  export const Worker: new () => globalThis.Worker
}
