/**
 * The relay's rate limits, on `@fastify/rate-limit` with nothing limited by default (`global: false`): each
 * limit is a hook a route opts into, so `/healthz`, CORS preflights and the static pane stay unlimited.
 *
 * - `submissions` (POST /v1/queries and /v1/connection-check, one shared budget): per owner, i.e. the HMAC
 *   owner hash of the credential, RELAY_SUBMIT_RATE_PER_SECOND, to stay under Infobip's 60 per second per key.
 *   Over it: 429 before anything is sent to Infobip.
 * - `reads` (every other /v1 call): per owner, RELAY_READ_RATE_PER_MINUTE; a long-poll counts once.
 * - `countNotFound` (the not-found handler and refused callback addresses): per client IP,
 *   RELAY_NOT_FOUND_RATE_PER_MINUTE, counted in each process's memory (scans never cost database writes). Only failures are counted, after the lookup failed, so a valid callback
 *   (Infobip delivers once) is never refused, whatever its IP has done.
 *
 * Counting runs in `onRequest`, after the `/v1` credential hook (route hooks follow instance hooks), so
 * requests without a key get their 401 without being counted. Every 429 is Infobip's ApiError with a
 * whole-second `Retry-After`. The counters live in the relay's store (`rate-limit-store.ts`: with PostgreSQL
 * shared by every instance, with SQLite in the one process's memory) under keys that are owner hashes or IPs,
 * never a key.
 */
import rateLimit, { normalizeIP } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { ApiError } from "../../billing";
import { relayErrors, RelayHttpError } from "../errors";
import { memoryRateLimitStore, relayRateLimitStore } from "../rate-limit-store";
import { RateWindows } from "../rate-windows";

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;

export interface RateLimits {
  /** `onRequest` hook of the two calls that reach Infobip. */
  submissions: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** `onRequest` hook of the other `/v1` calls. */
  reads: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Counts one not-found answer against the client's IP; throws the 429 when over budget. */
  countNotFound: (request: FastifyRequest) => Promise<void>;
  /** `onRequest` of the `/v1` calls: 429 while the client's IP is over its failed-authentication budget. */
  refuseFailingClient: (request: FastifyRequest) => Promise<void>;
  /** Counts one failed authentication against the client's IP; throws the 429 when that goes over budget. */
  countAuthFailure: (request: FastifyRequest) => Promise<void>;
  /** The keys being counted (owner hashes and IPs), for the hygiene test. */
  countedKeys: () => Promise<string[]>;
}

/** Retry-After is whole seconds, and never 0 while the caller is refused. */
function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / SECOND_MS));
}

export function tooManyRequests(body: ApiError, retryAfterSeconds: number): RelayHttpError {
  return new RelayHttpError(429, body, { "retry-after": String(retryAfterSeconds) });
}

/** The owner hash the `/v1` credential hook has computed; that hook answers 401 before a request gets here. */
function ownerOf(request: FastifyRequest): string {
  if (request.credential === null) throw new RelayHttpError(401, relayErrors.missingKey());
  return request.credential.owner;
}

function ownerLimit(
  app: FastifyInstance,
  name: string,
  max: number,
  timeWindow: number,
  body: (retryAfterSeconds: number) => ApiError
): RateLimits["submissions"] {
  const hook = app.rateLimit({
    max,
    timeWindow,
    hook: "onRequest",
    keyGenerator: (request) => `${name}:owner:${ownerOf(request)}`,
    onExceeded: (request) => request.log.warn({ rateLimit: name }, "rate limit reached"),
    errorResponseBuilder: (_request, context) => {
      const retryAfter = wholeSeconds(context.ttl);
      return tooManyRequests(body(retryAfter), retryAfter);
    },
  });
  return async (request, reply) => {
    await hook.call(app, request, reply);
  };
}

export default fp(
  async (app) => {
    const config = app.relayConfig;
    await app.register(rateLimit, {
      global: false,
      store: relayRateLimitStore(app.store, () => app.clock().getTime()),
      // Retry-After comes with the 429 itself (RelayHttpError), in whole seconds.
      addHeaders: { "retry-after": false },
    });

    const notFoundWindows = new RateWindows();
    const notFound = app.createRateLimit({
      store: memoryRateLimitStore(notFoundWindows, () => app.clock().getTime()),
      max: config.notFoundRatePerMinute,
      timeWindow: MINUTE_MS,
      keyGenerator: (request) => `not-found:ip:${normalizeIP(request.ip)}`,
    });

    const perKeySubmissions = ownerLimit(app, "submissions", config.submitRatePerSecond, SECOND_MS, (retryAfter) =>
      relayErrors.tooManySubmissions(config.submitRatePerSecond, retryAfter)
    );
    // Every key together: random keys each have a fresh per-key budget, this one they share. Counted after the
    // per-key limit (so a key over its own budget does not use up everyone's), in the relay's store (shared by
    // every instance on PostgreSQL). Not through @fastify/rate-limit: it runs one limit per request.
    const countAllSubmissions = async (request: FastifyRequest): Promise<void> => {
      const window = await app.store.countRequest("submissions:all", SECOND_MS, app.clock().getTime());
      if (window.current <= config.globalSubmitRatePerSecond) return;
      request.log.warn({ rateLimit: "submissions:all" }, "rate limit reached");
      const retryAfter = wholeSeconds(window.ttl);
      throw tooManyRequests(
        relayErrors.tooManySubmissionsOverall(config.globalSubmitRatePerSecond, retryAfter),
        retryAfter
      );
    };

    // Failed authentications per client IP, in the relay's store like the per-key counters (so on PostgreSQL every
    // instance shares them). Counted only when something failed, checked (a read, no write) on every /v1 call.
    const authFailureKey = (request: FastifyRequest): string => `auth-failures:ip:${normalizeIP(request.ip)}`;
    const refuseAuthFailures = (request: FastifyRequest, ttlMs: number): RelayHttpError => {
      const retryAfter = wholeSeconds(ttlMs);
      request.log.warn({ rateLimit: "auth-failures" }, "rate limit reached");
      return tooManyRequests(relayErrors.tooManyAuthFailures(config.authFailureRatePerMinute, retryAfter), retryAfter);
    };

    const limits: RateLimits = {
      submissions: async (request, reply) => {
        await perKeySubmissions(request, reply);
        await countAllSubmissions(request);
      },
      reads: ownerLimit(app, "reads", config.readRatePerMinute, MINUTE_MS, (retryAfter) =>
        relayErrors.tooManyReads(config.readRatePerMinute, retryAfter)
      ),
      countNotFound: async (request) => {
        const verdict = await notFound(request);
        if (verdict.isAllowed || !verdict.isExceeded) return;
        request.log.warn({ rateLimit: "not-found" }, "rate limit reached");
        const retryAfter = wholeSeconds(verdict.ttl);
        throw tooManyRequests(relayErrors.tooManyNotFound(config.notFoundRatePerMinute, retryAfter), retryAfter);
      },
      refuseFailingClient: async (request) => {
        const window = await app.store.peekRequests(authFailureKey(request), app.clock().getTime());
        if (window.current >= config.authFailureRatePerMinute) throw refuseAuthFailures(request, window.ttl);
      },
      countAuthFailure: async (request) => {
        const window = await app.store.countRequest(authFailureKey(request), MINUTE_MS, app.clock().getTime());
        if (window.current > config.authFailureRatePerMinute) throw refuseAuthFailures(request, window.ttl);
      },
      countedKeys: async () => [...(await app.store.countedKeys()), ...notFoundWindows.keys()],
    };
    app.decorate("rateLimits", limits);
  },
  { name: "relay-rate-limit", dependencies: ["relay-config", "relay-store"] }
);
