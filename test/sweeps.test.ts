/**
 * Sweeps on this machine, through the services as the app and the CLI use
 * them: every point and replication run once as an ordinary run, seeds shared
 * across points, statistics from the stored results, cancel and resume.
 */
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openLab, type Lab } from '../src/main/lab'
import { dispatch } from '../src/main/services/dispatch'
import { Store } from '../src/main/store/store'
import { parseExperimentText, replicationSeeds } from '../src/shared/experiment'
import { meanWithInterval } from '../src/shared/stats/interval'
import { sweepDetailSchema } from '../src/shared/sweeps'
import { requireBuild, sweepExperimentYaml, tempDir } from './fixtures'

beforeAll(requireBuild)

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function lab(dir = tempDir()): { lab: Lab; dbPath: string } {
  const dbPath = join(dir.path, 'lab.db')
  const opened = openLab({ mode: 'cli', dbPath, batchWallMs: 50 })
  cleanups.push(dir.remove, () => opened.close())
  return { lab: opened, dbPath }
}

/** Every (point, replication) of the sweep and how many runs it has in the store. */
function placesInStore(dbPath: string, sweepId: string): Map<string, number> {
  const store = Store.open(dbPath)
  try {
    const counts = new Map<string, number>()
    for (const r of store.sweeps.runs(sweepId)) counts.set(`${r.point}:${r.replication}`, (counts.get(`${r.point}:${r.replication}`) ?? 0) + 1)
    return counts
  } finally {
    store.close()
  }
}

describe('sweeps on this machine', () => {
  it('runs every point and replication once, as ordinary runs, with the same seeds at every point', async () => {
    const { lab: l } = lab()
    const text = sweepExperimentYaml({ durationS: 2, clients: [1, 4, 16], replications: 3 })
    const started = await l.services.handlers['sweeps:start']({ text })
    expect(started).toMatchObject({ status: 'running', points: 3, replications: 3, runs_total: 9, mode: 'local' })
    const ended = await l.sweeps.wait(started.id)
    expect(ended).toMatchObject({ status: 'done', runs_done: 9, runs_failed: 0 })

    const detail = sweepDetailSchema.parse(await l.services.handlers['sweeps:get']({ sweep_id: started.id }))
    expect(detail.seeds).toEqual(replicationSeeds(7, 3))
    expect(detail.common_random_numbers).toBe(true)
    expect(detail.vms).toEqual(['db1'])
    expect(detail.points.map((p) => p.label)).toEqual(['clients=1', 'clients=4', 'clients=16'])
    for (const p of detail.points) {
      expect(p.runs.map((r) => [r.replication, r.seed, r.status])).toEqual(detail.seeds.map((s, i) => [i + 1, s, 'done']))
    }

    // Statistics are those of the stored results, replication by replication.
    const point = detail.points[1]!
    const throughputs = point.runs.map((r) => l.store.getRunDetail(r.run_id)!.result!.vms.db1!.throughput_ops_s)
    expect(point.stats.throughput_ops_s).toEqual(meanWithInterval(throughputs))
    expect(point.stats.throughput_ops_s!.ci95).not.toBeNull()
    // More clients on four disk servers: more throughput (the model's queueing, not a preset).
    const means = detail.points.map((p) => p.stats.throughput_ops_s!.mean!)
    expect(means[1]).toBeGreaterThan(means[0]!)

    // A point's run is an ordinary run: its own document, its seed, reproducible.
    const run = l.store.getRunDetail(point.runs[2]!.run_id)!
    expect(run.run.experiment_name).toBe('clients sweep [clients=4]')
    const doc = parseExperimentText(run.experiment_text)
    expect(doc.ok && doc.experiment.sweep).toBeUndefined()
    expect(doc.ok && doc.experiment.vms[0]!.workload).toMatchObject({ arrival: { clients: 4 } })
    const verify = await l.services.handlers['runs:verify']({ run_id: run.run.id })
    expect(verify.identical).toBe(true)
    expect(l.store.countSamples(run.run.id)).toBeGreaterThan(0)

    expect((await l.services.handlers['sweeps:list']({})).map((s) => s.id)).toContain(started.id)
  })

  it('cancels a sweep and resumes it: what finished stays, the rest runs, every place once', async () => {
    const { lab: l, dbPath } = lab()
    const text = sweepExperimentYaml({ durationS: 30, clients: [1, 2, 3, 4], replications: 1, name: 'long sweep' })
    const started = await l.sweeps.start(text)
    // Wait for the first run to be under way (a state, not a time).
    await new Promise<void>((resolve) => {
      const stop = l.runner.subscribe((e) => {
        if (e.type === 'progress' && e.progress > 0) {
          stop()
          resolve()
        }
      })
    })
    const cancelled = await l.services.handlers['sweeps:cancel']({ sweep_id: started.id })
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.runs_done).toBeLessThan(4)
    const detail = l.sweeps.detail(started.id)
    expect(detail.points.flatMap((p) => p.runs).some((r) => r.status === 'cancelled')).toBe(true)
    await expect(l.services.handlers['sweeps:cancel']({ sweep_id: started.id })).rejects.toThrow(/is cancelled, so there is nothing to cancel/)

    const resumed = await l.services.handlers['sweeps:resume']({ sweep_id: started.id })
    expect(resumed.status).toBe('running')
    await expect(l.services.handlers['sweeps:resume']({ sweep_id: started.id })).rejects.toThrow(/is running/)
    const ended = await l.sweeps.wait(started.id)
    expect(ended).toMatchObject({ status: 'done', runs_done: 4, runs_failed: 0 })
    await l.close()
    const places = placesInStore(dbPath, started.id)
    expect([...places.keys()].sort()).toEqual(['1:1', '2:1', '3:1', '4:1'])
    expect([...places.values()]).toEqual([1, 1, 1, 1])
  })

  it('marks a sweep interrupted when the lab closes mid-way, and resumes it in the next', async () => {
    const dir = tempDir()
    const first = lab(dir)
    const started = await first.lab.sweeps.start(sweepExperimentYaml({ durationS: 30, clients: [1, 2], replications: 1, name: 'closed mid-way' }))
    await first.lab.close()
    const second = lab(dir).lab
    const sweep = second.store.sweeps.get(started.id)
    expect(sweep?.status).toBe('interrupted')
    expect(sweep?.error).toMatch(/closed while this sweep was in progress/)
    const resumed = await second.sweeps.resume(started.id)
    expect(resumed.status).toBe('running')
    expect((await second.sweeps.wait(started.id))?.status).toBe('done')
    expect(second.sweeps.detail(started.id).points.every((p) => p.runs.length === 1 && p.runs[0]!.status === 'done')).toBe(true)
  })

  it('refuses a sweep as a single run, a plain experiment as a sweep, and a VM the sweep does not have', async () => {
    const { lab: l } = lab()
    const text = sweepExperimentYaml()
    await expect(l.services.handlers['runs:start']({ text })).rejects.toThrow(/"clients sweep" is a sweep of 3 points × 2 replications: start it as a sweep/)
    const plain = text.slice(0, text.indexOf('sweep:'))
    const reply = await dispatch(l.services.handlers, 'sweeps:start', { text: plain })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/has no sweep block, so it is one run/) } })
    const invalid = await dispatch(l.services.handlers, 'sweeps:start', { text: text.replace('values: [1, 4, 16]', 'values: [1, 0]') })
    expect(invalid).toMatchObject({
      ok: false,
      error: { code: 'invalid-experiment', issues: [{ path: 'vms[0] (db1).workload.arrival.clients', message: expect.stringMatching(/^when vms\[db1\]\.workload\.arrival\.clients = 0: must be at least 1/) }] }
    })
    const v = await l.services.handlers['experiments:validate']({ text })
    expect(v.sweep).toEqual({ points: 3, replications: 2, runs: 6, parameters: ['vms[db1].workload.arrival.clients'] })
    const started = await l.sweeps.start(sweepExperimentYaml({ durationS: 2, clients: [2], replications: 2 }))
    await l.sweeps.wait(started.id)
    const wrongVm = await dispatch(l.services.handlers, 'sweeps:get', { sweep_id: started.id, vm: 'vm9' })
    expect(wrongVm).toMatchObject({ ok: false, error: { code: 'invalid-request', message: 'VM "vm9" is not in this sweep (VMs: db1)' } })
    const missing = await dispatch(l.services.handlers, 'sweeps:get', { sweep_id: 'nope' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', message: 'sweep "nope" does not exist' } })
  })
})
