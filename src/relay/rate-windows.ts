/**
 * Fixed-window request counters for the relay's rate limits, in this process's memory: what the SQLite store
 * (one process) keeps them in. Time is passed in, read from the relay's own clock (so tests that freeze the
 * clock get exact windows); `rate-limit-store.ts` makes any store's counters `@fastify/rate-limit`'s store.
 *
 * Keys are what the limits count by: an owner hash or a client IP, each prefixed with its limit's name.
 * Never an API key. Memory: windows that have ended are pruned whenever the map has grown past a threshold,
 * so it holds at most the keys seen within the longest window (one minute), not every key ever seen.
 */
import type { WindowCount } from "./store/types";

export type { WindowCount } from "./store/types";

const FIRST_PRUNE_AT = 10_000;

export class RateWindows {
  private readonly windows = new Map<string, { count: number; endsAtMs: number }>();
  private pruneAt = FIRST_PRUNE_AT;

  /** Counts one request for `key`; a window starts at the first request after the previous one ended. */
  hit(key: string, windowMs: number, now: number): WindowCount {
    const window = this.windows.get(key);
    if (window === undefined || window.endsAtMs <= now) {
      if (window === undefined && this.windows.size >= this.pruneAt) this.prune(now);
      this.windows.set(key, { count: 1, endsAtMs: now + windowMs });
      return { current: 1, ttl: windowMs };
    }
    window.count += 1;
    return { current: window.count, ttl: window.endsAtMs - now };
  }

  /** The count for `key` without counting anything. */
  peek(key: string, now: number): WindowCount {
    const window = this.windows.get(key);
    return window === undefined || window.endsAtMs <= now
      ? { current: 0, ttl: 0 }
      : { current: window.count, ttl: window.endsAtMs - now };
  }

  /** The keys being counted (tests check that no API key is among them). */
  keys(): string[] {
    return [...this.windows.keys()];
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAtMs <= now) this.windows.delete(key);
    // All still live: wait until the map doubles before scanning again, so a flood costs O(1) per request.
    this.pruneAt = Math.max(FIRST_PRUNE_AT, this.windows.size * 2);
  }
}
