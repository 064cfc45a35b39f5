/**
 * The API the task pane uses, under `/v1`. Every call carries the user's Infobip credential in
 * `Authorization` (401 without one); a query is visible only to the credential that submitted it, and an
 * unknown ID and another key's query get the same 404. Each call opts into its rate limit (plugins/rate-limit.ts):
 * the two that reach Infobip share the per-key submission budget, the others the per-key read budget.
 */
import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { resolvePreset, validateQuery, type BillingUsageQuery, type Violation } from "../../billing";
import { readCredential, type Credential } from "../credentials";
import { relayErrors, RelayHttpError } from "../errors";
import type { StoredQuery } from "../store";
import { submitQuery } from "../submission";
import { publicStatus, queryView } from "../views";

export const MAX_WAIT_SECONDS = 30;
export const MAX_PAGE_ROWS = 10_000;
export const DEFAULT_PAGE_ROWS = 1_000;
export const LIST_LIMIT = 100;
export const MAX_LABEL_LENGTH = 200;

const QueryIdParams = z.object({
  id: z.uuid({ error: "must be a query ID as returned by POST /v1/queries" }),
});
type QueryIdParams = z.infer<typeof QueryIdParams>;

/** A query-string number: digits only, then a range. */
function wholeNumberParam(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`)
    .optional()
    .transform((n) => n ?? fallback);
}

const WaitQuery = z.object({ wait: wholeNumberParam(0, MAX_WAIT_SECONDS, 0) });
const RowsQuery = z.object({
  offset: wholeNumberParam(0, Number.MAX_SAFE_INTEGER, 0),
  limit: wholeNumberParam(1, MAX_PAGE_ROWS, DEFAULT_PAGE_ROWS),
});

const SubmissionBody = z.strictObject({
  request: z.unknown(),
  label: z.string().trim().max(MAX_LABEL_LENGTH, `must be at most ${MAX_LABEL_LENGTH} characters`).nullish(),
});

function credentialOf(request: FastifyRequest): Credential {
  if (request.credential === null) throw new RelayHttpError(401, relayErrors.missingKey());
  return request.credential;
}

/** The query if it belongs to the caller; the same 404 otherwise. */
async function ownedQuery(app: FastifyInstance, request: FastifyRequest, id: string): Promise<StoredQuery> {
  const query = await app.store.getQuery(id);
  if (query === undefined || query.owner !== credentialOf(request).owner) {
    throw new RelayHttpError(404, relayErrors.queryNotFound());
  }
  return query;
}

/** Reads `{request, label?}`, then the request with `src/billing`'s rules: every violation at once. */
function readSubmission(body: unknown, now: Date): { request: BillingUsageQuery; label: string | null } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RelayHttpError(
      400,
      relayErrors.badRequest([{ property: "body", violation: "must be a JSON object: {request, label?}" }])
    );
  }
  const violations: Violation[] = [];
  const shape = SubmissionBody.safeParse(body);
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys)
          violations.push({ property: key, violation: "is not a known property; send request and label only" });
      } else {
        violations.push({ property: issue.path.join("."), violation: issue.message });
      }
    }
  }
  const checked = validateQuery((body as { request?: unknown }).request, now, ["request"]);
  if (!checked.ok) violations.push(...checked.violations);
  if (violations.length > 0 || !checked.ok || !shape.success)
    throw new RelayHttpError(400, relayErrors.badRequest(violations));
  return { request: checked.value, label: shape.data.label ?? null };
}

function rowsPageJson(offset: number, limit: number, query: StoredQuery, rows: string[]): string {
  // Rows are stored as JSON array texts: the page is assembled without parsing them again.
  return (
    `{"offset":${offset},"limit":${limit},"totalRows":${query.totalRows ?? 0},` +
    `"columns":${JSON.stringify(query.columns)},"requestedPeriod":${JSON.stringify(query.requestedPeriod)},` +
    `"rows":[${rows.join(",")}]}`
  );
}

function rawBytes(app: FastifyInstance, deliveryId: string, chunkCount: number): Readable {
  return Readable.from(
    (async function* () {
      for (let seq = 0; seq < chunkCount; seq++) {
        const chunk = await app.store.readChunk(deliveryId, seq);
        if (chunk === undefined) throw new Error("the result was deleted while it was being sent");
        yield chunk;
      }
    })()
  );
}

/** Aborts when the caller goes away, so a long-poll does not outlive its connection. */
function abortOnDisconnect(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once("close", () => controller.abort());
  return controller.signal;
}

export default async function queryRoutes(app: FastifyInstance): Promise<void> {
  app.decorateRequest("credential", null);
  app.addHook("onRequest", async (request) => {
    const reading = readCredential(request.headers.authorization, app.keyHashSecret);
    if (reading.kind === "missing") throw new RelayHttpError(401, relayErrors.missingKey());
    if (reading.kind === "malformed") throw new RelayHttpError(401, relayErrors.malformedKey());
    request.credential = reading.credential;
  });

  const timeoutMinutes = app.relayConfig.callbackTimeoutMinutes;
  const submission = { onRequest: app.rateLimits.submissions };
  const read = { onRequest: app.rateLimits.reads };

  app.post("/queries", submission, async (request, reply) => {
    const now = app.clock();
    const { request: query, label } = readSubmission(request.body, now);
    const submitted = await submitQuery(app, credentialOf(request), query, { label, hidden: false });
    const stored = await app.store.getQuery(submitted.id);
    return reply.code(202).send({
      id: submitted.id,
      requestId: submitted.requestId,
      status: stored === undefined ? "pending" : publicStatus(stored),
      createdAt: submitted.createdAt.toISOString(),
    });
  });

  app.get("/queries", read, async (request) => {
    const now = app.clock();
    const queries = await app.store.listQueries(credentialOf(request).owner, LIST_LIMIT);
    return { queries: queries.map((query) => queryView(query, now, timeoutMinutes)) };
  });

  app.get<{ Params: QueryIdParams; Querystring: z.infer<typeof WaitQuery> }>(
    "/queries/:id",
    { ...read, schema: { params: QueryIdParams, querystring: WaitQuery } },
    async (request, reply) => {
      const { id } = request.params;
      let query = await ownedQuery(app, request, id);
      if (request.query.wait > 0 && publicStatus(query) === "pending") {
        await app.settlements.wait(id, request.query.wait * 1000, abortOnDisconnect(reply));
        query = await ownedQuery(app, request, id);
      }
      return queryView(query, app.clock(), timeoutMinutes);
    }
  );

  app.get<{ Params: QueryIdParams; Querystring: z.infer<typeof RowsQuery> }>(
    "/queries/:id/rows",
    { ...read, schema: { params: QueryIdParams, querystring: RowsQuery } },
    async (request, reply) => {
      const query = await ownedQuery(app, request, request.params.id);
      const status = publicStatus(query);
      if (status !== "succeeded") throw new RelayHttpError(409, relayErrors.notReady(status));
      const { offset, limit } = request.query;
      const rows = await app.store.readRows(query.id, offset, limit);
      return reply.type("application/json; charset=utf-8").send(rowsPageJson(offset, limit, query, rows));
    }
  );

  app.get<{ Params: QueryIdParams }>(
    "/queries/:id/raw",
    { ...read, schema: { params: QueryIdParams } },
    async (request, reply) => {
      const query = await ownedQuery(app, request, request.params.id);
      const raw = await app.store.rawDelivery(query.id);
      if (raw === undefined) throw new RelayHttpError(409, relayErrors.noRawResult());
      // Exactly the bytes Infobip sent, never interpreted by the browser as anything but data.
      return reply
        .type(query.state === "unreadable" ? "application/octet-stream" : "application/json")
        .header("content-length", String(raw.byteLength))
        .header("content-disposition", `attachment; filename="billing-usage-${query.id}.json"`)
        .header("x-content-type-options", "nosniff")
        .send(rawBytes(app, raw.deliveryId, raw.chunkCount));
    }
  );

  app.delete<{ Params: QueryIdParams }>(
    "/queries/:id",
    { ...read, schema: { params: QueryIdParams } },
    async (request, reply) => {
      const query = await ownedQuery(app, request, request.params.id);
      await app.store.deleteQuery(query.id);
      app.settlements.notify(query.id);
      app.log.info({ queryId: query.id }, "query deleted by its owner");
      return reply.code(204).send();
    }
  );

  /**
   * "Test connection" for the task pane: submits a real, tiny query (this month, by MONTH) with the caller's
   * key, because Infobip's Billing Usage API has no cheaper way to prove a key and its scope. Its result is
   * stored like any other but kept out of GET /v1/queries, and expires with the TTL.
   */
  app.post("/connection-check", submission, async (request) => {
    const now = app.clock();
    const submitted = await submitQuery(
      app,
      credentialOf(request),
      { filterBy: { dateInterval: resolvePreset("this-month", now) }, aggregateBy: ["MONTH"] },
      { label: "connection check", hidden: true }
    );
    return { ok: true, id: submitted.id, requestId: submitted.requestId };
  });
}
