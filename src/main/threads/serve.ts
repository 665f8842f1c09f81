/**
 * The thread side of a ThreadQueue: answers each request with the handler's
 * value, or with the message of what it threw.
 */
import { parentPort } from 'node:worker_threads'
import { errorMessage } from '../../shared/errors'

export function serveRequests(handler: (request: unknown) => unknown): void {
  parentPort?.on('message', (raw: unknown) => {
    const { id, request } = raw as { id: number; request: unknown }
    try {
      parentPort?.postMessage({ id, ok: true, value: handler(request) })
    } catch (err) {
      parentPort?.postMessage({ id, ok: false, message: errorMessage(err) })
    }
  })
}
