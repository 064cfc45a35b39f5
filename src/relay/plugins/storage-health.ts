/**
 * Whether the store can write (`app.storage`, see storage-health.ts): the reserve is written at start, a full disk
 * seen by any route marks the store not writable until the background probe finds it writable again.
 */
import fp from "fastify-plugin";
import { StorageHealth } from "../storage-health";

export interface StorageHealthPluginOptions {
  /** Between two probes while the store cannot write; default 5 seconds. */
  probeIntervalMs?: number;
}

const DEFAULT_PROBE_INTERVAL_MS = 5_000;

export default fp<StorageHealthPluginOptions>(
  async (app, options) => {
    const config = app.relayConfig;
    const health = new StorageHealth({
      store: app.store,
      reserveDir: config.databaseUrl === undefined ? config.dataDir : undefined,
      reserveBytes: config.diskReserveBytes,
      probeIntervalMs: options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS,
      log: app.log,
      clock: app.clock,
    });
    await health.start();
    app.decorate("storage", health);
    app.addHook("preClose", async () => {
      health.close();
    });
  },
  { name: "relay-storage-health", dependencies: ["relay-store"] }
);
