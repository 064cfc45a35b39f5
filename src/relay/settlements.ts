/**
 * Wakes long-polls: `GET /v1/queries/:id?wait=N` waits here until the query settles (or N seconds pass).
 * `notify` comes from the store's settlement feed, which on PostgreSQL carries what every instance settles
 * (LISTEN/NOTIFY; plugins/results.ts wires it), so a callback on one instance wakes a long-poll held by another.
 *
 * A notification is a hint: the woken request reads the query again. When a waiter registers, the query is
 * checked once more (`settledAmong`), so a settlement that landed between the request's first read and its
 * wait is not missed.
 */
export class Settlements {
  private readonly waiting = new Map<string, Set<() => void>>();
  private closed = false;

  /** `settledAmong`: which of these queries no longer wait for a result (the store's re-read). */
  constructor(private readonly settledAmong?: (queryIds: string[]) => Promise<string[]>) {}

  /** Resolves when `notify(id)` is called, after `ms`, when `signal` aborts, or at `releaseAll()`. */
  wait(id: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    const waited = new Promise<void>((resolve) => {
      const waiters = this.waiting.get(id) ?? new Set<() => void>();
      this.waiting.set(id, waiters);
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        waiters.delete(done);
        if (waiters.size === 0 && this.waiting.get(id) === waiters) this.waiting.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
      waiters.add(done);
    });
    void this.recheck([id]);
    return waited;
  }

  notify(id: string): void {
    for (const done of [...(this.waiting.get(id) ?? [])]) done();
  }

  /** Reads again every query waited for and wakes those that settled: after a hint may have been lost. */
  async recheckAll(): Promise<void> {
    await this.recheck([...this.waiting.keys()]);
  }

  private async recheck(ids: string[]): Promise<void> {
    if (this.settledAmong === undefined || ids.length === 0) return;
    try {
      for (const id of await this.settledAmong(ids)) this.notify(id);
    } catch {
      // A failed re-read only costs latency: the waiter still wakes on a notification or its timeout.
    }
  }

  /** Releases every waiter now and any later one at once: the relay is closing. */
  close(): void {
    this.closed = true;
    for (const id of [...this.waiting.keys()]) this.notify(id);
  }

  get size(): number {
    let count = 0;
    for (const waiters of this.waiting.values()) count += waiters.size;
    return count;
  }
}
