/**
 * Assembles one lab: the store at the data folder, a runner, and the
 * services over them. The desktop app, browser mode and the CLI each build
 * exactly this, so they share one code path below their adapters. A
 * database the lab cannot use fails here as a DatabaseError whose message
 * names the file, how it was chosen and what each adapter lets the user change.
 */
import { ExperimentReader } from './reading/reader'
import { ReportDrawer } from './reports/drawer'
import { readSettings } from './settings'
import { playwrightPrinter, type PdfPrinter } from './reports/pdf'
import { Runner } from './runner/runner'
import type { ChooseSavePath } from './services/reports'
import { createServices, type Services } from './services/services'
import { Store, type MigrationReport } from './store/store'
import { sweepCalls } from './sweeps/handlers'
import { SweepService } from './sweeps/service'
import { appRoot, appVersion, defaultDbPath, examplesDir, readerPath, reportThreadPath, userDataDir, workerPath } from './paths'

export interface LabOptions {
  mode: 'desktop' | 'browser' | 'cli'
  /** The database file; defaults to hyperlab.db in the user data folder. */
  dbPath?: string
  /** How the user gave `dbPath` (`--db`, `--data-dir`), named when the database cannot be used. */
  dbSource?: string
  /** better-sqlite3 binding built for the running ABI (Electron). */
  nativeBinding?: string
  batchWallMs?: number
  /** Engine jobs at once and memory per engine thread; from the environment (settings.ts) when absent. */
  maxConcurrentRuns?: number
  memoryBudgetBytes?: number
  /** How reports become PDF; a Chromium found on the machine (playwright-core) unless given. */
  printPdf?: PdfPrinter
  /** The desktop app's save dialog for reports. */
  chooseSavePath?: ChooseSavePath
}

export interface Lab {
  store: Store
  runner: Runner
  reader: ExperimentReader
  sweeps: SweepService
  services: Services
  dbPath: string
  /** This Hyperlab's version, recorded with each run. */
  version: string
  /** What opening did to the database's schema; `migrationNotice` says it in words. */
  migration: MigrationReport
  close(): Promise<void>
}

/**
 * One line saying that the database was brought to a newer schema and where
 * the copy of it as it was lies, or null when opening changed no schema (or
 * created the database).
 */
export function migrationNotice(dbPath: string, m: MigrationReport): string | null {
  if (m.applied.length === 0 || m.from === null) return null
  const copy = m.backup ? `; a copy of it as it was is at ${m.backup}` : ''
  return `updated the database ${dbPath} from schema ${m.from} to ${m.applied.at(-1)}${copy}`
}

/** What each adapter lets the user change to use another database. */
const DB_CHOICES: Record<LabOptions['mode'], string> = {
  cli: '--db FILE or HYPERLAB_DATA_DIR',
  browser: '--db FILE, --data-dir DIR or HYPERLAB_DATA_DIR',
  desktop: 'the HYPERLAB_DATA_DIR environment variable'
}

export function openLab(options: LabOptions): Lab {
  const root = appRoot()
  const dbPath = options.dbPath ?? defaultDbPath(userDataDir())
  const settings = { ...readSettings(), ...definedOnly({ maxConcurrentRuns: options.maxConcurrentRuns, memoryBudgetBytes: options.memoryBudgetBytes }) }
  const source =
    options.dbPath !== undefined
      ? (options.dbSource ?? 'the given path')
      : process.env.HYPERLAB_DATA_DIR
        ? 'HYPERLAB_DATA_DIR'
        : 'the user data folder'
  const store = Store.open(dbPath, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    source,
    choices: DB_CHOICES[options.mode]
  })
  const runner = new Runner(store, {
    workerPath: workerPath(root),
    ...(options.batchWallMs ? { batchWallMs: options.batchWallMs } : {}),
    ...(settings.maxConcurrentRuns !== undefined ? { maxConcurrent: settings.maxConcurrentRuns } : {}),
    ...(settings.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: settings.memoryBudgetBytes } : {})
  })
  const reader = new ExperimentReader({ threadPath: readerPath(root) })
  const drawer = new ReportDrawer(reportThreadPath(root))
  const version = appVersion(root)
  const sweeps = new SweepService({ store, runner, reader })
  const services = createServices({
    store,
    runner,
    reader,
    sweeps: sweepCalls(sweeps),
    examplesDir: examplesDir(root),
    mode: options.mode,
    dataPath: dbPath,
    version,
    printPdf: options.printPdf ?? playwrightPrinter(),
    drawHtml: (data, medium) => drawer.draw(data, medium),
    ...(options.chooseSavePath ? { chooseSavePath: options.chooseSavePath } : {})
  })
  let closed = false
  return {
    store,
    runner,
    reader,
    sweeps,
    services,
    dbPath,
    version,
    migration: store.migration,
    async close() {
      if (closed) return
      closed = true
      // Sweeps are told first, so none starts a run while the runner stops.
      await Promise.all([sweeps.shutdown(), runner.shutdown(), reader.close(), drawer.close()])
      store.close()
    }
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
