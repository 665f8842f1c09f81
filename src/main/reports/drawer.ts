/**
 * Draws report HTML on a thread of its own (a ThreadQueue), so that the
 * desktop app's main process and the browser-mode server keep answering
 * while a large report is drawn.
 */
import { z } from 'zod'
import { LabError } from '../../shared/errors'
import { ThreadQueue } from '../threads/threadQueue'
import type { ReportData } from './data'
import type { Medium } from './html/sections'

export class ReportDrawer {
  private readonly queue: ThreadQueue<string>

  constructor(threadPath: string) {
    this.queue = new ThreadQueue(
      { threadPath, doing: 'the report drawer', timeoutMs: 120_000, memoryMb: 1024, queueMax: 8 },
      z.string()
    )
  }

  async draw(data: ReportData, medium: Medium): Promise<string> {
    const answer = await this.queue.run({ data, medium })
    if (answer.ok) return answer.value
    throw new LabError('unavailable', `the report could not be drawn: ${answer.message}`)
  }

  close(): Promise<void> {
    return this.queue.close()
  }
}
