/**
 * The life of stored results: reading callback bodies into rows in the background (`app.results`), waking
 * long-polls (`app.settlements`, fed by the store: with PostgreSQL, by every instance), finishing at start what
 * a previous run left half done, and deleting results after RELAY_RESULT_TTL_HOURS (a sweep at start and then
 * on an unref'd timer).
 *
 * With several instances on one database: the sweep runs only under the store's lease, so on one instance at a
 * time; and every `watchIntervalMs` each instance reads again the queries its long-polls wait for (a lost
 * notification costs at most that much latency) and takes over bodies whose reader died.
 */
import fp from "fastify-plugin";
import { ResultReader, type ResultReaderOptions } from "../ingest/result-reader";
import { Settlements } from "../settlements";

const MAX_SWEEP_INTERVAL_MS = 10 * 60_000;
const DEFAULT_WATCH_INTERVAL_MS = 5_000;
/** The sweep's lease outlasts any sweep; its holder renews it at each turn, another takes over once it ran out. */
const MIN_SWEEP_LEASE_MS = 60_000;
export const SWEEP_LEASE = "ttl-sweep";

export interface ResultsPluginOptions {
  readOptions?: ResultReaderOptions;
  /** Between two sweeps; default the TTL, at most 10 minutes. */
  sweepIntervalMs?: number;
  /** Between two looks for missed wake-ups and abandoned readings; default 5 seconds. */
  watchIntervalMs?: number;
  /** The first wait before a failed reading is tried again; default 1 second. */
  readRetryDelayMs?: number;
}

export default fp<ResultsPluginOptions>(
  async (app, options) => {
    const ttlMs = app.relayConfig.resultTtlHours * 3_600_000;
    const store = app.store;
    const settlements = new Settlements((ids) => store.settledAmong(ids));
    const reader = new ResultReader(store, settlements, app.log, app.clock, ttlMs, options.readOptions, {
      attempts: app.relayConfig.resultReadAttempts,
      ...(options.readRetryDelayMs !== undefined ? { firstDelayMs: options.readRetryDelayMs } : {}),
    });
    app.decorate("settlements", settlements);
    app.decorate("results", reader);

    const stopWatching = await store.watchSettlements((queryId) => {
      if (queryId === null) void settlements.recheckAll();
      else settlements.notify(queryId);
    });

    const sweepIntervalMs = options.sweepIntervalMs ?? Math.min(ttlMs, MAX_SWEEP_INTERVAL_MS);
    const sweepLeaseMs = Math.max(MIN_SWEEP_LEASE_MS, 2 * sweepIntervalMs);
    let sweeping = false;
    const sweep = async (): Promise<void> => {
      if (sweeping) return;
      sweeping = true;
      try {
        if (!(await store.tryLease(SWEEP_LEASE, sweepLeaseMs))) return;
        const removed = await store.sweep(app.clock().getTime());
        if (removed > 0) app.log.info({ removed }, "expired queries deleted");
      } catch (error) {
        app.log.error({ err: error }, "sweeping expired queries failed");
      } finally {
        sweeping = false;
      }
    };
    await sweep();
    const sweepTimer = setInterval(() => void sweep(), sweepIntervalMs);
    sweepTimer.unref();

    const unread = await store.recover();
    if (unread.length > 0) app.log.info({ queries: unread.length }, "reading results stored before the last stop");
    for (const queryId of unread) reader.schedule(queryId);

    const watch = async (): Promise<void> => {
      try {
        await settlements.recheckAll();
        const abandoned = await store.claimUnreadResults();
        if (abandoned.length > 0) app.log.info({ queries: abandoned.length }, "reading results another instance left");
        for (const queryId of abandoned) reader.schedule(queryId);
      } catch (error) {
        app.log.warn({ err: error }, "looking for missed wake-ups and abandoned results failed");
      }
    };
    const watchTimer = setInterval(() => void watch(), options.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS);
    watchTimer.unref();

    // Long-polls released at close answer after a read of the store; on PostgreSQL that read ends after the server
    // has closed its idle connections, so their connection must close with the answer, or closing waits for
    // the keep-alive timeout.
    let closing = false;
    app.addHook("onSend", async (_request, reply) => {
      if (closing) reply.header("connection", "close");
    });

    app.addHook("preClose", async () => {
      closing = true;
      clearInterval(sweepTimer);
      clearInterval(watchTimer);
      stopWatching();
      settlements.close();
      await reader.close();
    });
  },
  { name: "relay-results", dependencies: ["relay-store"] }
);
