/**
 * The API the task pane uses, under `/v1`, as its contract declares it (`src/relay-api`: each route's URL and
 * schemas, registered here through the zod type provider, so handlers return the contract's types and answers are
 * encoded by its schemas). Every call carries the user's Infobip credential in
 * `Authorization` (401 without one); a query is visible only to the credential that submitted it, and an
 * unknown ID and another key's query get the same 404. Each call opts into its rate limit (plugins/rate-limit.ts):
 * the two that reach Infobip share the per-key submission budget, the others the per-key read budget.
 */
import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { resolvePreset } from "../../billing";
import type { z } from "zod";
import {
  LIST_LIMIT,
  relayApi,
  type QueryIdParamsSchema,
  type RowsPage,
  type RowsPageQuerySchema,
} from "../../relay-api";
import { readCredential, type Credential } from "../credentials";
import { relayErrors, RelayHttpError } from "../errors";
import type { StoredQuery } from "../store";
import { submitQuery } from "../submission";
import { submissionValidatorCompiler } from "../validation";
import { infobipAnswer, publicStatus, queryView } from "../views";

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

/**
 * A {@link RowsPage} as JSON text. Rows are stored as JSON array texts, so they are joined as they are instead of
 * being parsed and written again; the rest is typed by the contract and written by `JSON.stringify`.
 */
function rowsPageJson(offset: number, limit: number, query: StoredQuery, rows: string[]): string {
  const page: Omit<RowsPage, "rows"> = {
    offset,
    limit,
    totalRows: query.totalRows ?? 0,
    columns: query.columns ?? [],
    requestedPeriod: query.requestedPeriod,
  };
  return `${JSON.stringify(page).slice(0, -1)},"rows":[${rows.join(",")}]}`;
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

/**
 * Deleting frees space, so it must work on a full disk, where SQLite cannot write even a deletion to its WAL: the
 * reserve is released for it (storage-health.ts), and the freed pages go back to the file system.
 */
async function deleteMakingRoom(app: FastifyInstance, id: string): Promise<void> {
  try {
    await app.store.deleteQuery(id);
  } catch (error) {
    if (!app.storage.noteFailure(error, "deleting a query") || !(await app.storage.makeRoom())) throw error;
    // The same call again finishes what the first one began: it deletes by the query's ID.
    await app.store.deleteQuery(id);
  }
  await app.storage.afterFreeing();
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
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { submitQuery: submit, listQueries, getQuery, getRows, getRawResult, deleteQuery, checkConnection } = relayApi;

  api.post(
    submit.url,
    // The body's rules include the clock's (retention window), so this route checks it with its own compiler.
    { ...submission, schema: submit.schema, validatorCompiler: submissionValidatorCompiler(app.clock) },
    async (request, reply) => {
      const { request: query, label } = request.body;
      const submitted = await submitQuery(app, credentialOf(request), query, { label: label ?? null, hidden: false });
      const stored = await app.store.getQuery(submitted.id);
      return reply.code(202).send({
        id: submitted.id,
        requestId: submitted.requestId,
        status: stored === undefined ? "pending" : publicStatus(stored),
        infobipAnswer:
          submitted.requestId !== null ? "accepted" : stored === undefined ? "unknown" : infobipAnswer(stored),
        createdAt: submitted.createdAt.toISOString(),
      });
    }
  );

  api.get(listQueries.url, { ...read, schema: listQueries.schema }, async (request) => {
    const now = app.clock();
    const queries = await app.store.listQueries(credentialOf(request).owner, LIST_LIMIT);
    return { queries: queries.map((query) => queryView(query, now, timeoutMinutes)) };
  });

  api.get(getQuery.url, { ...read, schema: getQuery.schema }, async (request, reply) => {
    const { id } = request.params;
    let query = await ownedQuery(app, request, id);
    if (request.query.wait > 0 && publicStatus(query) === "pending") {
      await app.settlements.wait(id, request.query.wait * 1000, abortOnDisconnect(reply));
      query = await ownedQuery(app, request, id);
    }
    return queryView(query, app.clock(), timeoutMinutes);
  });

  // Sent as text (see rowsPageJson), which the type provider's reply types do not describe.
  app.get<{ Params: z.output<typeof QueryIdParamsSchema>; Querystring: z.output<typeof RowsPageQuerySchema> }>(
    getRows.url,
    { ...read, schema: getRows.schema },
    async (request, reply) => {
      const query = await ownedQuery(app, request, request.params.id);
      const status = publicStatus(query);
      if (status !== "succeeded") throw new RelayHttpError(409, relayErrors.notReady(status));
      const { offset, limit } = request.query;
      const rows = await app.store.readRows(query.id, offset, limit);
      return reply.type("application/json; charset=utf-8").send(rowsPageJson(offset, limit, query, rows));
    }
  );

  // Sent as a stream of the stored bytes.
  app.get<{ Params: z.output<typeof QueryIdParamsSchema> }>(
    getRawResult.url,
    { ...read, schema: getRawResult.schema },
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

  api.delete(deleteQuery.url, { ...read, schema: deleteQuery.schema }, async (request, reply) => {
    const query = await ownedQuery(app, request, request.params.id);
    await deleteMakingRoom(app, query.id);
    app.settlements.notify(query.id);
    app.log.info({ queryId: query.id }, "query deleted by its owner");
    return reply.code(204).send();
  });

  /**
   * "Test connection" for the task pane: submits a real, tiny query with the caller's key, because Infobip's
   * Billing Usage API has no cheaper way to prove a key and its scope. The period is last month — the 1st of last
   * month to the 1st of this one, wholly in the past and within the retention window (`src/billing/periods.ts`) —
   * so the check never depends on how Infobip treats a sentUntil in the future, which its documentation neither
   * allows nor forbids. The result is stored like any other but kept out of GET /v1/queries, and expires with the TTL.
   */
  api.post(checkConnection.url, { ...submission, schema: checkConnection.schema }, async (request) => {
    const submitted = await submitQuery(
      app,
      credentialOf(request),
      { filterBy: { dateInterval: resolvePreset("last-month", app.clock()) }, aggregateBy: ["MONTH"] },
      { label: "connection check", hidden: true }
    );
    // The check proves nothing without Infobip's answer (its hidden query is kept for a late callback, and expires).
    if (submitted.requestId === null) {
      throw new RelayHttpError(504, relayErrors.infobipNoAnswer(app.relayConfig.infobipTimeoutSeconds));
    }
    return { ok: true as const, id: submitted.id, requestId: submitted.requestId };
  });
}
