/**
 * Builds the relay, without listening: the same assembly for production (`server.ts`, `index.ts`) and
 * tests. The store is opened first (SQLite, or PostgreSQL with RELAY_DATABASE_URL; it also settles the
 * key-hash secret). Plugins in order: config, store, CORS, rate limit (counted in the store), errors (its
 * not-found handler is rate-limited), static pane, OpenAPI (before the routes it documents) → results → routes.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { serializerCompiler } from "fastify-type-provider-zod";
import type { DestinationStream, Logger } from "pino";
import { capConnectionsPerAddress, cutOffSlowBodies, edgeClientErrorHandler, edgeFrameworkErrors } from "../server-kit";
import { relayClock, type RelayConfig, type TrustProxy } from "./config";
import "./fastify-types";
import { resolveKeyHashSecret } from "./key-hash-secret";
import { relayErrors } from "./errors";
import { createRelayLogger } from "./logging";
import corsPlugin from "./plugins/cors";
import errorsPlugin from "./plugins/errors";
import openApiPlugin from "./plugins/openapi";
import rateLimitPlugin from "./plugins/rate-limit";
import relayConfigPlugin from "./plugins/relay-config";
import resultsPlugin, { type ResultsPluginOptions } from "./plugins/results";
import staticPanePlugin from "./plugins/static-pane";
import storageHealthPlugin from "./plugins/storage-health";
import storePlugin from "./plugins/store";
import callbackRoutes from "./routes/callbacks";
import connectionRoutes from "./routes/connections";
import healthRoutes from "./routes/health";
import queryRoutes from "./routes/queries";
import { ensureDataDir, openRelayStore, type OpenedStore, type RelayStore } from "./store";
import { zodValidatorCompiler } from "./validation";

/** Body limit of the JSON API (a query is a few kilobytes); callbacks have their own, RELAY_MAX_CALLBACK_BYTES. */
const API_BODY_LIMIT = 1024 * 1024;

/** Fastify takes a number of hops too, but its types do not say so: the same rule as a function (hop < n). */
function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== "number") return trust;
  return (_address, hop) => hop < trust;
}

/** Callbacks get their own, longer deadline; any spelling Fastify would route there counts. */
function isCallbackPath(url: string): boolean {
  return url.startsWith("/callbacks/");
}

export interface RelayDeps {
  /** Where log lines go (tests capture them); default stdout. Ignored when `logger` is given. */
  logStream?: DestinationStream;
  logger?: Logger;
  /** The relay's clock; default the system clock (or the one RELAY_NOW starts). */
  clock?: () => Date;
  /** Another store behind the seam; default the one the configuration names (SQLite in the data directory). */
  store?: RelayStore;
  /** Tuning of result reading (benchmarks). */
  readOptions?: ResultsPluginOptions["readOptions"];
  /** Between two sweeps of expired results; default the TTL, at most 10 minutes. */
  sweepIntervalMs?: number;
  /** Between two looks for missed wake-ups and abandoned readings (several instances); default 5 seconds. */
  watchIntervalMs?: number;
  /** Between two probes of a store that could not write (a full disk); default 5 seconds. */
  storageProbeIntervalMs?: number;
  /** First wait before reading a stored result again after a failure (it quadruples at each try); default 1 second. */
  readRetryDelayMs?: number;
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
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // Node's own whole-request limit, a backstop behind the per-request deadlines below (Node checks it only
    // every 30 s): the longest deadline, a callback's, plus that check interval.
    requestTimeout: (config.callbackRequestTimeoutSeconds + 30) * 1000,
    // Errors before a route sees the request, in the ApiError envelope, never repeating the URL.
    clientErrorHandler: edgeClientErrorHandler,
    frameworkErrors: edgeFrameworkErrors,
  });
  capConnectionsPerAddress(app.server, config.maxConnectionsPerIp, (address, open) =>
    app.log.warn({ remoteAddress: address, open }, "connection refused: too many open from this address")
  );
  // Root-level, before every route: bodies that stall or trickle are cut off (long-polls send none).
  cutOffSlowBodies(app, {
    idleMs: config.bodyIdleTimeoutSeconds * 1000,
    deadlineMs: (request) =>
      (isCallbackPath(request.url) ? config.callbackRequestTimeoutSeconds : config.requestTimeoutSeconds) * 1000,
    answer: (reason) => relayErrors.bodyTooSlow(reason),
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
    clock: deps.clock ?? relayClock(config),
    keyHashSecret: keyHashSecret.secret,
  });
  await app.register(storePlugin, { store });
  await app.register(
    storageHealthPlugin,
    deps.storageProbeIntervalMs !== undefined ? { probeIntervalMs: deps.storageProbeIntervalMs } : {}
  );
  await app.register(corsPlugin);
  await app.register(rateLimitPlugin);
  await app.register(errorsPlugin);
  await app.register(staticPanePlugin);
  await app.register(openApiPlugin);
  await app.register(resultsPlugin, {
    ...(deps.readOptions ? { readOptions: deps.readOptions } : {}),
    ...(deps.sweepIntervalMs !== undefined ? { sweepIntervalMs: deps.sweepIntervalMs } : {}),
    ...(deps.watchIntervalMs !== undefined ? { watchIntervalMs: deps.watchIntervalMs } : {}),
    ...(deps.readRetryDelayMs !== undefined ? { readRetryDelayMs: deps.readRetryDelayMs } : {}),
  });
  await app.register(healthRoutes);
  await app.register(connectionRoutes);
  await app.register(queryRoutes);
  await app.register(callbackRoutes);
  return app;
}
