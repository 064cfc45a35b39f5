/**
 * Runs {@link readResult} in the background after a callback body is stored (the sender already has its
 * 200), one task per query, and tells long-polls when a query settles. On close it stops the tasks at
 * their next slice; a stopped query stays `received` and is read again at the next start. A reading that fails
 * (the disk filled while rows were written) is tried again with backoff, and after a bounded number of tries the
 * query is settled `unreadable` with the reason, its raw bytes kept (read-retry.ts).
 *
 * It keeps the parse worker (parse-in-worker.ts), started with the relay, that reads plain bodies off the
 * event loop.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Settlements } from "../settlements";
import type { RelayStore } from "../store";
import { BLOCK_ROWS } from "../store/row-blocks";
import { ParseWorker } from "./parse-in-worker";
import { DEFAULT_WORKER_MAX_BYTES, readResult, type ReadResultOptions } from "./read-result";
import { ReadRetries, type ReadRetryOptions } from "./read-retry";

export interface ResultReaderOptions extends Omit<ReadResultOptions, "signal" | "parseWorker"> {
  /** False: every body is read streaming on the main thread (no worker thread). Default true. */
  parseInWorker?: boolean;
}

export class ResultReader {
  private readonly running = new Map<string, Promise<void>>();
  private readonly stop = new AbortController();
  private readonly retries: ReadRetries;
  private readonly parseWorker: ParseWorker | undefined;

  constructor(
    private readonly store: RelayStore,
    private readonly settlements: Settlements,
    private readonly log: FastifyBaseLogger,
    private readonly clock: () => Date,
    private readonly ttlMs: number,
    private readonly options: ResultReaderOptions = {},
    retryOptions: ReadRetryOptions = {}
  ) {
    this.retries = new ReadRetries(store, log, clock, ttlMs, this.stop.signal, retryOptions);
    if (options.parseInWorker !== false) {
      this.parseWorker = new ParseWorker({
        blockRows: BLOCK_ROWS,
        onFailure: (reason) => log.warn({ reason }, "the parse worker stopped; bodies are read streaming meanwhile"),
      });
      this.parseWorker.warm();
    }
  }

  /** Bodies up to this size are worth keeping in memory from their reception to their reading (see `schedule`). */
  get keepBodyUpToBytes(): number {
    return this.parseWorker === undefined ? 0 : (this.options.workerMaxBytes ?? DEFAULT_WORKER_MAX_BYTES);
  }

  /**
   * Starts reading the query's stored body unless that is already under way. `body`: the stored bytes, still in
   * memory from their reception, which spares reading them back from the store.
   */
  schedule(queryId: string, body?: readonly Buffer[]): void {
    if (this.running.has(queryId) || this.stop.signal.aborted) return;
    const task = this.run(queryId, body).finally(() => this.running.delete(queryId));
    this.running.set(queryId, task);
  }

  /** Resolves when every task scheduled so far has finished (tests and the benchmark use it). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  async close(): Promise<void> {
    this.stop.abort();
    await Promise.all([...this.running.values()]);
    await this.parseWorker?.close();
  }

  private async run(queryId: string, body: readonly Buffer[] | undefined): Promise<void> {
    const started = Date.now();
    try {
      const read = await readResult(this.store, queryId, {
        ...this.options,
        signal: this.stop.signal,
        ...(body === undefined ? {} : { body }),
        ...(this.parseWorker === undefined ? {} : { parseWorker: this.parseWorker }),
      });
      if (read.kind === "settled") {
        await this.store.completeQuery(queryId, read.outcome, this.clock().getTime(), this.ttlMs);
        this.log.info(
          { queryId, status: read.outcome.state, rows: read.rows, ms: Date.now() - started },
          read.outcome.state === "succeeded" ? "result stored" : `result ${read.outcome.state}`
        );
      } else {
        this.log.info({ queryId, reading: read.kind }, "result reading stopped");
      }
      this.retries.succeeded(queryId);
    } catch (error) {
      // The body stays stored and the query `received`; read again after a wait, or settled unreadable.
      if (await this.retries.afterFailure(queryId, error)) return this.run(queryId, undefined);
    } finally {
      this.settlements.notify(queryId);
    }
  }
}
