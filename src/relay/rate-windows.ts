/**
 * Fixed-window request counters for the relay's rate limits, read against the relay's own clock (so tests
 * that freeze the clock get exact windows), and the adapter that makes them `@fastify/rate-limit`'s store.
 *
 * Keys are what the limits count by: an owner hash or a client IP, each prefixed with its limit's name.
 * Never an API key. Memory: windows that have ended are pruned whenever the map has grown past a threshold,
 * so it holds at most the keys seen within the longest window (one minute), not every key ever seen.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from "@fastify/rate-limit";

export interface WindowCount {
  /** Requests counted in the current window, this one included. */
  current: number;
  /** Milliseconds until the window ends. */
  ttl: number;
}

const FIRST_PRUNE_AT = 10_000;

export class RateWindows {
  private readonly windows = new Map<string, { count: number; endsAtMs: number }>();
  private pruneAt = FIRST_PRUNE_AT;

  constructor(private readonly nowMs: () => number) {}

  /** Counts one request for `key`; a window starts at the first request after the previous one ended. */
  hit(key: string, windowMs: number): WindowCount {
    const now = this.nowMs();
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
  peek(key: string): WindowCount {
    const now = this.nowMs();
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

/** `@fastify/rate-limit` constructs its store itself: a class over one shared {@link RateWindows}. */
export function rateWindowsStore(windows: RateWindows): FastifyRateLimitStoreCtor {
  class RateWindowsStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: WindowCount) => void, timeWindow: number): void {
      callback(null, windows.hit(key, timeWindow));
    }

    read(key: string, callback: (error: Error | null, result?: WindowCount) => void): void {
      callback(null, windows.peek(key));
    }

    /** Every limit shares the one map; their keys carry the limit's name, so budgets stay apart. */
    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return RateWindowsStore;
}
