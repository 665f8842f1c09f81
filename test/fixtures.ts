/** Temp folders and labs for tests that need the built app (npm test builds it first). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { readerPath, reportThreadPath, workerPath } from '../src/main/paths'

export const ROOT = join(__dirname, '..')
export const BUILT_WORKER = workerPath(ROOT)
export const BUILT_READER = readerPath(ROOT)
export const BUILT_REPORT_THREAD = reportThreadPath(ROOT)
export const BUILT_CLI = join(ROOT, 'out', 'main', 'cli.js')

export function requireBuild(): void {
  if (!existsSync(BUILT_WORKER) || !existsSync(BUILT_CLI) || !existsSync(BUILT_READER) || !existsSync(BUILT_REPORT_THREAD)) {
    throw new Error('these tests use the built app: run `npm run build` first (npm test does)')
  }
}

export function tempDir(prefix = 'hyperlab-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** A run long enough to stop mid-way: a steady open stream of tiny operations on one custom disk. */
/** A fresh folder for each call, every one of them removed after each test. */
export function useTempFolders(prefix: string): () => string {
  const dirs: { remove: () => void }[] = []
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()))
  return () => {
    const d = tempDir(prefix)
    dirs.push(d)
    return d.path
  }
}

/** What `work` throws, or undefined when it returns: for tests that go on to check the error's fields. */
export function thrownBy(work: () => unknown): unknown {
  try {
    work()
  } catch (err) {
    return err
  }
  return undefined
}

export function longExperimentYaml(durationS = 3000): string {
  return `format: hyperlab/experiment@1
name: long run
seed: 3
duration_s: ${durationS}
sample_ms: 1000
baseline: none
hosts:
  - id: h1
    cpu: nehalem-x5570
    hypervisor: native
    disks: [{ id: d0, model: custom, servers: 1, service_ms: { dist: exponential, mean: 0.5 } }]
volumes:
  - { id: v0, kind: ext3, on: h1/d0 }
vms:
  - id: os
    host: h1
    disks: [{ model: passthrough, on: h1/d0 }]
    workload:
      kind: custom
      arrival: { process: poisson, rate_per_s: 1000 }
      per_op: { instructions: 1000, disk: [{ kind: read, kb: 4, count: 1 }] }
`
}

/**
 * A small sweep: one VM on ESX 4.0 reading from a custom disk, its clients
 * swept, with native baselines; each run takes well under a second.
 */
export function sweepExperimentYaml(options: { durationS?: number; replications?: number; clients?: number[]; name?: string } = {}): string {
  const { durationS = 4, replications = 2, clients = [1, 4, 16], name = 'clients sweep' } = options
  return `format: hyperlab/experiment@1
name: ${name}
seed: 7
duration_s: ${durationS}
warmup_s: 1
sample_ms: 500
baseline: native
hosts:
  - id: h1
    cpu: nehalem-x5570
    hypervisor: esx-4.0
    disks: [{ id: d0, model: custom, servers: 4, service_ms: { dist: exponential, mean: 2 } }]
volumes:
  - { id: v0, kind: vmfs, on: h1/d0 }
vms:
  - id: db1
    host: h1
    disks: [{ model: pvscsi, on: v0 }]
    workload:
      kind: custom
      arrival: { process: closed, clients: 4, think_ms: 1 }
      per_op: { instructions: 200000, syscalls: 4, disk: [{ kind: read, kb: 8, count: 1 }] }
sweep:
  parameters:
    - { path: "vms[db1].workload.arrival.clients", values: [${clients.join(', ')}] }
  replications: ${replications}
`
}
