/**
 * `POST /billing/1/usage/query`, as Infobip documents it, in one readable pipeline:
 *
 *   authenticate (401) → throttle per key (429) → scope `billing:usage:view` (401) → queued submission
 *   fault (500 / 429) → body parsed as JSON (400) → validated with `src/billing` (400 with violations) →
 *   201 `{requestId}` → callback scheduled with the result computed for the clock at submission.
 *
 * Authentication runs in `onRequest`, before the body is read, so a caller without a valid key learns
 * nothing about the body. Every answer is recorded in the request log where it is decided: the gate's
 * refusals in the gate, validation's in the handler, and Fastify's own (a body that is not JSON, another
 * Content-Type, too large) in this path's error handler — with the caller the gate already found, so
 * nothing authenticates twice.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { badRequest, validateQueryRequest, type ApiError, type BillingUsageResult } from "../../billing";
import { authenticate, hasScope } from "../auth";
import type { BuiltCallback } from "../callbacks";
import { answerForError, emulatorErrors } from "../errors";
import { describeCallbackFaults } from "../faults";
import { redactUrl } from "../request-log";
import { answerQuery } from "../usage-query";

export const BILLING_USAGE_PATH = "/billing/1/usage/query";

/** 32 upper-case hexadecimal characters, like Infobip's request IDs. */
export function newRequestId(): string {
  return randomBytes(16).toString("hex").toUpperCase();
}

export default async function billingUsageRoutes(app: FastifyInstance): Promise<void> {
  const { ledger, clock, faults, requests, throttle } = app.emulator;
  const dispatcher = app.emulatorCallbacks;
  app.decorateRequest("emulatorCaller", null);

  /** Records a refused submission in the request log (with its caller, once known) and sends its `ApiError`. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, error: ApiError): FastifyReply => {
    requests.add({
      requestId: undefined,
      receivedAt: new Date().toISOString(),
      clock: clock.now().toISOString(),
      principal: request.emulatorCaller?.name,
      httpStatus: status,
      errorCode: error.errorCode,
      callbackTarget: undefined,
      faults: [],
      delivery: { state: "none", attempts: [] },
    });
    return reply.code(status).type("application/json").send(error);
  };

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = answerForError(error, app.initialConfig.bodyLimit ?? 0);
    if (status >= 500) request.log.error({ err: error, method: request.method, url: request.url }, "unexpected error");
    return refuse(request, reply, status, body);
  });

  const gate = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const authentication = authenticate(request.headers.authorization);
    if (!authentication.ok) {
      const error =
        authentication.reason === "unsupported-scheme"
          ? emulatorErrors.unsupportedScheme(authentication.scheme)
          : emulatorErrors.unauthorized();
      return refuse(request, reply, 401, error);
    }
    const { principal } = authentication;
    request.emulatorCaller = principal;
    const decision = throttle.tryAcquire(principal.name);
    if (!decision.allowed) {
      // Infobip documents no Retry-After; the emulator sends one (whole seconds) as a courtesy.
      reply.header("retry-after", String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
      return refuse(request, reply, 429, emulatorErrors.tooManyRequests());
    }
    if (!hasScope(principal)) return refuse(request, reply, 401, emulatorErrors.missingScope());
    const injected = faults.takeForSubmission();
    if (injected === "http-500") return refuse(request, reply, 500, emulatorErrors.internal());
    if (injected === "http-429") {
      reply.header("retry-after", "1");
      return refuse(request, reply, 429, emulatorErrors.tooManyRequests());
    }
    return undefined;
  };

  app.post(BILLING_USAGE_PATH, { onRequest: gate }, async (request, reply) => {
    const principal = request.emulatorCaller;
    // The gate answered every request without a caller; this keeps the type honest.
    if (!principal) return refuse(request, reply, 401, emulatorErrors.unauthorized());
    const now = clock.now();
    const validation = validateQueryRequest(request.body, now);
    if (!validation.ok) return refuse(request, reply, 400, badRequest(validation.violations));
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
    request.emulatorRequestId = requestId;
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
    const slowAnswerMs = faults.takeSlowAnswer();
    if (slowAnswerMs !== undefined) {
      // Until the caller gives up (its timeout closes the connection): then there is no one to answer.
      const gone = new AbortController();
      request.raw.socket.once("close", () => gone.abort());
      await sleep(slowAnswerMs, undefined, { signal: gone.signal }).catch(() => undefined);
    }
    return reply.code(201).type("application/json").send({ requestId });
  });
}
