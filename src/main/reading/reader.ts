/**
 * Reads experiment text on a thread of its own (a ThreadQueue), with limits
 * on time and memory. The size and structure bounds
 * (shared/experiment/bounds.ts) refuse the texts known to be costly before
 * they are read; these limits catch any other, and answer with an issue on
 * `(file)` instead of freezing or crashing the process: "too complex to read".
 */
import type { Experiment, ParseOutcome } from '../../shared/experiment'
import { ThreadQueue } from '../threads/threadQueue'
import { readOutcomeSchema } from './messages'

export interface ReaderOptions {
  /** The built thread script (out/main/reader.js). */
  threadPath: string
  /** Longest a read may take (default 20 s: ten times a valid text of the largest size). */
  timeoutMs?: number
  /** Heap the thread may use, MB (default 1024). */
  memoryMb?: number
  /** Texts that may wait for the thread; more are answered "busy" (default 64). */
  queueMax?: number
}

export class ExperimentReader {
  private readonly queue: ThreadQueue<ReturnType<typeof readOutcomeSchema.parse>>

  constructor(options: ReaderOptions) {
    this.queue = new ThreadQueue(
      {
        threadPath: options.threadPath,
        doing: 'the experiment reader',
        timeoutMs: options.timeoutMs ?? 20_000,
        memoryMb: options.memoryMb ?? 1024,
        queueMax: options.queueMax ?? 64
      },
      readOutcomeSchema
    )
  }

  /** The experiment in `text`, or every issue with its path. */
  async read(text: string): Promise<ParseOutcome> {
    const answer = await this.queue.run(text)
    if (answer.ok) {
      const outcome = answer.value
      // The engine thread that runs it parses the whole experiment again; here only the fields the services use are checked.
      return outcome.ok ? { ok: true, experiment: outcome.experiment as unknown as Experiment } : outcome
    }
    const message = {
      timeout: `is too complex to read: reading ${answer.message}`,
      memory: `is too complex to read: ${answer.message}`,
      closing: 'was not read: Hyperlab is closing',
      crashed: `could not be read: ${answer.message}`,
      malformed: `could not be read: ${answer.message}`
    }[answer.kind]
    return { ok: false, issues: [{ path: '(file)', message }] }
  }

  close(): Promise<void> {
    return this.queue.close()
  }
}
