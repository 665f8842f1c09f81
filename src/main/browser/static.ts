/** Serves the built renderer's files, and nothing outside its folder. */
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { ServerResponse } from 'node:http'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

/**
 * The page's Content Security Policy, sent with every renderer file: by
 * browser mode with its port (the page may open sockets to that port only),
 * and by the desktop app's scheme without one (no sockets; it talks over
 * IPC). index.html carries the same directives in a meta tag, which cannot
 * know the port; where both apply, the browser enforces both.
 */
export function contentSecurityPolicy(port?: number): string {
  const sockets = port ? ` ws://127.0.0.1:${port} ws://localhost:${port}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'"
  ].join('; ')
}

/** A request path resolved under the renderer's folder: the file, or why not ('/' is index.html). */
export type StaticTarget = { file: string } | { status: 400 | 404; reason: string }

export function staticTarget(root: string, urlPath: string): StaticTarget {
  let rel: string
  try {
    rel = decodeURIComponent(urlPath)
  } catch {
    return { status: 400, reason: 'bad path' }
  }
  if (rel === '/' || rel === '') rel = '/index.html'
  const file = normalize(join(root, rel))
  if (!file.startsWith(root + sep)) return { status: 404, reason: 'not found' }
  return { file }
}

/** Headers of a renderer file: its type, the page's policy, no sniffing, no referrer, no caching of the page itself. */
export function staticHeaders(file: string, csp: string): Record<string, string> {
  return {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': extname(file) === '.html' ? 'no-store' : 'max-age=3600'
  }
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse, csp: string): Promise<void> {
  const target = staticTarget(root, urlPath)
  if ('status' in target) {
    res.writeHead(target.status).end(target.reason)
    return
  }
  try {
    const body = await readFile(target.file)
    res.writeHead(200, staticHeaders(target.file, csp))
    res.end(body)
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
  }
}
