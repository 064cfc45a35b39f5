/**
 * Builds the emulator of Infobip's Billing Usage API as a Fastify instance, without listening (see
 * `index.ts` for `startEmulator`, `server.ts` for `npm run emulator`).
 *
 * Assembly: one logger line per request (never headers: they carry the API key) → Infobip's path
 * (`billing-route.ts`) → emulator controls under `/_emulator/` (`admin-routes.ts`) → one error handler and
 * one not-found handler answering in Infobip's `ApiError` envelope. Closing the instance stops callback
 * delivery (no timer or socket left behind).
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { badRequest, type ApiError } from "../billing";
import { registerAdminRoutes } from "./admin-routes";
import { authenticate } from "./auth";
import { BILLING_USAGE_PATH, acceptedRequestId, refuseSubmission, registerBillingRoute } from "./billing-route";
import { CallbackDispatcher, DEFAULT_DISPATCHER_SETTINGS } from "./callbacks";
import { EmulatorClock } from "./clock";
import { emulatorErrors } from "./errors";
import { FaultQueue } from "./faults";
import { Ledger } from "./ledger";
import { RequestLog } from "./request-log";
import { INFOBIP_THROTTLE, SlidingWindowThrottle, type ThrottleSettings } from "./throttle";

export const DEFAULT_SEED = 1;
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

/** The parts of a built emulator that tests and scripts drive directly. */
export interface Emulator {
  readonly app: FastifyInstance;
  readonly clock: EmulatorClock;
  readonly ledger: Ledger;
  readonly faults: FaultQueue;
  readonly requests: RequestLog;
  readonly dispatcher: CallbackDispatcher;
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as Partial<FastifyError>).code === "string";
}

/**
 * Fastify's own errors (body parsing) as Infobip would word them: a 400 naming the body or the
 * Content-Type. (An unsupported media type is 415 in Fastify; Infobip's spec has no 415, so it is a 400.)
 * Anything else is a 500 with Infobip's E500 body, internals hidden.
 */
function errorAnswer(error: unknown): { status: number; body: ApiError } {
  const code = isFastifyError(error) ? error.code : undefined;
  switch (code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 400, body: emulatorErrors.unsupportedMediaType() };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, body: emulatorErrors.emptyBody() };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { status: 400, body: emulatorErrors.malformedJson() };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 400, body: emulatorErrors.bodyTooLarge(BODY_LIMIT_BYTES) };
  }
  const status = isFastifyError(error) ? (error.statusCode ?? 500) : 500;
  if (status >= 400 && status < 500 && error instanceof Error) {
    return { status: 400, body: badRequest([{ property: "body", violation: error.message }]) };
  }
  return { status: 500, body: emulatorErrors.internal() };
}

/** Builds the emulator and hands back its controls (clock, faults, request log) with the app. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const app = Fastify({
    logger: options.logger ?? false,
    // Fastify's own two lines per request are replaced by one (the onResponse hook below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
  });
  const clock = new EmulatorClock(options.now);
  const ledger = new Ledger(options.seed ?? DEFAULT_SEED);
  const faults = new FaultQueue();
  const requests = new RequestLog(options.requestLogSize);
  const throttle = new SlidingWindowThrottle(options.throttle ?? INFOBIP_THROTTLE);
  const dispatcher = new CallbackDispatcher(
    {
      delayMs: options.callbackDelayMs ?? DEFAULT_DISPATCHER_SETTINGS.delayMs,
      retryDelaysMs: options.callbackRetryDelaysMs ?? DEFAULT_DISPATCHER_SETTINGS.retryDelaysMs,
      attemptTimeoutMs: options.callbackTimeoutMs ?? DEFAULT_DISPATCHER_SETTINGS.attemptTimeoutMs,
    },
    app.log,
    {
      state(requestId, state, built) {
        const record = requests.find(requestId);
        if (!record) return;
        record.delivery.state = state;
        if (built) {
          record.delivery.resultStatus = built.resultStatus;
          record.delivery.bytes = built.bytes;
          if (built.totalRows !== undefined) record.delivery.totalRows = built.totalRows;
        }
      },
      attempt(requestId, attempt) {
        requests.find(requestId)?.delivery.attempts.push(attempt);
      },
    }
  );

  // Infobip takes JSON only; without Fastify's default text/plain parser, any other type is one 400.
  app.removeContentTypeParser("text/plain");

  app.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        requestId: acceptedRequestId(request),
      },
      "request"
    );
  });
  app.addHook("onClose", async () => {
    await dispatcher.close();
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorAnswer(error);
    if (status >= 500) request.log.error({ err: error, method: request.method, url: request.url }, "unexpected error");
    if (request.routeOptions.url === BILLING_USAGE_PATH) {
      const authentication = authenticate(request.headers.authorization);
      return refuseSubmission(
        requests,
        clock,
        reply,
        status,
        body,
        authentication.ok ? authentication.principal : undefined
      );
    }
    return reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(emulatorErrors.notFound(request.method, request.url.split("?")[0] ?? "/"));
  });

  registerBillingRoute(app, { ledger, clock, faults, requests, dispatcher, throttle });
  registerAdminRoutes(app, { ledger, clock, faults, requests });

  return { app, clock, ledger, faults, requests, dispatcher };
}

/** The Fastify instance alone, for callers that assemble it like any other app (`app.inject`, `listen`). */
export function buildEmulator(options: EmulatorOptions = {}): FastifyInstance {
  return createEmulator(options).app;
}
