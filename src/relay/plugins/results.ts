/**
 * The life of stored results: reading callback bodies into rows in the background (`app.results`), waking
 * long-polls (`app.settlements`), finishing at start what a previous run left half done, and deleting
 * results after RELAY_RESULT_TTL_HOURS (a sweep at start and then on an unref'd timer).
 */
import fp from "fastify-plugin";
import { ResultReader } from "../ingest/result-reader";
import { Settlements } from "../settlements";

const MAX_SWEEP_INTERVAL_MS = 10 * 60_000;

export interface ResultsPluginOptions {
  readOptions?: { sliceBytes?: number; batchRows?: number };
  /** Between two sweeps; default the TTL, at most 10 minutes. */
  sweepIntervalMs?: number;
}

export default fp<ResultsPluginOptions>(
  async (app, options) => {
    const ttlMs = app.relayConfig.resultTtlHours * 3_600_000;
    const settlements = new Settlements();
    const reader = new ResultReader(app.store, settlements, app.log, app.clock, ttlMs, options.readOptions);
    app.decorate("settlements", settlements);
    app.decorate("results", reader);

    const sweep = async (): Promise<void> => {
      try {
        const removed = await app.store.sweep(app.clock().getTime());
        if (removed > 0) app.log.info({ removed }, "expired queries deleted");
      } catch (error) {
        app.log.error({ err: error }, "sweeping expired queries failed");
      }
    };
    await sweep();
    const timer = setInterval(() => void sweep(), options.sweepIntervalMs ?? Math.min(ttlMs, MAX_SWEEP_INTERVAL_MS));
    timer.unref();

    const unread = await app.store.recover();
    if (unread.length > 0) app.log.info({ queries: unread.length }, "reading results stored before the last stop");
    for (const queryId of unread) reader.schedule(queryId);

    app.addHook("preClose", async () => {
      clearInterval(timer);
      settlements.close();
      await reader.close();
    });
  },
  { name: "relay-results", dependencies: ["relay-store"] }
);
