/**
 * The Build view: palette, inventory, canvas, property panel, text view,
 * toolbar. Every action goes through what a user sees and clicks: buttons by
 * their accessible names, menus by their option text.
 */
import { expect, type Locator, type Page } from '@playwright/test'

export class BuildPage {
  readonly root: Locator
  readonly canvas: Locator
  readonly tree: Locator
  readonly properties: Locator
  readonly textView: Locator
  readonly validation: Locator
  readonly runButton: Locator
  readonly runDisabledReason: Locator
  readonly problems: Locator
  readonly fieldProblems: Locator
  readonly notice: Locator
  readonly autosave: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('view-build')
    this.canvas = this.root.getByTestId('topology-canvas')
    this.tree = this.root.getByTestId('inventory-tree')
    this.properties = this.root.getByTestId('property-panel')
    this.textView = this.root.getByTestId('text-view')
    this.validation = this.root.getByTestId('builder-validation')
    this.runButton = this.root.getByRole('button', { name: 'Run', exact: true })
    this.runDisabledReason = this.root.getByTestId('run-disabled-reason')
    this.problems = this.root.getByTestId('builder-problem')
    this.fieldProblems = this.properties.getByTestId('field-problem')
    this.notice = this.root.getByTestId('builder-notice')
    this.autosave = this.root.getByTestId('autosave')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-build').click()
    await expect(this.root).toBeVisible()
  }

  button(name: string): Locator {
    return this.root.getByRole('button', { name, exact: true })
  }

  /** Clicks a toolbar or palette button and waits for the edit to be reported. */
  async press(name: string): Promise<void> {
    const before = await this.digest()
    await this.button(name).click()
    await expect.poll(() => this.digest()).not.toBe(before)
  }

  /** Fingerprint of the experiment text (length:hash), the same wherever the same text is. */
  async digest(): Promise<string> {
    return (await this.textView.getAttribute('data-digest')) ?? ''
  }

  node(id: string): Locator {
    return this.canvas.locator(`[data-node-id="${id}"]`)
  }

  treeItem(id: string): Locator {
    return this.tree.locator(`[data-tree-id="${id}"]`)
  }

  async select(id: string): Promise<void> {
    await this.treeItem(id).click()
    await expect(this.treeItem(id)).toHaveAttribute('aria-selected', 'true')
    // The property panel follows the selection a frame later: act on it once it shows this element.
    await expect(this.properties).toHaveAttribute('data-selection', id)
  }

  /** A field of the property panel by its document path (`hosts-0-hypervisor`). */
  field(path: string): Locator {
    return this.properties.getByTestId(`property-${path}`)
  }

  /** Picks an option of a select in the property panel; `field` is its document path, or a locator of the select. */
  async choose(field: string | Locator, option: string | RegExp): Promise<void> {
    const before = await this.digest()
    const select = typeof field === 'string' ? this.field(field).locator('.n-base-selection') : field.locator('.n-base-selection')
    await select.click()
    await this.page.locator('.n-base-select-option').filter({ hasText: option }).first().click()
    await expect.poll(() => this.digest()).not.toBe(before)
  }

  /** Types a number into a field of the property panel. */
  async setNumber(field: string, value: number): Promise<void> {
    const input = this.field(field).locator('input')
    await input.fill(String(value))
    await input.blur()
  }

  /** Renames the selected element through its Name field (every reference follows). */
  async rename(field: string, to: string): Promise<void> {
    const before = await this.digest()
    const input = this.field(field).locator('input')
    await input.fill(to)
    await input.press('Enter')
    await expect.poll(() => this.digest()).not.toBe(before)
  }

  async expectValid(): Promise<void> {
    await expect(this.validation).toHaveAttribute('data-state', 'valid')
    await expect(this.runButton).toBeEnabled()
  }

  /** Replaces the whole text in the text view, as pasting would. */
  async setText(text: string): Promise<void> {
    const content = this.textView.locator('.cm-content')
    await content.click()
    await this.page.keyboard.press('Control+A')
    await this.page.keyboard.press('Delete')
    await content.fill(text)
    await expect.poll(() => this.digest()).toMatch(new RegExp(`^${text.length}:`))
  }

  /** Pastes text into the text view at the cursor (replacing the selection), as Ctrl+V would. */
  async paste(text: string): Promise<void> {
    const content = this.textView.locator('.cm-content')
    await content.click()
    await this.page.keyboard.press('Control+A')
    // Runs in the page (DOM types are not in this project's Node config, hence the loose typing).
    await content.evaluate((el, value) => {
      const page = globalThis as unknown as { DataTransfer: new () => { setData(type: string, v: string): void }; ClipboardEvent: new (type: string, init: object) => Event }
      const data = new page.DataTransfer()
      data.setData('text/plain', value)
      el.dispatchEvent(new page.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    }, text)
  }

  /**
   * Waits until the canvas holds still: its layout arrived, and no pan, zoom or fit under way.
   * A fit starts its animation on a later frame, so two frames pass before the check.
   */
  async still(): Promise<void> {
    await expect(this.canvas).toHaveAttribute('data-laying', 'false')
    await this.page.evaluate(() => {
      const { requestAnimationFrame: nextFrame } = globalThis as unknown as { requestAnimationFrame(then: () => void): number }
      return new Promise<void>((done) => nextFrame(() => nextFrame(() => done())))
    })
    await expect(this.canvas).not.toHaveClass(/\bis-moving\b/)
  }

  /** Drags from the bottom handle of one node to another node, as connecting on the canvas. */
  async connect(fromId: string, toId: string): Promise<void> {
    // While the view moves, cards and handles take no pointer events: a drag then would connect nothing.
    await this.still()
    const before = await this.digest()
    const handle = this.node(fromId).locator('.vue-flow__handle-bottom')
    const target = this.node(toId)
    // A card shows its handles under the pointer: point at the card, then at its handle.
    await this.node(fromId).hover()
    await handle.hover()
    await this.page.mouse.down()
    const box = await target.boundingBox()
    if (!box) throw new Error(`${toId} is not on screen`)
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 })
    const targetHandle = target.locator('.vue-flow__handle-top')
    await targetHandle.hover()
    await this.page.mouse.up()
    await expect.poll(() => this.digest()).not.toBe(before)
  }
}
