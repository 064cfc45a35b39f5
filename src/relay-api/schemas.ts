/**
 * The shapes of the relay's `/v1` API: what a caller sends (path parameters, query strings, bodies) and what the
 * relay answers. The relay registers them on its routes, the task pane parses every answer with them, and the
 * OpenAPI document is generated from them.
 *
 * Request schemas carry the rules (a query ID's form, the range of `wait`, the label's length); answer schemas
 * describe what the relay sends and nothing stricter, so a value stored under an older rule (a label or request
 * accepted before a rule changed) can still be answered.
 *
 * Schemas with an `id` become named components of the OpenAPI document; their `.meta()` descriptions are its text.
 */
import { z } from "zod";
import {
  ApiErrorSchema as BillingApiErrorSchema,
  BillingUsageMetadataSchema,
  BillingUsageQuerySchema,
  ColumnInfoSchema as BillingColumnInfoSchema,
  DateTimeIntervalSchema as BillingDateTimeIntervalSchema,
  lengthRule,
  RawCellSchema,
} from "../billing";
import {
  DEFAULT_PAGE_ROWS,
  LIST_LIMIT,
  MAX_CONNECTION_NAME_LENGTH,
  MAX_CONNECTIONS,
  MAX_LABEL_LENGTH,
  MAX_PAGE_ROWS,
  MAX_WAIT_SECONDS,
} from "./limits";

// Named copies of `src/billing`'s schemas (same rules; `.meta()` returns a copy, the originals stay unnamed).

export const ApiErrorSchema = BillingApiErrorSchema.meta({
  id: "ApiError",
  description:
    "Infobip's ApiError envelope, used by every error answer of the relay and by Infobip's errors it passes on: " +
    "violations name each refused field and its rule.",
});
const ColumnInfoSchema = BillingColumnInfoSchema.meta({ id: "ColumnInfo", description: "A result column." });
const DateTimeIntervalSchema = BillingDateTimeIntervalSchema.meta({
  id: "DateTimeInterval",
  description: "A period as Infobip writes it: sentSince inclusive, sentUntil exclusive.",
});
const MetadataSchema = BillingUsageMetadataSchema.meta({
  id: "BillingUsageMetadata",
  description: "The period the caller asked for and, per billing month, whether its volume is final.",
});

// Atoms

export const QUERY_STATUSES = ["pending", "succeeded", "failed", "unreadable"] as const;

export const QueryStatusSchema = z.enum(QUERY_STATUSES).meta({
  description:
    "pending: waiting for Infobip's result; succeeded: rows can be read; failed: Infobip reported a failure " +
    "(failureMessage); unreadable: what Infobip sent could not be read (failureMessage; the bytes are at /raw).",
});
export type QueryStatus = z.infer<typeof QueryStatusSchema>;

export const INFOBIP_ANSWERS = ["accepted", "unknown"] as const;

/**
 * Whether Infobip answered the submission. `unknown`: Infobip was reached but did not answer within the relay's
 * RELAY_INFOBIP_TIMEOUT_SECONDS (or the answer is still awaited), so it may or may not have accepted the query;
 * the relay keeps it (status pending) and accepts its result if it comes, and it becomes overdue like any pending
 * query. Deleting it is how a caller gives up on it.
 */
export const InfobipAnswerSchema = z.enum(INFOBIP_ANSWERS).meta({
  description:
    "accepted: Infobip accepted the query (or its result arrived). unknown: Infobip was reached but did not " +
    "answer in time; the result may still arrive, and is accepted if it does. Wait for it, or DELETE the query.",
});
export type InfobipAnswer = z.infer<typeof InfobipAnswerSchema>;

export const QueryIdSchema = z
  .uuid({ error: "must be a query ID as returned by POST /v1/queries" })
  .meta({ description: "The query's ID, as POST /v1/queries answered it." });

/** Instants as the relay writes them: `Date.prototype.toISOString()`, UTC. */
const InstantSchema = z.iso.datetime();

export const QueryLabelSchema = z
  .string()
  .trim()
  .max(MAX_LABEL_LENGTH, lengthRule(`must be at most ${MAX_LABEL_LENGTH} characters`))
  .meta({ description: `A name for the query, at most ${MAX_LABEL_LENGTH} characters (trimmed).` });

/**
 * A query-string number: digits only (no sign, exponent, spaces or empty value), then a range. Documented as the
 * integer it means (the preprocessing step is not part of the schema's JSON form), so OpenAPI states its range.
 */
function wholeNumberParam(min: number, max: number, fallback: number, description: string) {
  const rule = `must be a whole number from ${min} to ${max}`;
  return z
    .preprocess(
      (value) => (typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value),
      z.number({ error: rule }).int(rule).min(min, rule).max(max, rule).default(fallback)
    )
    .meta({ description });
}

/**
 * The name of an Infobip connection the relay's operator configured (`INFOBIP_CONNECTIONS`): lower-case letters,
 * digits and hyphens, starting with a letter. A caller only ever names one; the relay maps it to its base URL, so no
 * URL from a request is ever followed.
 */
export const CONNECTION_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
const connectionNameRule =
  `must be a connection name: lower-case letters, digits and hyphens, starting with a letter, ` +
  `at most ${MAX_CONNECTION_NAME_LENGTH} characters`;
export const ConnectionNameSchema = z
  .string({ error: connectionNameRule })
  .min(1, connectionNameRule)
  .max(MAX_CONNECTION_NAME_LENGTH, connectionNameRule)
  .regex(CONNECTION_NAME_PATTERN, connectionNameRule)
  .meta({ description: "The name of one of the relay's Infobip connections, as GET /v1/connections lists them." });
export type ConnectionName = z.infer<typeof ConnectionNameSchema>;

// Requests

/** Path of every call about one query. */
export const QueryIdParamsSchema = z.object({ id: QueryIdSchema });

/** `GET /v1/queries/{id}?wait=` */
export const QueryWaitQuerySchema = z.object({
  wait: wholeNumberParam(
    0,
    MAX_WAIT_SECONDS,
    0,
    "Seconds to hold the answer while the query is pending; it comes at once when the result has been read."
  ),
});

/** `GET /v1/queries/{id}/rows?offset=&limit=` */
export const RowsPageQuerySchema = z.object({
  offset: wholeNumberParam(0, Number.MAX_SAFE_INTEGER, 0, "Index of the first row of the page."),
  limit: wholeNumberParam(1, MAX_PAGE_ROWS, DEFAULT_PAGE_ROWS, "Rows in the page."),
});

/**
 * `POST /v1/queries`: the query in Infobip's `request` shape, checked with `src/billing`'s rules, and an optional
 * label. Unknown properties are refused, as everywhere in a query.
 */
export const QuerySubmissionSchema = z
  .strictObject({
    request: BillingUsageQuerySchema,
    label: QueryLabelSchema.nullish(),
    connection: ConnectionNameSchema.nullish().meta({
      description: "The Infobip connection to run the query on (GET /v1/connections); absent: the default one.",
    }),
  })
  .meta({
    description:
      "A billing usage query (Infobip's QueryBillingUsageApiRequest, checked with the same rules: dates within " +
      "the retention window, at most 3 months, no unknown properties), an optional label and an optional connection.",
  });
export type QuerySubmission = z.input<typeof QuerySubmissionSchema>;

// Answers

/** `202` of `POST /v1/queries`. */
export const SubmittedQuerySchema = z
  .object({
    id: QueryIdSchema,
    requestId: z
      .string()
      .min(1)
      .nullable()
      .meta({ description: "Infobip's requestId; null when Infobip did not answer in time (infobipAnswer unknown)." }),
    status: QueryStatusSchema,
    infobipAnswer: InfobipAnswerSchema,
    createdAt: InstantSchema,
    connection: z.string().meta({ description: "The Infobip connection the query was sent to." }),
  })
  .meta({
    id: "SubmittedQuery",
    description:
      "The query is kept and followed with GET /v1/queries/{id}: Infobip accepted it (infobipAnswer accepted), or " +
      "did not answer in time (unknown: its result may still arrive).",
  });
export type SubmittedQuery = z.infer<typeof SubmittedQuerySchema>;

/**
 * The request as it was submitted. Promised only as an object: it was valid by the rules of its day, and is checked
 * again before it is run again (the retention window moves with the clock).
 */
const SubmittedRequestSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: "The request part as submitted (a BillingUsageQuery), so it can be run again." });

/** `GET /v1/queries/{id}`: where a query stands, and the result's shape once it has succeeded. */
export const QueryStateSchema = z
  .object({
    id: QueryIdSchema,
    requestId: z.string().nullable().meta({ description: "Infobip's requestId; null until Infobip accepted it." }),
    label: z.string().nullable(),
    connection: z.string().meta({ description: "The Infobip connection the query was sent to." }),
    status: QueryStatusSchema,
    infobipAnswer: InfobipAnswerSchema,
    createdAt: InstantSchema,
    completedAt: InstantSchema.nullable(),
    totalRows: z.number().int().nonnegative().nullable(),
    columns: z.array(ColumnInfoSchema).nullable(),
    metadata: MetadataSchema.nullable(),
    requestedPeriod: DateTimeIntervalSchema.nullable().meta({
      description: "The period Infobip used (aligned to the granularity, or trimmed to finalized months).",
    }),
    failureMessage: z.string().nullable(),
    overdue: z.boolean().meta({
      description:
        "Still pending long after submission (RELAY_CALLBACK_TIMEOUT_MINUTES): Infobip delivers once and never " +
        "again, so it may never come; run the query again. A late result is still accepted.",
    }),
    expiresAt: InstantSchema.meta({ description: "When the relay deletes the query and its result." }),
    request: SubmittedRequestSchema,
  })
  .meta({ id: "QueryState", description: "A query of the caller and where it stands." });
export type QueryState = z.infer<typeof QueryStateSchema>;

/** `GET /v1/queries` */
export const QueryListSchema = z
  .object({ queries: z.array(QueryStateSchema).max(LIST_LIMIT) })
  .meta({ id: "QueryList", description: `The caller's ${LIST_LIMIT} most recent queries, newest first.` });
export type QueryList = z.infer<typeof QueryListSchema>;

/**
 * `GET /v1/queries/{id}/rows`: one page of the result's rows, each as Infobip delivered it (cells in the order of
 * `columns`). The relay assembles this answer as text from the stored rows; its shape is this schema.
 */
export const RowsPageSchema = z
  .object({
    offset: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(MAX_PAGE_ROWS),
    totalRows: z.number().int().nonnegative(),
    columns: z.array(ColumnInfoSchema),
    requestedPeriod: DateTimeIntervalSchema.nullable(),
    rows: z.array(z.array(RawCellSchema)).max(MAX_PAGE_ROWS),
  })
  .meta({ id: "RowsPage", description: "One page of rows; fewer than limit (or none) past the end." });
export type RowsPage = z.infer<typeof RowsPageSchema>;

/** `POST /v1/connection-check` */
export const ConnectionCheckResultSchema = z
  .object({
    ok: z.literal(true),
    id: QueryIdSchema,
    requestId: z.string().min(1),
  })
  .meta({
    id: "ConnectionCheckResult",
    description: "Infobip accepted a real, tiny query with the caller's key (kept out of GET /v1/queries).",
  });
export type ConnectionCheckResult = z.infer<typeof ConnectionCheckResultSchema>;

/** `GET /v1/connections`: the Infobip connections this relay's operator configured; exactly one is the default. */
export const ConnectionListSchema = z
  .object({
    connections: z
      .array(
        z.object({
          name: z.string(),
          default: z.boolean().meta({ description: "The connection a query without `connection` runs on." }),
        })
      )
      .min(1)
      .max(MAX_CONNECTIONS),
  })
  .meta({
    id: "ConnectionList",
    description:
      "The relay's Infobip connections (accounts or data centres), by name only: their base URLs stay with the " +
      "operator.",
  });
export type ConnectionList = z.infer<typeof ConnectionListSchema>;

/** `POST /v1/connection-check?connection=`: which connection to test the key on (absent: the default). */
export const ConnectionQuerySchema = z.object({ connection: ConnectionNameSchema.optional() });
