/**
 * What the command-line entry points do when their own output cannot be
 * written. A reader that went away (`hyperlab catalog --json | head -1`:
 * EPIPE) is not the lab's error: the rest of the output is dropped quietly
 * and the command ends with its own status. Any other failure (a full disk)
 * is reported once, in one line, and the exit status becomes 1. Nothing is
 * ever thrown from a stream's 'error' event, so no stack trace is printed.
 */
export interface OutputErrorOptions {
  /** Called once when stdout's reader has gone (browser mode stops: nobody can read its address). */
  onStdoutClosed?: () => void
}

export function handleOutputErrors(program: string, options: OutputErrorOptions = {}): void {
  let failed = false
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (failed) return
    failed = true
    if (err.code === 'EPIPE') {
      options.onStdoutClosed?.()
      return
    }
    process.exitCode = 1
    process.stderr.write(`${program}: cannot write the output: ${err.message}\n`)
  })
  // stderr is where problems are reported: when it fails there is nowhere left to say so.
  process.stderr.on('error', () => undefined)
}
