/** Turns whatever a LabApi call threw into what the error list shows. */
import { LabError, type Issue } from '../api/shared'

export interface ShownError {
  message: string
  issues: Issue[]
}

export function describeError(error: unknown): ShownError {
  if (error instanceof LabError) return { message: error.message, issues: error.issues ?? [] }
  if (error instanceof Error) return { message: error.message, issues: [] }
  return { message: String(error), issues: [] }
}
