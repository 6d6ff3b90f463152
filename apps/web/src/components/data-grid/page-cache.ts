import type { Cell, ResultsPage } from '@access-monitor/contracts';

export type FetchPage = (offset: number, limit: number, signal: AbortSignal) => Promise<ResultsPage>;

/**
 * Rows of a large server-side result, fetched a page at a time as they scroll into view. At most `maxPages`
 * pages are kept (least recently used out first), so a million-row result scrolls with bounded memory.
 */
export class PageCache {
  private readonly pages = new Map<number, readonly (readonly Cell[])[]>();
  private readonly inFlight = new Map<number, AbortController>();
  private readonly listeners = new Set<() => void>();
  private failure: unknown;
  /** Bumped on every change, for `useSyncExternalStore`. */
  version = 0;

  constructor(
    private readonly fetchPage: FetchPage,
    readonly pageSize: number,
    readonly maxPages: number,
  ) {}

  /** The row at `index`, or undefined while its page is not loaded. */
  row(index: number): readonly Cell[] | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.pages.get(page);
    if (!rows) return undefined;
    // Touch: most recently used last, so eviction takes the first key.
    this.pages.delete(page);
    this.pages.set(page, rows);
    return rows[index - page * this.pageSize];
  }

  /** Loads the pages covering rows `from`..`to` (inclusive) that are neither loaded nor loading; drops loads no longer wanted. */
  ensure(from: number, to: number): void {
    if (to < from) return;
    const first = Math.floor(from / this.pageSize);
    const last = Math.floor(to / this.pageSize);
    for (const [page, controller] of this.inFlight) {
      if (page < first - 1 || page > last + 1) {
        controller.abort();
        this.inFlight.delete(page);
      }
    }
    for (let page = first; page <= last; page++) if (!this.pages.has(page) && !this.inFlight.has(page)) this.load(page);
  }

  /** The last page fetch that failed (cleared by the next success). */
  get error(): unknown {
    return this.failure;
  }

  get loadedPages(): number {
    return this.pages.size;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    this.listeners.clear();
  }

  private load(page: number): void {
    const controller = new AbortController();
    this.inFlight.set(page, controller);
    this.fetchPage(page * this.pageSize, this.pageSize, controller.signal).then(
      (result) => {
        if (this.inFlight.get(page) !== controller) return;
        this.inFlight.delete(page);
        this.pages.set(page, result.rows);
        while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value!);
        this.failure = undefined;
        this.changed();
      },
      (error: unknown) => {
        if (this.inFlight.get(page) !== controller) return;
        this.inFlight.delete(page);
        if (controller.signal.aborted) return;
        this.failure = error;
        this.changed();
      },
    );
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}
