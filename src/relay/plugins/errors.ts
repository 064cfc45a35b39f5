/**
 * One error handler and one not-found handler for the whole relay. Every error leaves in the ApiError
 * envelope; 4xx say what was wrong, 5xx hide their internals. Logged with method, masked URL and the error,
 * never headers or bodies (see logging.ts). Not-found answers count against the client IP's budget
 * (plugins/rate-limit.ts), so paths cannot be scanned cheaply.
 */
import type { FastifyError } from "fastify";
import fp from "fastify-plugin";
import { edgeErrorAnswer } from "../../server-kit";
import { relayErrors, RelayHttpError, STORAGE_RETRY_AFTER_SECONDS } from "../errors";
import { RequestValidationError } from "../validation";

function statusOf(error: FastifyError): number {
  const status = error.statusCode;
  return typeof status === "number" && status >= 400 && status <= 599 ? status : 500;
}

export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error instanceof RelayHttpError) {
        return reply.code(error.statusCode).headers(error.headers).send(error.body);
      }
      if (error instanceof RequestValidationError) {
        return reply.code(400).send(relayErrors.badRequest(error.violations));
      }
      // A full disk anywhere (a submission's insert, a deletion): 503, and the store is marked not writable.
      if (app.storage.noteFailure(error, `${request.method} ${request.routeOptions.url ?? "request"}`)) {
        request.log.warn({ err: error }, "request refused: the store's disk is full");
        return reply
          .code(503)
          .header("retry-after", String(STORAGE_RETRY_AFTER_SECONDS))
          .send(relayErrors.storageFull());
      }
      const status = statusOf(error);
      if (status >= 500) {
        request.log.error({ err: error }, "request failed");
        return reply.code(status).send(relayErrors.internal());
      }
      if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
        return reply
          .code(400)
          .send(relayErrors.badRequest([{ property: "body", violation: `is not valid JSON: ${error.message}` }]));
      }
      // Fastify's own refusals (413, 415, a bad Content-Length...) in fixed words: their messages may hold the URL.
      const edge = edgeErrorAnswer(error, app.initialConfig.bodyLimit ?? 0);
      if (edge !== undefined) return reply.code(edge.status).send(edge.body);
      return reply.code(status).send(relayErrors.clientError(status, `The request was refused (HTTP ${status}).`));
    });

    app.setNotFoundHandler(async (request, reply) => {
      await app.rateLimits.countNotFound(request);
      return reply.code(404).send(relayErrors.routeNotFound(request.method));
    });
  },
  { name: "relay-errors", dependencies: ["relay-rate-limit", "relay-storage-health"] }
);
