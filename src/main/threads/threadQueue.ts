/**
 * Work done on a thread of its own, one request at a time, with limits on
 * time and memory: reading experiment text, drawing reports. Whatever a
 * request costs, the thread that asked keeps answering; a request past its
 * time limit, or a thread that runs out of memory or dies, is answered with a
 * failure saying which, and the next request starts a new thread.
 *
 * Invariants:
 * 1. Requests run one at a time, in the order asked; each gets exactly one answer.
 * 2. A failed request never takes another with it: the thread is replaced.
 * 3. The thread never keeps the process alive.
 */
import { Worker } from 'node:worker_threads'
import { z } from 'zod'
import { LabError } from '../../shared/errors'

export type ThreadFailureKind = 'timeout' | 'memory' | 'crashed' | 'malformed' | 'closing'

export type ThreadAnswer<T> = { ok: true; value: T } | { ok: false; kind: ThreadFailureKind; message: string }

export interface ThreadQueueOptions {
  /** The built thread script (out/main/….js), which serves requests with serveRequests(). */
  threadPath: string
  /** What the thread does, for messages ("reading", "drawing the report"). */
  doing: string
  /** Longest one request may take, ms. */
  timeoutMs: number
  /** Heap the thread may use, MB. */
  memoryMb: number
  /** Requests that may wait; more are refused as busy. */
  queueMax: number
}

/** What a thread sends back: its value (parsed by the queue's schema) or why it failed. */
const replySchema = z.discriminatedUnion('ok', [
  z.strictObject({ id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ id: z.number().int(), ok: z.literal(false), message: z.string() })
])

interface Ask<T> {
  id: number
  request: unknown
  resolve(answer: ThreadAnswer<T>): void
}

export class ThreadQueue<T> {
  private thread: Worker | null = null
  private readonly queue: Ask<T>[] = []
  private current: { ask: Ask<T>; timer: ReturnType<typeof setTimeout> } | null = null
  private nextId = 1
  private closed = false

  constructor(
    private readonly options: ThreadQueueOptions,
    /** Checks the value a thread answers with (a thread is another execution context: parse what crosses). */
    private readonly valueSchema: z.ZodType<T>
  ) {}

  /** Runs `request` on the thread; the answer, or the failure that stopped it. */
  run(request: unknown): Promise<ThreadAnswer<T>> {
    if (this.closed) return Promise.reject(new LabError('unavailable', `${this.options.doing} is closed`))
    if (this.queue.length >= this.options.queueMax) {
      return Promise.reject(new LabError('unavailable', `too many requests are waiting for ${this.options.doing}; try again in a moment`))
    }
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, request, resolve })
      this.next()
    })
  }

  /** Ends the thread; requests still waiting are answered `closing`. */
  async close(): Promise<void> {
    this.closed = true
    const waiting = [...(this.current ? [this.current.ask] : []), ...this.queue.splice(0)]
    if (this.current) clearTimeout(this.current.timer)
    this.current = null
    for (const ask of waiting) ask.resolve({ ok: false, kind: 'closing', message: 'Hyperlab is closing' })
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
      const seconds = Math.round(this.options.timeoutMs / 100) / 10
      this.fail('timeout', `it took longer than ${seconds} s`)
    }, this.options.timeoutMs)
    this.current = { ask, timer }
    thread.postMessage({ id: ask.id, request: ask.request })
  }

  private start(): Worker {
    const thread = new Worker(this.options.threadPath, { resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb } })
    thread.on('message', (raw: unknown) => {
      const current = this.current
      if (!current || this.thread !== thread) return
      const reply = replySchema.safeParse(raw)
      if (!reply.success || reply.data.id !== current.ask.id) return this.fail('malformed', 'the thread gave a malformed answer')
      if (!reply.data.ok) return this.settle(current, { ok: false, kind: 'crashed', message: reply.data.message })
      const value = this.valueSchema.safeParse(reply.data.value)
      if (!value.success) return this.fail('malformed', 'the thread gave a malformed answer')
      this.settle(current, { ok: true, value: value.data })
    })
    thread.on('error', (err: Error & { code?: string }) => {
      if (this.thread !== thread) return
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') this.fail('memory', `it needs more than ${this.options.memoryMb} MB of memory`)
      else this.fail('crashed', err.message)
    })
    thread.on('exit', () => {
      if (this.thread === thread) this.fail('crashed', 'the thread stopped')
    })
    // After the listeners: adding a 'message' listener refs the thread again (invariant 3).
    thread.unref()
    this.thread = thread
    return thread
  }

  private settle(current: { ask: Ask<T>; timer: ReturnType<typeof setTimeout> }, answer: ThreadAnswer<T>): void {
    clearTimeout(current.timer)
    this.current = null
    current.ask.resolve(answer)
    this.next()
  }

  /** Answers the current request with a failure, replaces the thread, and goes on with the queue. */
  private fail(kind: ThreadFailureKind, message: string): void {
    const current = this.current
    const thread = this.thread
    this.thread = null
    this.current = null
    if (thread) void thread.terminate()
    if (current) {
      clearTimeout(current.timer)
      current.ask.resolve({ ok: false, kind, message })
    }
    this.next()
  }
}
