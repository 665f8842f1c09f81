/**
 * Files opened by the system wait here until the page can take them: a file
 * double-clicked before the app started arrives before the window has
 * loaded, and one arriving while the page reloads must not be lost. The page
 * counts as ready once it has made its first call, which it makes only after
 * it listens for events.
 */
export class PageInbox<T> {
  private pending: T[] = []
  private ready = false

  constructor(private readonly deliver: (item: T) => void) {}

  push(item: T): void {
    if (this.ready) this.deliver(item)
    else this.pending.push(item)
  }

  /** The page has called in: it listens now. Hands it everything that waited, in order. */
  pageReady(): void {
    if (this.ready) return
    this.ready = true
    const waiting = this.pending
    this.pending = []
    for (const item of waiting) this.deliver(item)
  }

  /** The page is (re)loading: hold items until it calls in again. */
  pageGone(): void {
    this.ready = false
  }

  get waiting(): number {
    return this.pending.length
  }
}
