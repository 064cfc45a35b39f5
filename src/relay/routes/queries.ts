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
import { resolveConnection, unknownConnectionViolation, type InfobipConnection } from "../connections";
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
 * The configured connection a caller named (or the default); a 400 naming `connection` for any other name, before
 * anything is stored or sent: the relay only ever calls the base URLs its operator configured.
 */
function connectionNamed(app: FastifyInstance, name: string | null | undefined): InfobipConnection {
  const connections = app.relayConfig.connections;
  const connection = resolveConnection(connections, name);
  if (connection === undefined) {
    throw new RelayHttpError(400, relayErrors.badRequest([unknownConnectionViolation(connections, name ?? "")]));
  }
  return connection;
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
  /** Failures already counted against the client IP (no usable key), so the answer hook does not count them twice. */
  const countedFailures = new WeakSet<FastifyRequest>();
  app.addHook("onRequest", async (request) => {
    // An IP that has failed authentication too often this minute is refused before anything else is done.
    await app.rateLimits.refuseFailingClient(request);
    const reading = readCredential(request.headers.authorization, app.keyHashSecret);
    if (reading.kind !== "present") {
      countedFailures.add(request);
      await app.rateLimits.countAuthFailure(request);
      throw new RelayHttpError(401, reading.kind === "missing" ? relayErrors.missingKey() : relayErrors.malformedKey());
    }
    request.credential = reading.credential;
  });
  // Infobip's 401/403 passed through, and 404 for a query this key does not have (a guessed key or ID): failed
  // authentications of the client's IP, as are requests without a usable key (counted above).
  app.addHook("onResponse", async (request, reply) => {
    const status = reply.statusCode;
    if ((status !== 401 && status !== 403 && status !== 404) || countedFailures.has(request)) return;
    try {
      await app.rateLimits.countAuthFailure(request);
    } catch (error) {
      // Already answered: going over the budget shows on the IP's next call.
      if (!(error instanceof RelayHttpError))
        request.log.warn({ err: error }, "counting a failed authentication failed");
    }
  });

  const viewOptions = {
    timeoutMinutes: app.relayConfig.callbackTimeoutMinutes,
    defaultConnection: app.relayConfig.connections.defaultName,
  };
  const submission = { onRequest: app.rateLimits.submissions };
  const read = { onRequest: app.rateLimits.reads };
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { submitQuery: submit, listQueries, getQuery, getRows, getRawResult, deleteQuery, checkConnection } = relayApi;

  api.post(
    submit.url,
    // The body's rules include the clock's (retention window) and the configured connections, so this route checks
    // it with its own compiler: every violation in one answer, an unknown connection among them.
    {
      ...submission,
      schema: submit.schema,
      validatorCompiler: submissionValidatorCompiler(app.clock, app.relayConfig.connections),
    },
    async (request, reply) => {
      const { request: query, label, connection } = request.body;
      const submitted = await submitQuery(app, credentialOf(request), query, {
        label: label ?? null,
        hidden: false,
        connection: connectionNamed(app, connection),
      });
      const stored = await app.store.getQuery(submitted.id);
      return reply.code(202).send({
        id: submitted.id,
        requestId: submitted.requestId,
        status: stored === undefined ? "pending" : publicStatus(stored),
        infobipAnswer:
          submitted.requestId !== null ? "accepted" : stored === undefined ? "unknown" : infobipAnswer(stored),
        createdAt: submitted.createdAt.toISOString(),
        connection: submitted.connection,
      });
    }
  );

  api.get(listQueries.url, { ...read, schema: listQueries.schema }, async (request) => {
    const now = app.clock();
    const queries = await app.store.listQueries(credentialOf(request).owner, LIST_LIMIT);
    return { queries: queries.map((query) => queryView(query, now, viewOptions)) };
  });

  api.get(getQuery.url, { ...read, schema: getQuery.schema }, async (request, reply) => {
    const { id } = request.params;
    let query = await ownedQuery(app, request, id);
    if (request.query.wait > 0 && publicStatus(query) === "pending") {
      await app.settlements.wait(id, request.query.wait * 1000, abortOnDisconnect(reply));
      query = await ownedQuery(app, request, id);
    }
    return queryView(query, app.clock(), viewOptions);
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
   * `?connection=` tests the key on that connection (each account has its own keys); absent: the default.
   */
  api.post(checkConnection.url, { ...submission, schema: checkConnection.schema }, async (request) => {
    const connection = connectionNamed(app, request.query.connection);
    const submitted = await submitQuery(
      app,
      credentialOf(request),
      { filterBy: { dateInterval: resolvePreset("last-month", app.clock()) }, aggregateBy: ["MONTH"] },
      { label: "connection check", hidden: true, connection }
    );
    // The check proves nothing without Infobip's answer (its hidden query is kept for a late callback, and expires).
    if (submitted.requestId === null) {
      throw new RelayHttpError(504, relayErrors.infobipNoAnswer(app.relayConfig.infobipTimeoutSeconds));
    }
    return { ok: true as const, id: submitted.id, requestId: submitted.requestId };
  });
}
