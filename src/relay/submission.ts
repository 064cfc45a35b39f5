/**
 * Submitting a query through the relay, one readable pipeline: the query is stored first (as `submitting`,
 * with the hash of a fresh callback secret), so a callback that lands before Infobip's 201 finds it; then it
 * is forwarded to Infobip with the caller's Authorization header unchanged; then Infobip's answer decides:
 * requestId recorded, or the query removed and Infobip's error passed on. With no answer within
 * RELAY_INFOBIP_TIMEOUT_SECONDS the query is kept as it is ("submitted, answer unknown": Infobip may have accepted
 * it, and then delivers its result to the callback URL it already has), and becomes overdue and expires as any
 * other pending query.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { BillingUsageQuery } from "../billing";
import { hashCallbackSecret, newCallbackSecret } from "./callback-secret";
import type { InfobipConnection } from "./connections";
import type { Credential } from "./credentials";
import { RelayHttpError } from "./errors";
import { submitToInfobip } from "./infobip-client";

export interface SubmittedQuery {
  id: string;
  /** Null when Infobip did not answer in time: accepted or not, nobody knows yet. */
  requestId: string | null;
  createdAt: Date;
  connection: string;
}

export function callbackUrl(publicUrl: string, queryId: string, secret: string): string {
  return `${publicUrl}/callbacks/${queryId}/${secret}`;
}

/**
 * Sends the query to the connection's base URL: one the operator configured, resolved from a name by the caller's
 * route, never a URL from the request.
 *
 * Throws {@link RelayHttpError} with Infobip's status and body (or a 502) when Infobip does not accept it.
 */
export async function submitQuery(
  app: FastifyInstance,
  credential: Credential,
  request: BillingUsageQuery,
  options: { label: string | null; hidden: boolean; connection: InfobipConnection }
): Promise<SubmittedQuery> {
  const config = app.relayConfig;
  const createdAt = app.clock();
  const id = randomUUID();
  const secret = newCallbackSecret();
  await app.store.createQuery({
    id,
    owner: credential.owner,
    label: options.label,
    connection: options.connection.name,
    hidden: options.hidden,
    requestJson: JSON.stringify(request),
    secretHash: hashCallbackSecret(secret),
    createdAt: createdAt.getTime(),
    // A query never answered still goes eventually.
    expiresAt: createdAt.getTime() + config.resultTtlHours * 3_600_000,
  });

  const submission = await submitToInfobip({
    connection: options.connection.name,
    baseUrl: options.connection.baseUrl,
    authorization: credential.authorization,
    callbackUrl: callbackUrl(app.publicUrl.get(), id, secret),
    request,
    timeoutMs: config.infobipTimeoutSeconds * 1000,
  });

  if (submission.kind === "accepted") {
    const recorded = await app.store.recordSubmission(id, submission.requestId, app.clock().getTime());
    app.log.info(
      { queryId: id, requestId: submission.requestId, connection: options.connection.name, recorded },
      "query submitted to Infobip"
    );
    return { id, requestId: submission.requestId, createdAt, connection: options.connection.name };
  }

  if (submission.kind === "unanswered") {
    app.log.warn(
      { queryId: id, connection: options.connection.name, timeoutMs: submission.timeoutMs },
      "Infobip did not answer the submission in time; the query is kept for its callback"
    );
    return { id, requestId: null, createdAt, connection: options.connection.name };
  }

  await app.store.deleteQuery(id);
  if (submission.kind === "refused") {
    app.log.info(
      {
        queryId: id,
        connection: options.connection.name,
        status: submission.status,
        errorCode: submission.body.errorCode,
      },
      "Infobip refused the query"
    );
    const headers: Record<string, string> =
      submission.retryAfter === undefined ? {} : { "retry-after": submission.retryAfter };
    throw new RelayHttpError(submission.status, submission.body, headers);
  }
  app.log.warn(
    { queryId: id, connection: options.connection.name, description: submission.body.description },
    "Infobip could not be reached"
  );
  throw new RelayHttpError(502, submission.body);
}
