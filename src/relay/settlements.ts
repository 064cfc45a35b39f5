/**
 * Wakes long-polls: `GET /v1/queries/:id?wait=N` waits here until the query settles (or N seconds pass).
 * In-process, like smee.io's local event bus; a multi-instance deployment would put a shared bus behind the
 * same two methods.
 */
export class Settlements {
  private readonly waiting = new Map<string, Set<() => void>>();
  private closed = false;

  /** Resolves when `notify(id)` is called, after `ms`, when `signal` aborts, or at `releaseAll()`. */
  wait(id: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
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
  }

  notify(id: string): void {
    for (const done of [...(this.waiting.get(id) ?? [])]) done();
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
