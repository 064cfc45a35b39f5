/**
 * `@fastify/rate-limit`'s stores. The per-key limits count in the relay's store, where the relay's data lives:
 * with PostgreSQL every instance counts against the same windows (several instances together stay under
 * Infobip's 60 per second per key), with SQLite (one process) in that process's memory. Each count is one
 * atomic step in the store, read against the relay's clock (tests freeze it for exact windows).
 *
 * The not-found limit (per client IP, against scanning) counts in each process's memory instead: a flood of
 * stray requests must not turn into a flood of database writes.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from "@fastify/rate-limit";
import type { RateWindows } from "./rate-windows";
import type { RelayStore, WindowCount } from "./store/types";

type Callback = (error: Error | null, result?: WindowCount) => void;

/** A store over counters in this process's memory. */
export function memoryRateLimitStore(windows: RateWindows, nowMs: () => number): FastifyRateLimitStoreCtor {
  class MemoryRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      callback(null, windows.hit(key, timeWindow, nowMs()));
    }

    read(key: string, callback: Callback): void {
      callback(null, windows.peek(key, nowMs()));
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return MemoryRateLimitStore;
}

/** `@fastify/rate-limit` constructs its store itself: a class over the one relay store. */
export function relayRateLimitStore(store: RelayStore, nowMs: () => number): FastifyRateLimitStoreCtor {
  class RelayRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      store.countRequest(key, timeWindow, nowMs()).then(
        (count) => callback(null, count),
        (error: Error) => callback(error)
      );
    }

    read(key: string, callback: Callback): void {
      store.peekRequests(key, nowMs()).then(
        (count) => callback(null, count),
        (error: Error) => callback(error)
      );
    }

    /** Every limit shares the one table; their keys carry the limit's name, so budgets stay apart. */
    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return RelayRateLimitStore;
}
