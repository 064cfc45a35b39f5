/**
 * Builds the emulator of Infobip's Billing Usage API, without listening: the same assembly for
 * `startEmulator` (index.ts), `npm run emulator` (server.ts) and tests, as the relay's app.ts does.
 *
 * Plugins in order: state (clock, seeded ledger, faults, request log, throttle) → callback delivery (closed
 * with the instance: no timer or socket left behind) → one log line per request → errors (Infobip's
 * `ApiError` envelope, and the not-found handler) → routes: `/healthz`, Infobip's path
 * (routes/billing-usage.ts), the controls under `/_emulator/` (routes/controls.ts).
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { edgeClientErrorHandler, edgeFrameworkErrors } from "../server-kit";
import { DEFAULT_DISPATCHER_SETTINGS } from "./callbacks";
import { DEFAULT_SEED } from "./config";
import "./fastify-types";
import accessLogPlugin from "./plugins/access-log";
import callbackDeliveryPlugin from "./plugins/callback-delivery";
import errorsPlugin from "./plugins/errors";
import statePlugin from "./plugins/state";
import billingUsageRoutes from "./routes/billing-usage";
import controlRoutes from "./routes/controls";
import healthRoutes from "./routes/health";
import { INFOBIP_THROTTLE, type ThrottleSettings } from "./throttle";

export type { EmulatorState } from "./fastify-types";
export { DEFAULT_SEED };
/** Request bodies larger than this are refused (a billing query is a few kilobytes at most). */
export const BODY_LIMIT_BYTES = 1_048_576;

export interface EmulatorOptions {
  /** Fixes the clock at this instant; default: the real clock. Movable at run time either way. */
  now?: Date;
  /** Seed of the synthetic ledger (accounts, keys, traffic); default 1. */
  seed?: number;
  /** Processing time before the callback's first attempt, in ms; default 1500. */
  callbackDelayMs?: number;
  /** Waits before each callback retry, in ms; default [1000, 4000, 16000] (three retries). */
  callbackRetryDelaysMs?: readonly number[];
  /** How long one callback attempt may take, in ms; default 30000. */
  callbackTimeoutMs?: number;
  /** Requests per window per API key; default Infobip's 60 per 1000 ms. */
  throttle?: ThrottleSettings;
  /** Fastify/pino logger: false (default) for silence, true for JSON lines, or pino options. */
  logger?: FastifyServerOptions["logger"];
  /** How many recent submissions `GET /_emulator/requests` keeps; default 200. */
  requestLogSize?: number;
}

/** The emulator as a Fastify instance, ready but not listening; its state is `app.emulator`. */
export async function buildEmulator(options: EmulatorOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Fastify's own two lines per request are replaced by one (plugins/access-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Errors before a route sees the request (not HTTP, headers too large, a malformed path) in Infobip's
    // ApiError envelope like every other answer, never repeating the URL (shared with the relay).
    clientErrorHandler: edgeClientErrorHandler,
    frameworkErrors: edgeFrameworkErrors,
  });
  // Infobip takes JSON only; without Fastify's default text/plain parser, any other type is one 400.
  app.removeContentTypeParser("text/plain");

  await app.register(statePlugin, {
    now: options.now,
    seed: options.seed ?? DEFAULT_SEED,
    throttle: options.throttle ?? INFOBIP_THROTTLE,
    requestLogSize: options.requestLogSize,
  });
  await app.register(callbackDeliveryPlugin, {
    delayMs: options.callbackDelayMs ?? DEFAULT_DISPATCHER_SETTINGS.delayMs,
    retryDelaysMs: options.callbackRetryDelaysMs ?? DEFAULT_DISPATCHER_SETTINGS.retryDelaysMs,
    attemptTimeoutMs: options.callbackTimeoutMs ?? DEFAULT_DISPATCHER_SETTINGS.attemptTimeoutMs,
  });
  await app.register(accessLogPlugin);
  await app.register(errorsPlugin);
  await app.register(healthRoutes);
  await app.register(billingUsageRoutes);
  await app.register(controlRoutes, { prefix: "/_emulator" });
  return app;
}
