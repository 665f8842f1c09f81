/**
 * The experiment reader's thread: turns experiment text into a checked
 * experiment (or its issues) away from the main thread, so that a text that
 * is slow or large to read never stops the app, the server or the CLI from
 * answering. The reader ends this thread when a text takes too long.
 */
import { z } from 'zod'
import { parseExperimentText } from '../../shared/experiment'
import { serveRequests } from '../threads/serve'

serveRequests((request) => parseExperimentText(z.string().parse(request)))
