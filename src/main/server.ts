/**
 * Entry point of browser mode: `node out/main/server.js [--port N]
 * [--data-dir DIR] [--db FILE] [--no-open] [--print-json]`. Opens the lab,
 * serves it on 127.0.0.1 and prints the URL (with its token) to open.
 */
import { spawn } from 'node:child_process'
import { Command, InvalidArgumentError } from 'commander'
import { errorMessage } from '../shared/errors'
import { printable } from '../shared/printable'
import { startBrowserServer } from './browser/server'
import { migrationNotice, openLab } from './lab'
import { appRoot, appVersion, dataDirProblem, databasePathProblem, defaultDbPath, rendererDir } from './paths'
import { handleOutputErrors } from './pipes'
import { DatabaseError } from './store/errors'

function portNumber(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535')
  return n
}

/** A commander option parser from a check that returns why a value is refused. */
function checkedBy(problem: (value: string) => string | null): (value: string) => string {
  return (value) => {
    const why = problem(value)
    if (why) throw new InvalidArgumentError(why)
    return value
  }
}

const program = new Command()
  .name('hyperlab-server')
  .description('Serve the Hyperlab lab to a browser on this machine (127.0.0.1 only).')
  .version(appVersion())
  .option('--port <n>', 'port to listen on (0 picks a free one)', portNumber, 0)
  .option('--data-dir <dir>', 'folder for hyperlab.db (default: the user data folder)', checkedBy(dataDirProblem))
  .option('--db <file>', 'database file (overrides --data-dir)', checkedBy(databasePathProblem))
  .option('--no-open', 'do not open a browser')
  .option('--print-json', 'print {"url","port","token"} as one JSON line once listening')
  .action(async (opts: { port: number; dataDir?: string; db?: string; open: boolean; printJson?: boolean }) => {
    const given =
      opts.db !== undefined
        ? { dbPath: opts.db, dbSource: '--db' }
        : opts.dataDir !== undefined
          ? { dbPath: defaultDbPath(opts.dataDir), dbSource: '--data-dir' }
          : {}
    const lab = openLab({ mode: 'browser', ...given })
    const notice = migrationNotice(lab.dbPath, lab.migration)
    if (notice) process.stderr.write(`hyperlab-server: ${printable(notice, { max: 2000 })}\n`)
    const server = await startBrowserServer({ lab, rendererDir: rendererDir(appRoot()), port: opts.port })
    let stopping = false
    const stop = async (): Promise<void> => {
      // Signals may arrive more than once (the terminal and a parent both send one); stop once.
      if (stopping) return
      stopping = true
      await server.close()
      await lab.close()
      process.exit(0)
    }
    // The address (with its token) goes to stdout only: when nobody reads it, nobody can use this server.
    handleOutputErrors('hyperlab-server', { onStdoutClosed: () => void stop() })
    if (opts.printJson) {
      process.stdout.write(JSON.stringify({ url: server.url, port: server.port, token: server.token }) + '\n')
    } else {
      process.stdout.write(`Hyperlab (browser mode) is running. Open:\n  ${server.url}\nData: ${lab.dbPath}\nPress Ctrl+C to stop.\n`)
    }
    if (opts.open) openBrowser(server.url)
    process.on('SIGINT', () => void stop())
    process.on('SIGTERM', () => void stop())
  })

/** Opens the URL in the user's browser where there is one; silent where there is none. */
function openBrowser(url: string): void {
  const cmd =
    process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url]
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return
  try {
    const child = spawn(cmd[0] as string, cmd.slice(1), { stdio: 'ignore', detached: true })
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // No opener on this machine: the printed URL is enough.
  }
}

program.exitOverride().configureOutput({ outputError: (str, write) => write(printable(str, { multiline: true, max: 10_000 })) })

// Exit codes as the CLI's: 0 help or version, 2 bad input (an option, a database it cannot use), 1 anything else.
program.parseAsync().catch((err: unknown) => {
  const code = (err as { code?: unknown }).code
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0)
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit(2)
  process.stderr.write(`hyperlab-server: ${printable(errorMessage(err), { multiline: true, max: 10_000 })}\n`)
  process.exit(err instanceof DatabaseError ? 2 : 1)
})
