/**
 * The relay's own error answers, in Infobip's `ApiError` envelope so the task pane handles one format.
 * Infobip's standard bodies (400, 401, 403, 429, 500) come from `src/billing`; the statuses Infobip never
 * sends (404, 409, 413, 502...) are worded here, each telling the caller what to do next.
 */
import { apiError, badRequest, type ApiError, type Violation } from "../billing";

/** An error a route throws to answer with `status` and an `ApiError` body; the error handler sends it as is. */
export class RelayHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ApiError,
    readonly headers: Record<string, string> = {}
  ) {
    super(body.description);
    this.name = "RelayHttpError";
  }
}

function seconds(count: number): string {
  return `${count} second${count === 1 ? "" : "s"}`;
}

function relayError(errorCode: string, description: string, action: string): ApiError {
  return { errorCode, description, action, violations: [], resources: [] };
}

export const relayErrors = {
  missingKey: (): ApiError =>
    apiError("unauthorized", {
      description: "No Infobip API key was sent.",
      action: "Send your Infobip API key in the Authorization header as: App <your API key>.",
    }),
  malformedKey: (): ApiError =>
    apiError("unauthorized", {
      description: "The Authorization header is not one Infobip accepts.",
      action: "Send your Infobip API key in the Authorization header as: App <your API key>.",
    }),
  /** The same answer for an unknown query and another key's query, so IDs reveal nothing. */
  queryNotFound: (): ApiError =>
    relayError(
      "E404",
      "No such query for this API key. It may have expired, been deleted, or been submitted with another key.",
      "List your queries with GET /v1/queries, or submit the query again."
    ),
  routeNotFound: (method: string): ApiError =>
    relayError("E404", `There is no ${method} endpoint at this path.`, "Check the path against the relay's README."),
  callbackNotFound: (): ApiError =>
    relayError("E404", "Unknown callback address.", "Use the callbackUrl the relay sent with the query."),
  notReady: (status: string): ApiError =>
    status === "pending"
      ? relayError(
          "E409",
          "The result of this query has not arrived yet.",
          "Wait for status succeeded (GET /v1/queries/{id}?wait=30), then read the rows."
        )
      : relayError(
          "E409",
          `This query has no rows: its status is ${status}.`,
          "Read failureMessage in GET /v1/queries/{id}, or GET /v1/queries/{id}/raw for the bytes Infobip sent."
        ),
  noRawResult: (): ApiError =>
    relayError(
      "E409",
      "No result has been delivered for this query yet, so there are no raw bytes to return.",
      "Wait until the status leaves pending."
    ),
  callbackTooLarge: (limit: number): ApiError =>
    relayError(
      "E413",
      `The result is larger than this relay's limit of ${limit} bytes (RELAY_MAX_CALLBACK_BYTES).`,
      "Raise RELAY_MAX_CALLBACK_BYTES on the relay, or ask for a smaller result (fewer dimensions or a shorter period)."
    ),
  infobipUnreachable: (connection: string, target: string, reason: string): ApiError =>
    relayError(
      "E502",
      `The relay could not reach Infobip at ${target} (connection ${connection}): ${reason}.`,
      `Try again in a moment. If it persists, check the base URL of connection ${connection} in the relay's ` +
        "INFOBIP_BASE_URL or INFOBIP_CONNECTIONS, and its network access."
    ),
  infobipNoAnswer: (seconds: number): ApiError =>
    relayError(
      "E504",
      `Infobip was reached but did not answer within ${seconds} seconds (RELAY_INFOBIP_TIMEOUT_SECONDS), so whether it accepted the check is unknown.`,
      "Try again in a moment. If it persists, Infobip is slow: raise RELAY_INFOBIP_TIMEOUT_SECONDS on the relay."
    ),
  infobipUnexpected: (connection: string, detail: string): ApiError =>
    relayError(
      "E502",
      `Infobip's answer on connection ${connection} was not one the relay understands: ${detail}.`,
      `Check the base URL of connection ${connection} in the relay's INFOBIP_BASE_URL or INFOBIP_CONNECTIONS: it ` +
        "must be your account's base URL, such as https://xxxxx.api.infobip.com."
    ),
  tooManySubmissions: (perSecond: number, retryAfterSeconds: number): ApiError =>
    apiError("tooManyRequests", {
      description: `Too many queries from this API key: the relay sends at most ${perSecond} per second to Infobip, which allows 60.`,
      action: `Wait ${seconds(retryAfterSeconds)} (Retry-After), then submit again.`,
    }),
  tooManyReads: (perMinute: number, retryAfterSeconds: number): ApiError =>
    apiError("tooManyRequests", {
      description: `Too many calls from this API key: the relay answers at most ${perMinute} per minute.`,
      action: `Wait ${seconds(retryAfterSeconds)} (Retry-After), then try again; read rows in larger pages.`,
    }),
  tooManyNotFound: (perMinute: number, retryAfterSeconds: number): ApiError =>
    apiError("tooManyRequests", {
      description: `Too many requests for unknown addresses from this client: the relay answers at most ${perMinute} per minute.`,
      action: `Wait ${seconds(retryAfterSeconds)} (Retry-After), and check the path against the relay's README.`,
    }),
  bodyTooSlow: (reason: "idle" | "deadline"): ApiError =>
    relayError(
      "E408",
      reason === "idle"
        ? "The request body stalled: no data arrived for RELAY_BODY_IDLE_TIMEOUT_SECONDS, so the relay closed the connection."
        : "The request body did not arrive in time (RELAY_REQUEST_TIMEOUT_SECONDS, or RELAY_CALLBACK_REQUEST_TIMEOUT_SECONDS for callbacks), so the relay closed the connection.",
      "Send the whole request without pausing, then try again."
    ),
  tooManyAuthFailures: (perMinute: number, retryAfterSeconds: number): ApiError =>
    apiError("tooManyRequests", {
      description: `Too many requests without a valid API key or for unknown queries from this client: the relay allows ${perMinute} per minute.`,
      action: `Wait ${seconds(retryAfterSeconds)} (Retry-After), then check the API key the add-in uses.`,
    }),
  tooManySubmissionsOverall: (perSecond: number, retryAfterSeconds: number): ApiError =>
    apiError("tooManyRequests", {
      description: `The relay is sending as many queries to Infobip as it allows (${perSecond} per second for all keys together).`,
      action: `Wait ${seconds(retryAfterSeconds)} (Retry-After), then submit again.`,
    }),
  storageFull: (): ApiError =>
    relayError(
      "E503",
      "The relay cannot store anything right now: its disk is full. Nothing was stored for this request.",
      "Try again after Retry-After seconds. Relay operators: free space on RELAY_DATA_DIR's disk (or delete old " +
        "queries); the relay notices by itself."
    ),
  callbackNotStored: (): ApiError =>
    relayError(
      "E503",
      "The relay could not store this result (its store failed, usually for a full disk); nothing of it was kept.",
      "Send the same result again after Retry-After seconds."
    ),
  notReadyToServe: (why: string): ApiError =>
    relayError(
      "E503",
      `The relay is not ready: ${why}.`,
      "Send traffic to another instance. Relay operators: free space on the store's disk; the relay notices by itself."
    ),
  internal: (): ApiError => apiError("internal", { action: "Try again; if it persists, see the relay's log." }),
  badRequest: (violations: readonly Violation[]): ApiError => badRequest(violations),
  clientError: (statusCode: number, description: string): ApiError =>
    relayError(`E${statusCode}`, description, "Check the request against the relay's README."),
};

/** Seconds a caller is told to wait after a 503 for a full disk: about what freeing space takes an operator. */
export const STORAGE_RETRY_AFTER_SECONDS = 60;

/** The message the query shows when its callback was refused for its size. */
export function tooLargeFailureMessage(limit: number): string {
  return `The result Infobip sent was larger than this relay's limit of ${limit} bytes (RELAY_MAX_CALLBACK_BYTES), so it was refused and is lost; raise the limit or run a smaller query, then run it again.`;
}
