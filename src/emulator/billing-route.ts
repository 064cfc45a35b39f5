/**
 * `POST /billing/1/usage/query`, as Infobip documents it, in one readable pipeline:
 *
 *   authenticate (401) → throttle per key (429) → scope `billing:usage:view` (401) → queued submission
 *   fault (500 / 429) → body parsed as JSON (400) → validated with `src/billing` (400 with violations) →
 *   201 `{requestId}` → callback scheduled with the result computed for the clock at submission.
 *
 * Authentication runs in `onRequest`, before the body is read, so a caller without a valid key learns
 * nothing about the body. Every answer is recorded in the request log.
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { badRequest, validateQueryRequest, type ApiError, type BillingUsageResult } from "../billing";
import { authenticate, hasScope, type Principal } from "./auth";
import type { CallbackDispatcher, BuiltCallback } from "./callbacks";
import type { EmulatorClock } from "./clock";
import { emulatorErrors } from "./errors";
import { describeCallbackFaults, type FaultQueue } from "./faults";
import type { Ledger } from "./ledger";
import { redactUrl, type RequestLog } from "./request-log";
import type { SlidingWindowThrottle } from "./throttle";
import { answerQuery } from "./usage-query";

export const BILLING_USAGE_PATH = "/billing/1/usage/query";

export interface BillingRouteDeps {
  readonly ledger: Ledger;
  readonly clock: EmulatorClock;
  readonly faults: FaultQueue;
  readonly requests: RequestLog;
  readonly dispatcher: CallbackDispatcher;
  readonly throttle: SlidingWindowThrottle;
}

const acceptedRequestIds = new WeakMap<FastifyRequest, string>();

/** The `requestId` given to an accepted submission (for its log line), else undefined. */
export function acceptedRequestId(request: FastifyRequest): string | undefined {
  return acceptedRequestIds.get(request);
}

/** 32 upper-case hexadecimal characters, like Infobip's request IDs. */
export function newRequestId(): string {
  return randomBytes(16).toString("hex").toUpperCase();
}

/** Records a refused submission in the request log and sends its `ApiError`. */
export function refuseSubmission(
  requests: RequestLog,
  clock: EmulatorClock,
  reply: FastifyReply,
  status: number,
  error: ApiError,
  principal: Principal | undefined
): FastifyReply {
  requests.add({
    requestId: undefined,
    receivedAt: new Date().toISOString(),
    clock: clock.now().toISOString(),
    principal: principal?.name,
    httpStatus: status,
    errorCode: error.errorCode,
    callbackTarget: undefined,
    faults: [],
    delivery: { state: "none", attempts: [] },
  });
  return reply.code(status).type("application/json").send(error);
}

export function registerBillingRoute(app: FastifyInstance, deps: BillingRouteDeps): void {
  const { ledger, clock, faults, requests, dispatcher, throttle } = deps;
  const principals = new WeakMap<FastifyRequest, Principal>();

  const gate = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const authentication = authenticate(request.headers.authorization);
    if (!authentication.ok) {
      const error =
        authentication.reason === "unsupported-scheme"
          ? emulatorErrors.unsupportedScheme(authentication.scheme)
          : emulatorErrors.unauthorized();
      return refuseSubmission(requests, clock, reply, 401, error, undefined);
    }
    const { principal } = authentication;
    const decision = throttle.tryAcquire(principal.name);
    if (!decision.allowed) {
      // Infobip documents no Retry-After; the emulator sends one (whole seconds) as a courtesy.
      reply.header("retry-after", String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
      return refuseSubmission(requests, clock, reply, 429, emulatorErrors.tooManyRequests(), principal);
    }
    if (!hasScope(principal)) {
      return refuseSubmission(requests, clock, reply, 401, emulatorErrors.missingScope(), principal);
    }
    const injected = faults.takeForSubmission();
    if (injected === "http-500") {
      return refuseSubmission(requests, clock, reply, 500, emulatorErrors.internal(), principal);
    }
    if (injected === "http-429") {
      reply.header("retry-after", "1");
      return refuseSubmission(requests, clock, reply, 429, emulatorErrors.tooManyRequests(), principal);
    }
    principals.set(request, principal);
    return undefined;
  };

  app.post(BILLING_USAGE_PATH, { onRequest: gate }, async (request, reply) => {
    const principal = principals.get(request);
    if (!principal) return refuseSubmission(requests, clock, reply, 401, emulatorErrors.unauthorized(), undefined);
    const now = clock.now();
    const validation = validateQueryRequest(request.body, now);
    if (!validation.ok) {
      return refuseSubmission(requests, clock, reply, 400, badRequest(validation.violations), principal);
    }
    const { callbackUrl, request: query } = validation.value;
    const requestId = newRequestId();
    const callbackFaults = faults.takeForCallback();
    const accounts = principal.key.seesHierarchy ? ledger.hierarchyOf(principal.key.account) : [principal.key.account];
    requests.add({
      requestId,
      receivedAt: new Date().toISOString(),
      clock: now.toISOString(),
      principal: principal.name,
      httpStatus: 201,
      errorCode: undefined,
      callbackTarget: redactUrl(callbackUrl),
      faults: describeCallbackFaults(callbackFaults),
      delivery: { state: "scheduled", attempts: [] },
    });
    acceptedRequestIds.set(request, requestId);
    dispatcher.schedule({
      requestId,
      callbackUrl,
      faults: callbackFaults,
      build: (): BuiltCallback => {
        if (callbackFaults.failureMessage !== undefined) {
          const failed: BillingUsageResult = {
            requestId,
            status: "FAILED",
            failureMessage: callbackFaults.failureMessage,
          };
          return { body: JSON.stringify(failed), resultStatus: "FAILED", totalRows: undefined };
        }
        const answer = answerQuery(ledger, query, accounts, now);
        const result: BillingUsageResult = {
          requestId,
          status: "SUCCESS",
          response: answer.response,
          metadata: answer.metadata,
        };
        return { body: JSON.stringify(result), resultStatus: "SUCCESS", totalRows: answer.response.totalRows };
      },
    });
    return reply.code(201).type("application/json").send({ requestId });
  });
}
