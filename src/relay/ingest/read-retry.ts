/**
 * No result stuck in `pending`: when reading a stored callback body into rows fails (the store could not write the
 * rows, the disk filled meanwhile), the reading is tried again after a wait that grows fourfold (1 s, 4 s, 16 s,
 * 64 s, 256 s by default), in the same background task; after RELAY_RESULT_READ_ATTEMPTS tries the query is settled
 * `unreadable` with the reason, and the raw bytes stay stored (GET /v1/queries/{id}/raw). If even that settlement
 * cannot be written, it is tried again at the longest wait until it can, or until the relay stops (a restart
 * reads the body again from the first try, as it always has).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import type { RelayStore } from "../store";
import { describeStorageFailure } from "../store/storage-failure";

export interface ReadRetryOptions {
  /** Tries in all before the query is settled unreadable (RELAY_RESULT_READ_ATTEMPTS); default 6. */
  attempts?: number;
  /** The first wait; each next one is four times longer, at most {@link MAX_DELAY_MS}. Default 1 second. */
  firstDelayMs?: number;
}

const DEFAULT_ATTEMPTS = 6;
const DEFAULT_FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

export class ReadRetries {
  private readonly failures = new Map<string, number>();
  private readonly attempts: number;
  private readonly firstDelayMs: number;

  constructor(
    private readonly store: RelayStore,
    private readonly log: FastifyBaseLogger,
    private readonly clock: () => Date,
    private readonly ttlMs: number,
    private readonly stop: AbortSignal,
    options: ReadRetryOptions
  ) {
    this.attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    this.firstDelayMs = options.firstDelayMs ?? DEFAULT_FIRST_DELAY_MS;
  }

  succeeded(queryId: string): void {
    this.failures.delete(queryId);
  }

  /**
   * After a failed reading: true when it should be tried again now (after the wait); false when the query was
   * settled unreadable, or the relay is stopping.
   */
  async afterFailure(queryId: string, error: unknown): Promise<boolean> {
    const failed = (this.failures.get(queryId) ?? 0) + 1;
    this.failures.set(queryId, failed);
    const reason = describeStorageFailure(error);
    if (failed < this.attempts) {
      const delayMs = Math.min(this.firstDelayMs * 4 ** (failed - 1), MAX_DELAY_MS);
      this.log.warn(
        { queryId, err: error, attempt: failed, of: this.attempts, retryInMs: delayMs },
        "reading a stored result failed; trying again"
      );
      return this.wait(delayMs);
    }
    this.failures.delete(queryId);
    const failureMessage =
      `The result was received and stored, but reading it into rows failed ${failed} times (last: ${reason}). ` +
      "The bytes Infobip sent are kept: download them with GET /v1/queries/{id}/raw, or run the query again.";
    for (;;) {
      try {
        await this.store.completeQuery(
          queryId,
          { state: "unreadable", failureMessage },
          this.clock().getTime(),
          this.ttlMs
        );
        this.log.error({ queryId, err: error, attempts: failed }, "reading a stored result failed; settled unreadable");
        return false;
      } catch (settleError) {
        this.log.error({ queryId, err: settleError }, "settling an unreadable result failed; trying again");
        if (!(await this.wait(MAX_DELAY_MS))) return false;
      }
    }
  }

  /** False when the relay stops during the wait. */
  private async wait(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.stop, ref: false });
      return true;
    } catch {
      return false;
    }
  }
}
