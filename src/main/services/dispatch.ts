/**
 * The one door every adapter (Electron IPC, browser-mode WebSocket) uses to
 * call a handler: the name is checked against the contract, the input parsed
 * with its schema before the handler runs, and any failure becomes a `Reply`
 * with `{ name, message, code, issues? }` — never a stack trace.
 */
import { commands, isCommandName, type CommandName, type Handlers } from '../../shared/contract'
import { errorMessage, LabError } from '../../shared/errors'
import { zodIssues } from '../../shared/experiment'
import type { Reply } from '../../shared/wire'

export async function dispatch(handlers: Handlers, name: unknown, input: unknown): Promise<Reply> {
  if (!isCommandName(name)) {
    return { ok: false, error: new LabError('invalid-request', `unknown call "${String(name)}"`).toWire() }
  }
  const parsed = commands[name].input.safeParse(input ?? {}, { reportInput: true })
  if (!parsed.success) {
    const issues = zodIssues(parsed.error.issues)
    return {
      ok: false,
      error: new LabError('invalid-request', `${name}: the request is malformed`, issues).toWire()
    }
  }
  try {
    const handler = handlers[name] as (i: unknown) => unknown
    const output = await handler(parsed.data)
    return { ok: true, output }
  } catch (err) {
    return { ok: false, error: toLabError(name, err).toWire() }
  }
}

function toLabError(name: CommandName, err: unknown): LabError {
  if (err instanceof LabError) return err
  return new LabError('internal', `${name} failed: ${errorMessage(err)}`)
}
