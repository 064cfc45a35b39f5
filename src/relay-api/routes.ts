/**
 * Every `/v1` route of the relay: method, URL, and its schemas — path parameters, query string, body, and each
 * answer by status, errors included — with the words of the OpenAPI document. The relay registers exactly these
 * (`src/relay/routes/queries.ts`), the task pane builds its calls and reads their answers from them
 * (`src/taskpane/relay-client.ts`), and `GET /v1/openapi.json` is generated from them.
 *
 * Answers keyed `4xx` / `5xx` cover every other status of that class; all of them are `ApiError`s, except the 503
 * a relay that is shutting down answers by itself before any route runs.
 */
import { z } from "zod";
import { BillingUsageResultSchema } from "../billing";
import { MAX_WAIT_SECONDS } from "./limits";
import {
  ApiErrorSchema,
  ConnectionCheckResultSchema,
  ConnectionListSchema,
  ConnectionQuerySchema,
  QueryIdParamsSchema,
  QueryListSchema,
  QueryStateSchema,
  QuerySubmissionSchema,
  QueryWaitQuerySchema,
  RowsPageQuerySchema,
  RowsPageSchema,
  SubmittedQuerySchema,
} from "./schemas";

/** The name of the API key scheme in the OpenAPI document. */
export const API_KEY_SCHEME = "infobipApiKey";

/** How a caller authenticates: its own Infobip API key, which the relay forwards to Infobip and never keeps. */
export const API_KEY_SECURITY_SCHEME = {
  type: "apiKey",
  in: "header",
  name: "Authorization",
  description:
    "Your Infobip API key, as `App <key>` (Infobip's Basic, IBSSO and Bearer credentials are accepted too). " +
    "It needs the billing:usage:view scope. The relay forwards it to Infobip and keeps only a keyed hash of it, " +
    "to show each query to the key that submitted it.",
} as const;

/** An answer that documents content types itself (the raw result is JSON or bytes). */
interface ContentAnswer {
  description: string;
  content: Record<string, { schema: z.ZodType }>;
}

interface RouteSchema {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  /** `[]` for a route that needs no key; absent: the API key (the document's default). */
  security?: never[];
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  response: Record<number | `${number}xx`, z.ZodType | ContentAnswer>;
}

function route<M extends "GET" | "POST" | "DELETE", U extends string, S extends RouteSchema>(
  method: M,
  url: U,
  schema: S
): { method: M; url: U; schema: S } {
  return { method, url, schema };
}

/** An answer's schema with the words that describe this answer (the schema's own stay on its component). */
function answer<T extends z.ZodType>(schema: T, description: string): T {
  return schema.meta({ description });
}

function errorAnswer(description: string) {
  return ApiErrorSchema.meta({ description });
}

const RETRY_AFTER = {
  "Retry-After": { type: "integer", minimum: 1, description: "Whole seconds to wait before trying again." },
};

const badParameters = errorAnswer(
  "A path parameter or query string value is wrong: each violation names the parameter and its rule."
);
const noKey = errorAnswer(
  "No Authorization header, or one that is not an Infobip credential (`App <key>`). Nothing was looked up."
);
const unknownQuery = errorAnswer(
  "No such query for this key: unknown, expired, deleted, or submitted with another key (the same answer for all)."
);
const tooManyCalls = ApiErrorSchema.meta({
  description:
    "Too many calls from this key (RELAY_READ_RATE_PER_MINUTE), or too many failed authentications from this " +
    "client's IP address this minute (RELAY_AUTH_FAILURE_RATE_PER_MINUTE: requests without a usable key, keys " +
    "Infobip refused, unknown queries), after which every call from that address waits. Wait Retry-After seconds.",
  headers: RETRY_AFTER,
});
const otherRefusal = errorAnswer(
  "Any other refusal of the request as sent, such as a body over 1 MiB (413), not sent as JSON (415), a body that " +
    "stalled or did not arrive in time (408: RELAY_BODY_IDLE_TIMEOUT_SECONDS, RELAY_REQUEST_TIMEOUT_SECONDS; the " +
    "connection is closed), headers too large (431) or a malformed path (400). The URL is never repeated."
);
const relayFailure = errorAnswer("The relay failed (500); its log says why. Try again.");

/** Answers shared by the calls that reach Infobip, which passes its own refusals through the relay. */
const infobipAnswers = {
  401: errorAnswer(
    "No or malformed Authorization header, or Infobip did not accept the key (Infobip's 401, passed through)."
  ),
  403: errorAnswer("Infobip refused the key: it lacks the billing:usage:view scope (Infobip's 403, passed through)."),
  429: ApiErrorSchema.meta({
    description:
      "Too many submissions: from this key (RELAY_SUBMIT_RATE_PER_SECOND), from all keys together " +
      "(RELAY_GLOBAL_SUBMIT_RATE_PER_SECOND), or too many failed authentications from this client's IP address " +
      "this minute (RELAY_AUTH_FAILURE_RATE_PER_MINUTE) — in each case nothing was sent to Infobip — or Infobip's " +
      "own 429, passed through. Wait Retry-After seconds.",
    headers: RETRY_AFTER,
  }),
  "4xx": otherRefusal,
  "5xx": errorAnswer(
    "Infobip failed (its 5xx, passed through), or could not be reached, answered too slowly or answered " +
      "something the relay cannot use (502, saying which), or the relay failed (500). Try again later; if it " +
      "persists, check the relay's INFOBIP_BASE_URL and its log."
  ),
};

export const relayApi = {
  submitQuery: route("POST", "/v1/queries", {
    operationId: "submitQuery",
    tags: ["queries"],
    summary: "Submit a billing usage query",
    description:
      "Checks the query with the Billing Usage rules, stores it, and forwards it to Infobip with the caller's " +
      "Authorization header and a callback address of the relay that only this query knows. Follow it with " +
      "GET /v1/queries/{id}. When Infobip is reached but does not answer within RELAY_INFOBIP_TIMEOUT_SECONDS, " +
      "nothing is lost: the answer is still 202, with requestId null and infobipAnswer unknown, the query is kept " +
      "and its result accepted if Infobip delivers it; wait for it (it becomes overdue like any pending query) or " +
      "DELETE it. Only an Infobip that could not be reached at all (no connection) answers 502, keeping nothing.",
    body: QuerySubmissionSchema,
    response: {
      202: answer(
        SubmittedQuerySchema,
        "Infobip accepted the query, or did not answer in time (infobipAnswer unknown): follow it with GET /v1/queries/{id}."
      ),
      400: errorAnswer(
        "The body is not a valid submission: every violation at once, each naming the field and its rule (an " +
          "unknown connection names `connection`); nothing was sent to Infobip. Or Infobip's own 400, passed through."
      ),
      ...infobipAnswers,
    },
  }),

  listQueries: route("GET", "/v1/queries", {
    operationId: "listQueries",
    tags: ["queries"],
    summary: "List the caller's recent queries",
    description:
      "The queries submitted with this key, newest first, so a reopened task pane finds results it missed. " +
      "Connection checks are not listed.",
    response: {
      200: answer(QueryListSchema, "The caller's queries."),
      401: noKey,
      429: tooManyCalls,
      "4xx": otherRefusal,
      "5xx": relayFailure,
    },
  }),

  getQuery: route("GET", "/v1/queries/:id", {
    operationId: "getQuery",
    tags: ["queries"],
    summary: "Where a query stands",
    description:
      `With wait (at most ${MAX_WAIT_SECONDS} seconds) a pending query's answer is held until its result has ` +
      "been read or the time has passed (a long-poll; it counts as one call).",
    params: QueryIdParamsSchema,
    querystring: QueryWaitQuerySchema,
    response: {
      200: answer(
        QueryStateSchema,
        "The query's state: pending, succeeded (its rows can be read), failed or unreadable."
      ),
      400: badParameters,
      401: noKey,
      404: unknownQuery,
      429: tooManyCalls,
      "4xx": otherRefusal,
      "5xx": relayFailure,
    },
  }),

  getRows: route("GET", "/v1/queries/:id/rows", {
    operationId: "getRows",
    tags: ["queries"],
    summary: "A page of a succeeded query's rows",
    description: "Rows offset to offset + limit − 1, in the order Infobip delivered them.",
    params: QueryIdParamsSchema,
    querystring: RowsPageQuerySchema,
    response: {
      200: answer(RowsPageSchema, "A page of rows; fewer than limit, or none, past the end."),
      400: badParameters,
      401: noKey,
      404: unknownQuery,
      409: errorAnswer("The query has no rows: it is still pending, or it failed or was unreadable (see its state)."),
      429: tooManyCalls,
      "4xx": otherRefusal,
      "5xx": relayFailure,
    },
  }),

  getRawResult: route("GET", "/v1/queries/:id/raw", {
    operationId: "getRawResult",
    tags: ["queries"],
    summary: "The result exactly as Infobip delivered it",
    description: "The stored bytes of Infobip's callback, as a download, whatever the query's status.",
    params: QueryIdParamsSchema,
    response: {
      200: {
        description:
          "The bytes Infobip sent: application/json when they were read as a result (succeeded or failed), " +
          "application/octet-stream when they could not be (unreadable).",
        content: {
          "application/json": { schema: BillingUsageResultSchema.meta({ id: "BillingUsageResult" }) },
          "application/octet-stream": { schema: z.string().meta({ description: "The bytes as delivered." }) },
        },
      },
      400: badParameters,
      401: noKey,
      404: unknownQuery,
      409: errorAnswer("Nothing has been delivered for this query yet."),
      429: tooManyCalls,
      "4xx": otherRefusal,
      "5xx": relayFailure,
    },
  }),

  deleteQuery: route("DELETE", "/v1/queries/:id", {
    operationId: "deleteQuery",
    tags: ["queries"],
    summary: "Delete a query and its result",
    description:
      "The query, the bytes Infobip sent and its rows are deleted at once, and its callback address stops working.",
    params: QueryIdParamsSchema,
    response: {
      204: z.undefined().meta({ description: "Deleted." }),
      400: badParameters,
      401: noKey,
      404: unknownQuery,
      429: tooManyCalls,
      "4xx": otherRefusal,
      "5xx": relayFailure,
    },
  }),

  checkConnection: route("POST", "/v1/connection-check", {
    operationId: "checkConnection",
    tags: ["connection"],
    summary: "Test an API key with Infobip",
    description:
      "Submits a real, tiny query with the caller's key — last month, by MONTH: a period wholly in the past and " +
      "within the retention window — because Infobip's Billing Usage API has no cheaper way to prove a key and " +
      "its scope. It costs one Infobip call; its result is kept out of GET /v1/queries and expires with the others. " +
      "No body is needed; `connection` picks the Infobip connection (absent: the default).",
    querystring: ConnectionQuerySchema,
    response: {
      200: answer(ConnectionCheckResultSchema, "Infobip accepted the key: the relay can be reached and the key works."),
      400: errorAnswer(
        "The connection is not one of the relay's (the violation names `connection`; nothing was sent), or Infobip " +
          "refused the check's query (Infobip's 400, passed through)."
      ),
      ...infobipAnswers,
    },
  }),

  listConnections: route("GET", "/v1/connections", {
    operationId: "listConnections",
    tags: ["connection"],
    summary: "The relay's Infobip connections",
    description:
      "The names of the Infobip accounts or data centres this relay's operator configured (INFOBIP_CONNECTIONS, " +
      "or INFOBIP_BASE_URL alone as the one default connection), and which one is the default. No key needed: " +
      "the pane shows them before any key is entered; base URLs are never listed.",
    security: [],
    response: {
      200: answer(ConnectionListSchema, "The connections, the default among them."),
      "4xx": otherRefusal,
      "5xx": relayFailure,
    },
  }),

  openApiDocument: route("GET", "/v1/openapi.json", {
    operationId: "getOpenApiDocument",
    tags: ["documentation"],
    summary: "This document",
    description: "The relay's API as OpenAPI 3.1, generated from the same schemas the relay checks. No key needed.",
    security: [],
    response: {
      200: z
        .looseObject({ openapi: z.string() })
        .meta({ description: "An OpenAPI 3.1 document (JSON Schema 2020-12)." }),
    },
  }),
};

/** A route's URL with its parameters filled in and encoded: `/v1/queries/:id` → `/v1/queries/3f0…`. */
export function relayPath(url: string, params: Readonly<Record<string, string>> = {}): string {
  return url.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new RangeError(`${url} needs its ${name}`);
    return encodeURIComponent(value);
  });
}
