/**
 * Errors that cross a process boundary travel as plain data
 * `{ name, message, code, issues? }`; `LabError` is their in-process form.
 */
import { z } from 'zod'

export const issueSchema = z.strictObject({
  /** Where in the experiment, e.g. `vms[2].disks[0].on`; `(file)` for the document itself. */
  path: z.string(),
  message: z.string()
})
export type Issue = z.infer<typeof issueSchema>

export const errorCodes = [
  'invalid-experiment',
  'invalid-request',
  'not-found',
  'conflict',
  'unavailable',
  'internal'
] as const
export type ErrorCode = (typeof errorCodes)[number]

export const wireErrorSchema = z.strictObject({
  name: z.string(),
  message: z.string(),
  code: z.enum(errorCodes),
  issues: z.array(issueSchema).optional()
})
export type WireError = z.infer<typeof wireErrorSchema>

export class LabError extends Error {
  override name = 'LabError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[]
  ) {
    super(message)
  }

  toWire(): WireError {
    return { name: this.name, message: this.message, code: this.code, ...(this.issues ? { issues: this.issues } : {}) }
  }

  static fromWire(w: WireError): LabError {
    return new LabError(w.code, w.message, w.issues)
  }
}

/** One line per issue: `path: message`. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('\n')
}

/** The message of anything thrown (a non-Error value as text), for a one-line report. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
