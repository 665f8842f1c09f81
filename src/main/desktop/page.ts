/**
 * Where the desktop window's page comes from, and which URLs count as that
 * page. The built renderer is served over the app's own privileged scheme
 * (`hyperlab://app/`), never `file://`, so the page has a real origin and the
 * rest of the file system is out of its reach. electron-vite's development
 * server is used only when the app is not packaged, and only on this machine:
 * an installed app never takes its page from an environment variable.
 */

export const APP_SCHEME = 'hyperlab'
export const APP_HOST = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY = `${APP_ORIGIN}/index.html`

export interface PageSource {
  /** What the window loads. */
  url: string
  /** The origin every IPC sender and navigation target must have. */
  origin: string
  /** The page comes from electron-vite's development server. */
  devServer: boolean
  /** Why a development server URL that was given is not used; null when none was refused. */
  refused: string | null
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

export function pageSource(isPackaged: boolean, devServerUrl: string | undefined): PageSource {
  const builtPage = (refused: string | null): PageSource => ({ url: APP_ENTRY, origin: APP_ORIGIN, devServer: false, refused })
  if (!devServerUrl) return builtPage(null)
  if (isPackaged) return builtPage('the app is packaged, so it loads its own page')
  let url: URL
  try {
    url = new URL(devServerUrl)
  } catch {
    return builtPage(`"${devServerUrl}" is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return builtPage(`"${devServerUrl}" is not an http URL`)
  if (!LOOPBACK.has(url.hostname)) return builtPage(`"${devServerUrl}" is not on this machine`)
  return { url: url.href, origin: originOf(url.href) ?? url.origin, devServer: true, refused: null }
}

/**
 * scheme://host[:port] of a URL, or null. Node's URL gives an opaque origin
 * ("null") for schemes it does not know, such as the app's own, so the
 * origin is put together from its parts (lower-cased, as Chromium does for a
 * standard scheme).
 */
export function originOf(url: string | undefined): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    return parsed.host === '' ? null : `${parsed.protocol}//${parsed.host}`.toLowerCase()
  } catch {
    return null
  }
}

/**
 * Whether `url` is the lab's own page: same origin exactly (a prefix test
 * would let localhost:51730 pass for :5173) and, for the built page, its one
 * document.
 */
export function isOwnPage(url: string | undefined, source: PageSource): boolean {
  if (!url || originOf(url) !== source.origin) return false
  if (source.devServer) return true
  const path = new URL(url).pathname
  return path === '/' || path === '/index.html'
}

/**
 * Whether a navigation may proceed: the main frame may only (re)load the
 * lab's page; the lab has no frames, so a subframe may go nowhere.
 */
export function mayNavigate(url: string, isMainFrame: boolean, source: PageSource): boolean {
  return isMainFrame && isOwnPage(url, source)
}
