/**
 * Builds the relay, without listening: the same assembly for production (`server.ts`, `index.ts`) and
 * tests. The store is opened first (SQLite, or PostgreSQL with RELAY_DATABASE_URL; it also settles the
 * key-hash secret). Plugins in order: config, store, CORS, rate limit (counted in the store), errors (its
 * not-found handler is rate-limited), static pane, OpenAPI (before the routes it documents) → results → routes.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { serializerCompiler } from "fastify-type-provider-zod";
import type { DestinationStream, Logger } from "pino";
import { relayClock, type RelayConfig } from "./config";
import "./fastify-types";
import { resolveKeyHashSecret } from "./key-hash-secret";
import { createRelayLogger } from "./logging";
import corsPlugin from "./plugins/cors";
import errorsPlugin from "./plugins/errors";
import openApiPlugin from "./plugins/openapi";
import rateLimitPlugin from "./plugins/rate-limit";
import relayConfigPlugin from "./plugins/relay-config";
import resultsPlugin, { type ResultsPluginOptions } from "./plugins/results";
import staticPanePlugin from "./plugins/static-pane";
import storePlugin from "./plugins/store";
import callbackRoutes from "./routes/callbacks";
import healthRoutes from "./routes/health";
import queryRoutes from "./routes/queries";
import { ensureDataDir, openRelayStore, type OpenedStore, type RelayStore } from "./store";
import { zodValidatorCompiler } from "./validation";

/** Body limit of the JSON API (a query is a few kilobytes); callbacks have their own, RELAY_MAX_CALLBACK_BYTES. */
const API_BODY_LIMIT = 1024 * 1024;

export interface RelayDeps {
  /** Where log lines go (tests capture them); default stdout. Ignored when `logger` is given. */
  logStream?: DestinationStream;
  logger?: Logger;
  /** The relay's clock; default the system clock. */
  clock?: () => Date;
  /** Another store behind the seam; default the one the configuration names (SQLite in the data directory). */
  store?: RelayStore;
  /** Tuning of result reading (benchmarks). */
  readOptions?: ResultsPluginOptions["readOptions"];
  /** Between two sweeps of expired results; default the TTL, at most 10 minutes. */
  sweepIntervalMs?: number;
  /** Between two looks for missed wake-ups and abandoned readings (several instances); default 5 seconds. */
  watchIntervalMs?: number;
}

export async function buildRelay(config: RelayConfig, deps: RelayDeps = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.logger ?? createRelayLogger(config.logLevel, deps.logStream);
  const opened: OpenedStore = deps.store
    ? {
        store: deps.store,
        keyHashSecret: resolveKeyHashSecret(config.keyHashSecret, ensureDataDir(config.dataDir)),
        description: { kind: "sqlite", dataDir: config.dataDir },
      }
    : await openRelayStore(config, logger);
  const { store, keyHashSecret } = opened;

  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: API_BODY_LIMIT,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  // Answers with a schema are encoded by it (src/relay-api): a shape outside the contract never leaves.
  app.setSerializerCompiler(serializerCompiler);
  app.log.info({ store: opened.description }, "store opened");
  if (keyHashSecret.source === "generated") {
    app.log.info(
      opened.description.kind === "sqlite" ? { dataDir: config.dataDir } : { store: "postgresql" },
      `generated the key-hash secret (${opened.description.kind === "sqlite" ? "relay-secret in the data directory" : "kept in the database"})`
    );
  }

  await app.register(relayConfigPlugin, {
    config,
    clock: deps.clock ?? relayClock(config.clockStartsAt),
    keyHashSecret: keyHashSecret.secret,
  });
  await app.register(storePlugin, { store });
  await app.register(corsPlugin);
  await app.register(rateLimitPlugin);
  await app.register(errorsPlugin);
  await app.register(staticPanePlugin);
  await app.register(openApiPlugin);
  await app.register(resultsPlugin, {
    ...(deps.readOptions ? { readOptions: deps.readOptions } : {}),
    ...(deps.sweepIntervalMs !== undefined ? { sweepIntervalMs: deps.sweepIntervalMs } : {}),
    ...(deps.watchIntervalMs !== undefined ? { watchIntervalMs: deps.watchIntervalMs } : {}),
  });
  await app.register(healthRoutes);
  await app.register(queryRoutes);
  await app.register(callbackRoutes);
  return app;
}
