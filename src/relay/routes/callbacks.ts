/**
 * `POST /callbacks/:id/:secret` — where Infobip delivers a result, once, with no retry: the only
 * unauthenticated path. The secret (checked for shape before any lookup, then against the stored hash in
 * constant time) is the authentication; a wrong one gets 404 and changes nothing. Only refused addresses
 * count against the client IP's not-found budget (429 beyond it), after the lookup: a valid delivery is never
 * counted or refused, whatever else came from its IP.
 *
 * The body is not parsed by Fastify: it is streamed into the store as it arrives and answered 200 only once
 * it is durably written, whatever it contains. Reading it into rows happens afterwards, in the background.
 */
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import { z } from "zod";
import { BillingUsageResultSchema } from "../../billing";
import { ApiErrorSchema } from "../../relay-api";
import { CALLBACK_SECRET_PATTERN, hashCallbackSecret } from "../callback-secret";
import { relayErrors, RelayHttpError, STORAGE_RETRY_AFTER_SECONDS, tooLargeFailureMessage } from "../errors";
import { receiveBody } from "../ingest/receive-body";
import { dropUnstoredDelivery } from "../ingest/unstored-callback";

const CallbackParams = z.object({
  id: z.uuid().meta({ description: "The query's ID." }),
  secret: z
    .string()
    .regex(CALLBACK_SECRET_PATTERN)
    .meta({ description: "The query's own secret: 256 random bits, base64url. Only the callback URL holds it." }),
});
type CallbackParams = z.infer<typeof CallbackParams>;

/** What Infobip sends, documented but never enforced: the body is stored as bytes whatever it is. */
const CallbackBody = BillingUsageResultSchema.meta({
  description: "Infobip's BillingUsageResult: SUCCESS with the response and metadata, or FAILED with a failureMessage.",
});

/** The route's documentation and its answers by status (the body is not declared: Fastify would check it). */
const schema = {
  operationId: "receiveCallback",
  tags: ["callbacks"],
  summary: "Infobip delivers a query's result",
  description:
    "The callbackUrl the relay gives Infobip with each query; no API key, the secret in the path authenticates. " +
    "The body is stored exactly as sent, whatever it is, and answered 200 once durably written; it is read into " +
    "rows afterwards. A second delivery is answered 200 and changes nothing. A wrong, unknown or malformed address " +
    "gets 404 and changes nothing.",
  security: [],
  params: CallbackParams,
  response: {
    200: z.undefined().meta({ description: "Stored (or a repeated delivery, ignored)." }),
    400: ApiErrorSchema.meta({ description: "The body broke off before its end; nothing was stored." }),
    404: ApiErrorSchema.meta({ description: "Unknown callback address; nothing was stored." }),
    503: ApiErrorSchema.meta({
      description:
        "The relay could not store the body (its disk is full): nothing of it was kept; send it again after " +
        "Retry-After seconds, and it is accepted as the first delivery.",
    }),
    413: ApiErrorSchema.meta({
      description: "Larger than RELAY_MAX_CALLBACK_BYTES: refused, and the query failed saying so.",
    }),
    408: ApiErrorSchema.meta({
      description:
        "The body stalled (RELAY_BODY_IDLE_TIMEOUT_SECONDS) or did not arrive within RELAY_CALLBACK_REQUEST_TIMEOUT_SECONDS; nothing was stored and the connection is closed.",
    }),
    429: ApiErrorSchema.meta({
      description:
        "Too many unknown callback addresses (RELAY_NOT_FOUND_RATE_PER_MINUTE) or failed authentications (RELAY_AUTH_FAILURE_RATE_PER_MINUTE) from this client's IP address; a valid address is never refused.",
    }),
  },
};

/** The Content-Type as sent; the header itself is replaced so Fastify cannot refuse the body for it. */
const sentContentType = new WeakMap<IncomingMessage, string | null>();

function refuseAndClose(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  // The rest of the body is not wanted: close the connection instead of reading it.
  return reply.code(status).header("connection", "close").send(body);
}

export default async function callbackRoutes(app: FastifyInstance): Promise<void> {
  const config = app.relayConfig;
  const ttlMs = config.resultTtlHours * 3_600_000;

  // Nothing may refuse or buffer a callback body before it is stored: whatever its Content-Type (even an
  // invalid one), the handler gets the raw stream.
  app.addHook("onRequest", async (request) => {
    sentContentType.set(request.raw, request.headers["content-type"] ?? null);
    request.raw.headers["content-type"] = "application/octet-stream";
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, payload, done) => done(null, payload));

  /** 404 for an address that is not a query's, or 429 once the client's IP has had too many of them. */
  async function refuseUnknownAddress(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    try {
      await app.rateLimits.countNotFound(request);
      // A wrong secret is a failed authentication too: it counts against the IP's /v1 budget as well.
      await app.rateLimits.countAuthFailure(request);
    } catch (error) {
      if (error instanceof RelayHttpError) {
        return refuseAndClose(reply.headers(error.headers), error.statusCode, error.body);
      }
      throw error;
    }
    return refuseAndClose(reply, 404, relayErrors.callbackNotFound());
  }

  app.setErrorHandler(async (error, request, reply) => {
    // A malformed ID or secret is simply an unknown address.
    if ((error as { statusCode?: number }).statusCode === 400) {
      request.log.info({ queryId: (request.params as { id?: unknown }).id }, "callback refused: malformed address");
      return refuseUnknownAddress(request, reply);
    }
    throw error;
  });

  app.post<{ Params: CallbackParams }>(
    "/callbacks/:id/:secret",
    {
      schema,
      config: {
        swaggerTransform: (route) => jsonSchemaTransform({ ...route, schema: { ...route.schema, body: CallbackBody } }),
      },
    },
    async (request, reply) => {
      const { id, secret } = request.params;
      // One lookup by the ID and the secret's hash together: a wrong secret for an existing query and an unknown ID
      // both find nothing, with the same work, so the time of a refusal does not tell which IDs exist.
      const query = await app.store.getQueryAtCallbackAddress(id, hashCallbackSecret(secret));
      if (query === undefined) {
        request.log.warn({ queryId: id }, "callback refused: unknown address");
        return refuseUnknownAddress(request, reply);
      }
      const log = request.log.child({ queryId: id, requestId: query.requestId });

      if (query.deliveryId !== null) {
        log.info("duplicate callback ignored: a result is already stored");
        // A result still being read (or waiting to be read again after a failure) is not left unread.
        if (query.state === "received") app.results.schedule(id);
        return refuseAndClose(reply, 200, "");
      }

      const declared = Number(request.headers["content-length"]);
      if (Number.isFinite(declared) && declared > config.maxCallbackBytes) {
        return tooLarge(declared);
      }

      const body = request.body;
      const stream = body instanceof Readable ? body : Readable.from([]);
      const reception = await receiveBody(app.store, id, stream, {
        maxBytes: config.maxCallbackBytes,
        contentType: sentContentType.get(request.raw) ?? null,
        now: app.clock().getTime(),
        keepUpToBytes: app.results.keepBodyUpToBytes,
      });

      if (reception.kind === "tooLarge") return tooLarge(reception.byteLength);
      if (reception.kind === "notStored") return notStored(reception.error, reception.deliveryId);
      if (reception.kind === "broken") {
        log.warn({ err: reception.error }, "callback body broke off before its end; nothing stored");
        // Cut off for arriving too slowly: the 408 has been sent already (server-kit/body-timeouts.ts).
        if (reply.sent) return reply;
        return refuseAndClose(reply, 400, relayErrors.clientError(400, "The body broke off before its end."));
      }
      switch (reception.completion) {
        case "accepted":
          log.info({ bytes: reception.byteLength }, "callback stored");
          reply.code(200).send();
          app.results.schedule(id, reception.body);
          return reply;
        case "duplicate":
          log.info({ bytes: reception.byteLength }, "duplicate callback ignored: a result is already stored");
          return reply.code(200).send();
        case "gone":
          log.info("callback for a query deleted meanwhile; nothing stored");
          return reply.code(404).send(relayErrors.callbackNotFound());
      }

      async function notStored(error: unknown, deliveryId: string | null): Promise<FastifyReply> {
        app.storage.noteFailure(error, "storing a callback body");
        log.error({ err: error }, "callback not stored: the store failed; answered 503 so that it is sent again");
        if (deliveryId !== null) await dropUnstoredDelivery(app.store, app.storage, log, deliveryId);
        return refuseAndClose(
          reply.header("retry-after", String(STORAGE_RETRY_AFTER_SECONDS)),
          503,
          relayErrors.callbackNotStored()
        );
      }

      async function tooLarge(bytes: number): Promise<FastifyReply> {
        const failed = await app.store.failOversized(
          id,
          tooLargeFailureMessage(config.maxCallbackBytes),
          app.clock().getTime(),
          ttlMs
        );
        if (failed) app.settlements.notify(id);
        log.warn({ bytes, limit: config.maxCallbackBytes }, "callback refused: larger than RELAY_MAX_CALLBACK_BYTES");
        return refuseAndClose(reply, 413, relayErrors.callbackTooLarge(config.maxCallbackBytes));
      }
    }
  );
}
