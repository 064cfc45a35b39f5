/**
 * Builds the relay, without listening: the same assembly for production (`server.ts`, `index.ts`) and
 * tests. Plugins in order: config, CORS, rate limit, errors (its not-found handler is rate-limited), static
 * pane, OpenAPI (before the routes it documents) → store, results → routes.
 */
import fs from "node:fs";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { serializerCompiler } from "fastify-type-provider-zod";
import type { DestinationStream, Logger } from "pino";
import type { RelayConfig } from "./config";
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
import type { RelayStore } from "./store";
import { zodValidatorCompiler } from "./validation";

/** Body limit of the JSON API (a query is a few kilobytes); callbacks have their own, RELAY_MAX_CALLBACK_BYTES. */
const API_BODY_LIMIT = 1024 * 1024;

export interface RelayDeps {
  /** Where log lines go (tests capture them); default stdout. Ignored when `logger` is given. */
  logStream?: DestinationStream;
  logger?: Logger;
  /** The relay's clock; default the system clock. */
  clock?: () => Date;
  /** Another store behind the seam; default SQLite in the data directory. */
  store?: RelayStore;
  /** Tuning of result reading (benchmarks). */
  readOptions?: ResultsPluginOptions["readOptions"];
  /** Between two sweeps of expired results; default the TTL, at most 10 minutes. */
  sweepIntervalMs?: number;
}

export async function buildRelay(config: RelayConfig, deps: RelayDeps = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.logger ?? createRelayLogger(config.logLevel, deps.logStream);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const keyHashSecret = resolveKeyHashSecret(config.keyHashSecret, config.dataDir);

  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: API_BODY_LIMIT,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  // Answers with a schema are encoded by it (src/relay-api): a shape outside the contract never leaves.
  app.setSerializerCompiler(serializerCompiler);
  if (keyHashSecret.source === "generated") {
    app.log.info({ dataDir: config.dataDir }, "generated the key-hash secret (relay-secret in the data directory)");
  }

  await app.register(relayConfigPlugin, {
    config,
    clock: deps.clock ?? (() => new Date()),
    keyHashSecret: keyHashSecret.secret,
  });
  await app.register(corsPlugin);
  await app.register(rateLimitPlugin);
  await app.register(errorsPlugin);
  await app.register(staticPanePlugin);
  await app.register(openApiPlugin);
  await app.register(storePlugin, deps.store ? { store: deps.store } : {});
  await app.register(resultsPlugin, {
    ...(deps.readOptions ? { readOptions: deps.readOptions } : {}),
    ...(deps.sweepIntervalMs !== undefined ? { sweepIntervalMs: deps.sweepIntervalMs } : {}),
  });
  await app.register(healthRoutes);
  await app.register(queryRoutes);
  await app.register(callbackRoutes);
  return app;
}
