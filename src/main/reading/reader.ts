/**
 * Reads experiment text on a thread of its own, with limits on time and
 * memory. The size and structure bounds (shared/experiment/bounds.ts) refuse
 * the texts known to be costly before they are read; these limits catch any
 * other, and answer with an issue instead of freezing or crashing the
 * process: "too complex to read".
 *
 * Invariants:
 * 1. One text is read at a time, in the order asked; each ask gets exactly one answer.
 * 2. A read past its time limit, or a thread that runs out of memory or dies,
 *    answers that ask with an issue on `(file)`; the next ask starts a new thread.
 * 3. The thread never keeps the process alive.
 */
import { Worker } from 'node:worker_threads'
import { LabError } from '../../shared/errors'
import type { Experiment, ParseOutcome } from '../../shared/experiment'
import { readReplySchema } from './messages'

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

interface Ask {
  id: number
  text: string
  resolve(outcome: ParseOutcome): void
}

export class ExperimentReader {
  private thread: Worker | null = null
  private readonly queue: Ask[] = []
  private current: { ask: Ask; timer: ReturnType<typeof setTimeout> } | null = null
  private nextId = 1
  private closed = false
  private readonly timeoutMs: number
  private readonly memoryMb: number
  private readonly queueMax: number

  constructor(private readonly options: ReaderOptions) {
    this.timeoutMs = options.timeoutMs ?? 20_000
    this.memoryMb = options.memoryMb ?? 1024
    this.queueMax = options.queueMax ?? 64
  }

  /** The experiment in `text`, or every issue with its path. */
  read(text: string): Promise<ParseOutcome> {
    if (this.closed) return Promise.reject(new LabError('unavailable', 'the experiment reader is closed'))
    if (this.queue.length >= this.queueMax) {
      return Promise.reject(new LabError('unavailable', 'too many experiments are waiting to be read; try again in a moment'))
    }
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, text, resolve })
      this.next()
    })
  }

  /** Ends the thread; asks still waiting are answered as unavailable. */
  async close(): Promise<void> {
    this.closed = true
    const waiting = [...(this.current ? [this.current.ask] : []), ...this.queue.splice(0)]
    if (this.current) clearTimeout(this.current.timer)
    this.current = null
    for (const ask of waiting) ask.resolve({ ok: false, issues: [{ path: '(file)', message: 'was not read: Hyperlab is closing' }] })
    const thread = this.thread
    this.thread = null
    if (thread) await thread.terminate()
  }

  private next(): void {
    if (this.current || this.closed) return
    const ask = this.queue.shift()
    if (!ask) return
    const thread = this.thread ?? this.start()
    const timer = setTimeout(() => {
      const seconds = Math.round(this.timeoutMs / 100) / 10
      this.fail(`is too complex to read: reading it took longer than ${seconds} s`)
    }, this.timeoutMs)
    this.current = { ask, timer }
    thread.postMessage({ id: ask.id, text: ask.text })
  }

  private start(): Worker {
    const thread = new Worker(this.options.threadPath, {
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb }
    })
    thread.on('message', (raw: unknown) => {
      const reply = readReplySchema.safeParse(raw)
      const current = this.current
      if (!current) return
      if (!reply.success || reply.data.id !== current.ask.id) {
        this.fail('could not be read: the reader thread gave a malformed answer')
        return
      }
      clearTimeout(current.timer)
      this.current = null
      const outcome = reply.data.outcome
      current.ask.resolve(outcome.ok ? { ok: true, experiment: outcome.experiment as unknown as Experiment } : outcome)
      this.next()
    })
    thread.on('error', (err: Error & { code?: string }) => {
      if (this.thread !== thread) return
      this.fail(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `is too complex to read: it needs more than ${this.memoryMb} MB of memory`
          : `could not be read: ${err.message}`
      )
    })
    thread.on('exit', () => {
      if (this.thread === thread) this.fail('could not be read: the reader thread stopped')
    })
    // After the listeners: adding a 'message' listener refs the thread again (invariant 3).
    thread.unref()
    this.thread = thread
    return thread
  }

  /** Answers the current ask with `message` on `(file)`, replaces the thread, and goes on with the queue. */
  private fail(message: string): void {
    const current = this.current
    const thread = this.thread
    this.thread = null
    this.current = null
    if (thread) void thread.terminate()
    if (current) {
      clearTimeout(current.timer)
      current.ask.resolve({ ok: false, issues: [{ path: '(file)', message }] })
    }
    this.next()
  }
}
