/**
 * The one call the relay makes to Infobip: `POST {base URL of a configured connection}/billing/1/usage/query`,
 * with the caller's Authorization header unchanged. Every way it can end is a value, never a throw: accepted with a
 * requestId, refused with Infobip's status and body (to pass through), or not reached at all.
 */
import {
  ApiErrorSchema,
  QueryAggregateDataResponseSchema,
  apiError,
  type ApiError,
  type BillingUsageQuery,
} from "../billing";
import { relayErrors } from "./errors";

export const QUERY_PATH = "/billing/1/usage/query";

export type Submission =
  | { kind: "accepted"; requestId: string }
  /** Infobip's error answer, to pass on with its status; `retryAfter` when Infobip sent one. */
  | { kind: "refused"; status: number; body: ApiError; retryAfter: string | undefined }
  /**
   * No answer within the timeout. The request may have reached Infobip and been accepted (it then delivers the
   * result to the callback URL it was given), so the query is kept: "submitted, answer unknown".
   */
  | { kind: "unanswered"; timeoutMs: number }
  /** No usable answer: Infobip unreachable, or answering something the relay cannot use (→ 502). */
  | { kind: "failed"; body: ApiError };

/** Statuses Infobip documents as error answers, passed through as they are. */
const PASSED_THROUGH = new Set([400, 401, 403, 429]);

const STANDARD_BODY: Record<number, Parameters<typeof apiError>[0]> = {
  400: "badRequest",
  401: "unauthorized",
  403: "forbidden",
  429: "tooManyRequests",
};

/** Infobip's body when it is an ApiError; otherwise (XML, an HTML proxy page) the standard body of that status. */
function errorBody(status: number, text: string): ApiError {
  try {
    const parsed = ApiErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: fall through to the standard body
  }
  const standard = apiError(STANDARD_BODY[status] ?? "internal");
  return { ...standard, description: `${standard.description} (Infobip answered ${status} without an ApiError body.)` };
}

/** Why fetch failed, in a few words. Duck-typed: errors from fetch may come from another realm (e.g. under jest). */
function reasonOf(error: unknown): string {
  const failure = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { code?: unknown; message?: unknown };
  };
  if (typeof failure.cause?.code === "string") return `connection failed (${failure.cause.code})`;
  if (typeof failure.cause?.message === "string") return failure.cause.message;
  return typeof failure.message === "string" ? failure.message : String(error);
}

/** The timeout's abort (duck-typed, as in {@link reasonOf}). */
function isTimeout(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "TimeoutError";
}

export async function submitToInfobip(options: {
  /** A configured connection (connections.ts): its name for messages, its base URL to call. */
  connection: string;
  baseUrl: string;
  authorization: string;
  callbackUrl: string;
  request: BillingUsageQuery;
  timeoutMs: number;
}): Promise<Submission> {
  const target = `${options.baseUrl}${QUERY_PATH}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(target, {
      method: "POST",
      headers: {
        Authorization: options.authorization,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      body: JSON.stringify({ callbackUrl: options.callbackUrl, request: options.request }),
      redirect: "error",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    if (isTimeout(error)) return { kind: "unanswered", timeoutMs: options.timeoutMs };
    return {
      kind: "failed",
      body: relayErrors.infobipUnreachable(options.connection, options.baseUrl, reasonOf(error)),
    };
  }

  if (response.status === 201 || response.status === 200) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = QueryAggregateDataResponseSchema.safeParse(json);
    if (parsed.success) return { kind: "accepted", requestId: parsed.data.requestId };
    return {
      kind: "failed",
      body: relayErrors.infobipUnexpected(options.connection, `status ${response.status} without a requestId`),
    };
  }
  if (PASSED_THROUGH.has(response.status) || response.status >= 500) {
    return {
      kind: "refused",
      status: response.status,
      body: errorBody(response.status, text),
      retryAfter: response.headers.get("retry-after") ?? undefined,
    };
  }
  return { kind: "failed", body: relayErrors.infobipUnexpected(options.connection, `status ${response.status}`) };
}
