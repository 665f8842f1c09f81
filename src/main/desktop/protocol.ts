/**
 * The app's own scheme, `hyperlab://app/…`, which serves the built renderer
 * to the desktop window in place of `file://`. Standard and secure, so the
 * page has an origin of its own, relative URLs resolve and module scripts
 * load; it never bypasses the page's Content Security Policy. Only files
 * under the renderer's folder are served, each with that policy attached.
 */
import { readFile } from 'node:fs/promises'
import type { CustomScheme } from 'electron'
import { contentSecurityPolicy, staticHeaders, staticTarget } from '../browser/static'
import { APP_HOST, APP_SCHEME } from './page'

export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true }
}

export type AppFileAnswer = { file: string; headers: Record<string, string> } | { status: 400 | 403 | 404 | 405; reason: string }

/** What a request to the app's scheme gets: a file under `rendererDir` with its headers, or a refusal. */
export function appFileFor(rendererDir: string, method: string, requestUrl: string): AppFileAnswer {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, reason: 'method not allowed' }
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return { status: 400, reason: 'bad url' }
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return { status: 403, reason: 'not the app' }
  const target = staticTarget(rendererDir, url.pathname)
  if ('status' in target) return target
  return { file: target.file, headers: staticHeaders(target.file, contentSecurityPolicy()) }
}

/** The handler of the app's scheme (`protocol.handle`): the file's bytes with its headers, or the refusal's status. */
export async function respondWithAppFile(rendererDir: string, request: Request): Promise<Response> {
  const answer = appFileFor(rendererDir, request.method, request.url)
  if ('status' in answer) return new Response(answer.reason, { status: answer.status })
  try {
    const body = await readFile(answer.file)
    return new Response(request.method === 'HEAD' ? null : body, { headers: answer.headers })
  } catch {
    return new Response('not found', { status: 404 })
  }
}
