/**
 * Infobip's documented throttle for `POST /billing/1/usage/query`: 60 requests per second
 * (`x-throttling-info` 60/0/s). Infobip does not say whether it counts per key, account or IP; the
 * emulator counts per API key, over a sliding window (the last `windowMs` of real time, not the
 * emulated clock), and every request of a known key counts, whatever its answer.
 */

export interface ThrottleSettings {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowMs: number;
}

export const INFOBIP_THROTTLE: ThrottleSettings = { limit: 60, windowMs: 1000 };

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class SlidingWindowThrottle {
  private readonly history = new Map<string, number[]>();

  constructor(
    private readonly settings: ThrottleSettings = INFOBIP_THROTTLE,
    private readonly now: () => number = () => performance.now()
  ) {}

  /** Counts one request for `key` if the window has room; otherwise says how long until it has. */
  tryAcquire(key: string): ThrottleDecision {
    const now = this.now();
    const since = now - this.settings.windowMs;
    const recent = (this.history.get(key) ?? []).filter((at) => at > since);
    if (recent.length >= this.settings.limit) {
      this.history.set(key, recent);
      const oldest = recent[0] ?? now;
      return { allowed: false, retryAfterMs: Math.max(1, oldest + this.settings.windowMs - now) };
    }
    recent.push(now);
    this.history.set(key, recent);
    return { allowed: true };
  }
}
