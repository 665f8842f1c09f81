/**
 * The experiment reader's thread: turns experiment text into a checked
 * experiment (or its issues) away from the main thread, so that a text that
 * is slow or large to read never stops the app, the server or the CLI from
 * answering. The reader ends this thread when a text takes too long.
 */
import { parentPort } from 'node:worker_threads'
import { parseExperimentText } from '../../shared/experiment'
import { readRequestSchema } from './messages'

parentPort?.on('message', (raw: unknown) => {
  const request = readRequestSchema.parse(raw)
  parentPort?.postMessage({ id: request.id, outcome: parseExperimentText(request.text) })
})
