/**
 * Building without writing YAML: from an empty canvas, a two-host Hyper-V
 * R2 cluster on a CSV on an FC LUN, two VMs with synthetic NICs and disks on
 * it, and a third host on an iSCSI LUN; a disk connected by dragging between
 * handles; run it and read the results; undo and redo back to the same
 * experiment; an invalid edit explained at its field; save, reload, reopen
 * from the library: the same experiment. Screenshots of the builder are
 * attached.
 */
import { expect, test } from '@playwright/test'
import { BuildPage } from './pages/BuildPage'
import { LabPage } from './pages/LabPage'
import { RunPage } from './pages/RunPage'
import { attachShot } from './shots'

test('build a Hyper-V cluster on a CSV plus an iSCSI host on the canvas, run it, undo, save and reopen it', async ({ page }, testInfo) => {
  test.setTimeout(240_000)
  const lab = new LabPage(page)
  const build = new BuildPage(page)
  await lab.open()
  await build.open()

  let empty = ''
  await test.step('start from an empty experiment', async () => {
    await build.button('New experiment').click()
    await expect(build.canvas).toHaveAttribute('data-nodes', '0')
    empty = await build.digest()
    await expect(build.validation).toHaveAttribute('data-state', 'invalid')
    await expect(build.runButton).toBeDisabled()
    await expect(build.runDisabledReason).toContainText('hosts')
  })

  await test.step('two Hyper-V R2 hosts with an FC HBA each', async () => {
    await build.press('Add host')
    await expect(build.node('host:h1')).toBeVisible()
    await build.choose('hosts-0-hypervisor', 'hyperv-2008r2')
    await expect(build.field('hosts-0-hypervisor').getByTestId('property-choice')).toContainText('Source:')
    await build.press('Add HBA')
    await build.select('host:h1')
    await build.press('Add host') // like the selected host: same hypervisor and adapters
    await expect(build.treeItem('hba:h2/fc0')).toBeVisible()
  })

  await test.step('an FC array whose LUN both hosts reach, and a CSV on it', async () => {
    await build.press('Add SAN array')
    await build.select('array:fc-array1')
    for (const host of ['h1', 'h2']) await build.choose(build.properties.getByTestId('add-path'), `${host} through HBA fc0`)
    await expect(build.properties.getByTestId('array-path')).toHaveCount(2)
    await build.select('lun:fc-array1/lun1')
    await build.press('Add volume')
    await expect(build.node('volume:ds1')).toContainText('CSV')
    await expect(build.node('volume:ds1')).toContainText('coordinator h1')
  })

  await test.step('a VM on each node with its synthetic disk on the CSV', async () => {
    for (const [host, vm, workload] of [
      ['h1', 'vm1', 'oltp'],
      ['h2', 'vm2', 'web']
    ] as const) {
      await build.select(`host:${host}`)
      await build.press('Add VM')
      await build.choose(build.properties.locator('[aria-label="Add a disk on"]'), 'virtual disk on ds1')
      await build.select(`vm:${vm}`)
      await build.choose(build.properties.getByTestId('select-workload'), new RegExp(`^${workload} —`))
      await expect(build.properties.getByTestId('workload-explanation')).not.toBeEmpty()
    }
    await build.select('vm:vm1')
    await expect(build.field('vms-0-nics-0-model')).toContainText('hyperv-synthetic')
    await expect(build.field('vms-0-disks-0-model')).toContainText('hyperv-synthetic')
  })

  await test.step('a third host on an iSCSI LUN, through a NIC of its own', async () => {
    await build.select('host:h1')
    await build.press('Add host')
    await build.select('host:h3')
    await build.press('Add NIC')
    await build.press('Add SAN array')
    await build.select('array:fc-array2')
    await build.choose('arrays-1-protocol', 'iSCSI')
    await build.rename('arrays-1-id', 'iscsi-array')
    await build.select('array:iscsi-array')
    await build.choose(build.properties.getByTestId('add-path'), 'h3 through NIC n1')
    await build.select('lun:iscsi-array/lun1')
    await build.press('Add volume')
    await build.select('host:h3')
    await build.press('Add VM')
    await build.select('vm:vm3')
    await build.choose(build.properties.getByTestId('select-workload'), /^file-server —/)
    // The disk is connected on the canvas, by dragging from the VM to the volume.
    await build.button('Auto-layout').click()
    await expect(build.node('volume:ds2')).toBeVisible()
    await build.connect('vm:vm3', 'volume:ds2')
    await expect(build.treeItem('volume:ds2')).toBeVisible()
    await build.expectValid()
    await attachShot(page, testInfo, 'builder-cluster')
  })

  const built = await build.digest()

  await test.step('undo every step back to the empty experiment, then redo them all: the same experiment', async () => {
    let undos = 0
    let now = await build.digest()
    while (now !== empty) {
      await build.button('Undo').click()
      const before = now
      await expect.poll(() => build.digest()).not.toBe(before)
      now = await build.digest()
      undos++
      if (undos > 200) throw new Error('undo never gets back to the empty experiment')
    }
    await expect(build.canvas).toHaveAttribute('data-nodes', '0')
    for (let i = 0; i < undos; i++) {
      const before = await build.digest()
      await build.button('Redo').click()
      await expect.poll(() => build.digest()).not.toBe(before)
    }
    await expect(build.button('Redo')).toBeDisabled()
    await expect.poll(() => build.digest()).toBe(built)
    await build.expectValid()
  })

  await test.step('an invalid edit is explained at its field, and Run says why it is disabled', async () => {
    await build.select('vm:vm1')
    await build.setNumber('vms-0-vcpus', 99)
    await expect(build.field('vms-0-vcpus').getByTestId('field-problem')).toContainText('at most 64')
    await expect(build.runButton).toBeDisabled()
    await expect(build.runDisabledReason).toContainText('vms[0] (vm1).vcpus')
    await attachShot(page, testInfo, 'builder-invalid-field')
    await build.button('Undo').click()
    await expect.poll(() => build.digest()).toBe(built)
    await build.expectValid()
  })

  let runId = ''
  await test.step('run it and read the results', async () => {
    const run = new RunPage(page)
    await build.runButton.click()
    await expect(run.root).toBeVisible()
    runId = await run.runId()
    await run.waitForEnd('done', 120_000)
    await expect(run.summaryRows).toHaveCount(3)
    for (const vm of ['vm1', 'vm2', 'vm3']) {
      const row = run.summaryRows.filter({ hasText: vm })
      await expect(row.locator('[data-col="throughput"]')).toHaveText(/^\d[\d,]*\.\d$/)
    }
    await attachShot(page, testInfo, 'builder-run-results')
    expect(runId).not.toBe('')
  })

  await test.step('save it, reload the page: the draft is back; reopen it from the library: the same experiment', async () => {
    await build.open()
    await build.button('Save').click()
    await expect(build.notice).toContainText('Saved')
    await expect(page).toHaveURL(/#\/build\/[0-9a-f-]{36}$/)
    const saved = new URL(page.url()).hash.split('/').pop()!
    await expect(build.autosave).toHaveAttribute('data-state', 'saved')
    await page.reload()
    await expect(lab.linkState).toHaveClass(/is-open/)
    await expect.poll(() => build.digest()).toBe(built)

    await build.button('New experiment').click()
    await expect(build.canvas).toHaveAttribute('data-nodes', '0')
    await build.button('Open').click()
    await page.getByText('From the library…').click()
    await page.locator(`[data-testid="library-item"][data-id="${saved}"]`).click()
    await expect.poll(() => build.digest()).toBe(built)
    await expect(page).toHaveURL(new RegExp(`#/build/${saved}$`))
    await build.expectValid()
    await attachShot(page, testInfo, 'builder-reopened')
  })

  expect(lab.appProblems(), 'the page logged no errors').toEqual([])
})

test('a misspelled key in the text is named with the key it was meant to be, together with a reference problem', async ({ page }) => {
  const lab = new LabPage(page)
  const build = new BuildPage(page)
  await lab.open()
  await build.open()
  await build.setText(
    [
      'format: hyperlab/experiment@1',
      'name: typo',
      'duration_s: 10',
      'hosts:',
      '  - { id: h1, cpu: nehalem-x5570, hypervisor: esx-4.0, disks: [{ id: d0, model: hdd-7200 }] }',
      'volumes:',
      '  - { id: local1, kind: vmfs, on: h1/d0 }',
      'vms:',
      '  - { id: db, host: h1, vcpu: 2, workload: oltp, disks: [{ model: pvscsi, on: local2 }] }',
      ''
    ].join('\n')
  )
  await expect(build.problems.filter({ hasText: 'vms[0] (db).vcpu' })).toContainText('did you mean "vcpus"?')
  await expect(build.problems.filter({ hasText: 'vms[0] (db).disks[0].on' })).toContainText('did you mean "local1"?')
  // The problem is underlined in the text view, at its line.
  await expect(build.textView.locator('.cm-lintRange-error').first()).toBeVisible()
  expect(lab.appProblems()).toEqual([])
})
