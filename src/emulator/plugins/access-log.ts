/**
 * One JSON line per request, in place of Fastify's own two (app.ts turns those off): method, URL, status,
 * time taken and, for an accepted submission, its requestId. Never headers: they carry the API key.
 */
import fp from "fastify-plugin";

export default fp(
  async (app) => {
    app.decorateRequest("emulatorRequestId", null);
    app.addHook("onResponse", async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
          requestId: request.emulatorRequestId ?? undefined,
        },
        "request"
      );
    });
  },
  { name: "emulator-access-log" }
);
