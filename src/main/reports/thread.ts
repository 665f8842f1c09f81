/**
 * The thread that draws reports: HTML with its SVG charts, from report data
 * read on the main thread. Drawing the 64-VM datacenter's report takes a
 * second or two of CPU; here it never stops the app or the server from
 * answering meanwhile.
 */
import { z } from 'zod'
import { serveRequests } from '../threads/serve'
import type { ReportData } from './data'
import { reportHtml } from './index'

const requestSchema = z.strictObject({
  // Data the main thread read from the store for this report; its shape is the main thread's own.
  data: z.looseObject({ runs: z.array(z.unknown()).min(1), version: z.string(), generatedAt: z.string() }),
  medium: z.enum(['screen', 'print'])
})

serveRequests((raw) => {
  const request = requestSchema.parse(raw)
  return reportHtml(request.data as unknown as ReportData, request.medium)
})
