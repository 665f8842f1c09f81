/**
 * The lab notebook: keep an experiment from Build, tag it and find it in
 * the library by that tag; import a variant on another hypervisor (by the
 * picker; again by a drop, which is named as already there), export it as
 * JSON, and run both from the library; rename (a new version) and read the history's
 * diff; duplicate, delete and undo, delete and restore from "Recently
 * deleted"; compare the two runs and read the deltas and what changed
 * (`hosts[h1].hypervisor: esx-3.5 → esx-4.0`, common random numbers);
 * open a run in the editor and come back to its results. With
 * HYPERLAB_DOC_SHOTS=1, screenshots of the library and the comparison are
 * written to docs/ for the README.
 */
import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { BuildPage } from './pages/BuildPage'
import { ComparePage } from './pages/ComparePage'
import { LabPage } from './pages/LabPage'
import { LibraryPage } from './pages/LibraryPage'
import { RunPage } from './pages/RunPage'
import { RunsPage } from './pages/RunsPage'
import { DOC_SHOTS, docShot } from './shots'

/**
 * A unique word, so the spec finds its own experiments whatever else the lab holds; none when the
 * README's screenshots are taken (in a run of this spec alone), so they show plain names.
 */
const STAMP = DOC_SHOTS ? '' : ` nb${Date.now().toString(36)}`

function experiment(name: string, hypervisor: string): string {
  return `format: hyperlab/experiment@1
name: ${name}
seed: 42
duration_s: 12
warmup_s: 2
sample_ms: 500
baseline: native

hosts:
  - id: h1
    cpu: nehalem-x5570
    sockets: 1
    memory_gb: 8
    hypervisor: ${hypervisor}
    disks: [{ id: d0, model: hdd-7200 }]

volumes:
  - { id: local1, kind: vmfs, on: h1/d0 }

vms:
  - id: build1
    host: h1
    vcpus: 1
    memory_gb: 2
    disks: [{ model: lsilogic, on: local1, gb: 20, format: thick }]
    workload: kernel-compile
`
}

const OLD = `Kernel build on ESX 3.5${STAMP}`
const NEW = `Kernel build on ESX 4.0${STAMP}`
// On a Nehalem, ESX 4.0 runs the guest with VT-x and EPT where ESX 3.5 translates binaries and shadows page tables.
const TAG = DOC_SHOTS ? 'esx-upgrade' : `tag${STAMP.trim()}`


test('keep, find, version, delete and compare experiments in the library', async ({ page }) => {
  test.setTimeout(240_000)
  const lab = new LabPage(page)
  const build = new BuildPage(page)
  const library = new LibraryPage(page)
  const run = new RunPage(page)
  const compare = new ComparePage(page)
  await lab.open()

  let oldId = ''
  await test.step('keep an experiment from Build: Save puts it in the library', async () => {
    await build.open()
    await build.root.getByTestId('builder-file-input').setInputFiles({ name: 'esx35.yaml', mimeType: 'application/yaml', buffer: Buffer.from(experiment(OLD, 'esx-3.5')) })
    await expect(build.root.getByTestId('builder-name')).toHaveText(OLD)
    await build.button('Save').click()
    await expect(build.notice).toContainText(`Saved “${OLD}” in the library`)
    await build.root.getByRole('link', { name: 'Show in the library' }).click()
    await expect(library.detail.getByRole('textbox', { name: 'Name' })).toHaveValue(OLD)
    oldId = (await library.detail.getAttribute('data-id')) ?? ''
    expect(page.url()).toContain(`#/library/${oldId}`)
  })

  await test.step('tag it, then find it by that tag', async () => {
    await library.addTag(TAG)
    await expect(library.notice).toContainText('Saved the tags of')
    await expect(library.row(OLD)).toContainText(TAG)
    await library.detail.getByRole('textbox', { name: 'Notes' }).fill('Before the upgrade: binary translation and shadow page tables.')
    await library.detail.getByRole('button', { name: 'Save notes' }).click()
    await expect(library.notice).toContainText(`Saved the notes of “${OLD}”`)
    await expect(library.detail.getByRole('button', { name: 'Save notes' })).toBeDisabled()
    await library.importFiles([{ name: 'esx40.yaml', text: experiment(NEW, 'esx-4.0') }])
    await expect(library.notice).toContainText(`Imported “${NEW}” from esx40.yaml`)
    await expect(library.row(NEW)).toBeVisible()
    await library.filter('Filter by tag', new RegExp(`^${TAG} \\(1\\)$`))
    await expect(library.rows).toHaveCount(1)
    await expect(library.row(OLD)).toBeVisible()
    await expect(library.count).toHaveText('1 experiment match')
    await library.root.getByRole('button', { name: 'Clear the filters' }).first().click()
    await expect(library.row(NEW)).toBeVisible()
    await library.root.getByRole('textbox', { name: 'Search the library' }).fill(`Kernel build${STAMP}`)
    await expect(library.rows).toHaveCount(2)
    await library.root.getByRole('button', { name: 'Hypervisors', exact: true }).click()
    await expect(library.rows.first()).toContainText('esx-3.5')
    await expect(library.root.getByRole('columnheader', { name: 'Hypervisors', exact: true })).toHaveAttribute('aria-sort', 'ascending')
    await library.root.getByRole('button', { name: 'Hypervisors', exact: true }).click()
    await expect(library.rows.first()).toContainText('esx-4.0')
    await library.root.getByRole('button', { name: 'Activity', exact: true }).click()
    await library.root.getByRole('textbox', { name: 'Search the library' }).fill(NEW)
    await expect(library.rows).toHaveCount(1)
    await expect(library.row(NEW)).toBeVisible()
    await library.root.getByRole('button', { name: 'Clear the filters' }).first().click()
  })

  await test.step('export as JSON; a file dropped on the library that it already holds is named, not added again', async () => {
    await library.select(NEW)
    // A browser without a save dialog downloads the file.
    await page.evaluate(() => {
      ;(globalThis as { showSaveFilePicker?: unknown }).showSaveFilePicker = undefined
    })
    await library.detail.getByRole('button', { name: 'Export', exact: true }).click()
    const download = page.waitForEvent('download')
    await page.getByText('As JSON', { exact: true }).click()
    const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { name: string; hosts: { hypervisor: string }[] }
    expect(exported.name).toBe(NEW)
    expect(exported.hosts[0]!.hypervisor).toBe('esx-4.0')

    // Runs in the page (DOM types are not in this project's Node config, hence the loose typing).
    const transfer = await page.evaluateHandle((text) => {
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } }
        File: new (parts: string[], name: string, options: { type: string }) => unknown
      }
      const data = new dom.DataTransfer()
      data.items.add(new dom.File([text], 'again.yaml', { type: 'application/yaml' }))
      return data
    }, experiment(NEW, 'esx-4.0'))
    await library.root.dispatchEvent('dragover', { dataTransfer: transfer })
    await library.root.dispatchEvent('drop', { dataTransfer: transfer })
    await expect(library.notice).toContainText(`again.yaml is already in the library as “${NEW}”`)
    await expect(library.row(NEW)).toHaveCount(1)
  })

  await test.step('an import that is not an experiment is refused, naming the field', async () => {
    await library.importFiles([{ name: 'broken.yaml', text: experiment(`Broken${STAMP}`, 'esx-3.5').replace('vcpus: 1', 'vcpus: many') }])
    await expect(library.notice).toContainText('broken.yaml was not imported')
    await expect(library.notice).toContainText('vcpus')
    await expect(library.row(`Broken${STAMP}`)).toHaveCount(0)
  })

  const runIds: string[] = []
  await test.step('run both from the library; each run is listed with its experiment', async () => {
    for (const name of [OLD, NEW]) {
      await library.open()
      await library.select(name)
      await library.detail.getByRole('button', { name: 'Run', exact: true }).click()
      await expect(run.root).toBeVisible()
      const id = await run.runId()
      await run.waitForEnd('done', 120_000)
      runIds.push(id)
      await library.open()
      await library.select(name)
      await expect(library.runs).toHaveCount(1)
      await expect(library.runs.first()).toHaveAttribute('data-run-id', id)
    }
  })

  await test.step('rename: a new version, and the history shows what changed in the file', async () => {
    await library.select(OLD)
    const renamed = `${OLD} (baseline)`
    await library.rename(renamed)
    await expect(library.row(renamed)).toBeVisible()
    await expect(library.history.getByTestId('version-row')).toHaveCount(2)
    await expect(library.diff).toHaveAttribute('data-from', '1')
    await expect(library.diff).toHaveAttribute('data-to', '2')
    await expect(library.diff.getByTestId('diff-stat')).toContainText('1 line added, 1 removed')
    await expect(library.diff.getByTestId('diff-line').filter({ hasText: /^-name: / })).toHaveText(`-name: ${OLD}`)
    await expect(library.diff.getByTestId('diff-line').filter({ hasText: /^\+name: / })).toHaveText(`+name: ${renamed}`)
    await library.rename(OLD)
    await expect(library.history.getByTestId('version-row')).toHaveCount(2) // back to version 1's text: no third version
  })

  await test.step('duplicate, delete (confirmed) and undo; delete and restore from Recently deleted', async () => {
    await library.select(NEW)
    await library.button('Duplicate').click()
    const copy = `${NEW} (copy)`
    await expect(library.detail.getByRole('textbox', { name: 'Name' })).toHaveValue(copy)
    await library.deleteOpened()
    await expect(library.notice).toContainText(`Deleted “${copy}”`)
    await expect(library.row(copy)).toHaveCount(0)
    await expect(library.deleted.filter({ hasText: copy })).toHaveCount(1)
    await library.root.getByRole('button', { name: 'Undo the delete' }).click()
    await expect(library.notice).toContainText(`Restored “${copy}”`)
    await expect(library.row(copy)).toBeVisible()
    await expect(library.deleted.filter({ hasText: copy })).toHaveCount(0)

    await library.deleteOpened()
    await expect(library.row(copy)).toHaveCount(0)
    await library.root.getByRole('button', { name: `Restore ${copy}` }).click()
    await expect(library.row(copy)).toBeVisible()
    await library.deleteOpened() // gone for good when the lab closes
    await expect(library.row(copy)).toHaveCount(0)
  })

  await test.step('the library, for the README', async () => {
    await library.select(OLD)
    await expect(library.diff).toBeVisible()
    await docShot(page, 'library')
  })

  await test.step('compare the two runs: deltas, what changed, common random numbers', async () => {
    await compare.open()
    await compare.pick(runIds)
    await expect(compare.compared.first()).toHaveAttribute('data-arm', 'A')
    await expect(compare.compared.nth(1)).toHaveAttribute('data-arm', 'B')
    const b = compare.arm('B')
    await expect(b.getByTestId('change').filter({ hasText: 'hosts[h1].hypervisor' })).toHaveText('hosts[h1].hypervisor: esx-3.5 → esx-4.0')
    await expect(b.getByTestId('random-streams')).toHaveAttribute('data-shared', 'true')
    await expect(b.getByTestId('random-streams')).toContainText('common random numbers')
    const throughput = compare.delta(b, 'build1', 'throughput_ops_s')
    await expect(throughput.getByTestId('delta-abs')).toHaveText(/^[+−-]?\d[\d,]*\.\d$/)
    await expect(throughput.getByTestId('delta-rel')).toHaveText(/^[+−-]?\d[\d,]*\.\d %$/)
    await expect(throughput.getByTestId('delta-ci')).toHaveText('one run a side')
    await expect(throughput).toHaveAttribute('data-verdict', 'better')
    await expect(compare.delta(b, 'build1', 'cpu_hypervisor_pct')).toHaveAttribute('data-verdict', 'better')
    // The delta is the difference of the two values shown beside it.
    const cells = await throughput.locator('td').allInnerTexts()
    const [ref, value, delta] = cells.slice(2, 5).map((t) => Number(t.replace(/[,+ %]/g, '')))
    expect(Math.abs(value! - ref! - delta!)).toBeLessThanOrEqual(0.11)
    await expect(compare.charts.getByTestId('compare-chart-throughput')).toHaveAttribute('data-lines', '2')
    // Both runs recorded the CPU split per window: the hypervisor's share is a line per run, not "not recorded".
    await expect(compare.charts.getByRole('figure', { name: /^CPU, hypervisor's share/ })).toHaveAttribute('data-lines', '2')
    // So are the disk and network rates.
    await expect(compare.charts.getByRole('figure', { name: /^Disk MB\/s/ })).toHaveAttribute('data-lines', '2')
    await expect(compare.charts.getByRole('figure', { name: /^Network Gb\/s/ })).toHaveAttribute('data-lines', '2')
    await expect.poll(async () => Number(await compare.charts.getByTestId('compare-chart-throughput').getAttribute('data-points'))).toBeGreaterThan(10)
    await expect(compare.breakdowns.getByTestId('breakdown-bar')).toHaveCount(2)
    expect(decodeURIComponent(page.url())).toContain(`#/compare?runs=${runIds.join(',')}`)
    await docShot(page, 'compare')
  })

  await test.step('one run alone is compared with its native baseline', async () => {
    await page.goto(page.url().replace(/#\/.*$/, `#/compare?runs=${runIds[0]}`))
    await expect(compare.root.getByTestId('native-row')).toHaveCount(1)
    await expect(compare.root.getByTestId('native-row').locator('td').nth(3)).toHaveText(/^\d[\d,]*\.\d %$/)
  })

  await test.step('open a stored run in the editor and come back to its results', async () => {
    const runs = new RunsPage(page)
    await lab.goTo('runs')
    await runs.reopen(runIds[1]!)
    await runs.detail.getByTestId('load-into-editor').click()
    await expect(build.root.getByTestId('builder-name')).toHaveText(NEW)
    await build.root.getByRole('link', { name: /Back to the results of run/ }).click()
    await expect(runs.detail).toHaveAttribute('data-run-id', runIds[1]!)
  })

  expect(lab.appProblems()).toEqual([])
})
