/**
 * One error handler and one not-found handler for the emulator, answering in Infobip's `ApiError` envelope
 * (../errors.ts words them); 5xx are logged with the error, never the headers. Infobip's path sets its own
 * error handler (routes/billing-usage.ts) so that its refusals land in the request log where they happen.
 */
import fp from "fastify-plugin";
import { answerForError, emulatorErrors } from "../errors";

export default fp(
  async (app) => {
    app.setErrorHandler((error, request, reply) => {
      const { status, body } = answerForError(error, app.initialConfig.bodyLimit ?? 0);
      if (status >= 500)
        request.log.error({ err: error, method: request.method, url: request.url }, "unexpected error");
      return reply.code(status).send(body);
    });

    app.setNotFoundHandler((request, reply) => {
      void reply.code(404).send(emulatorErrors.notFound(request.method, request.url.split("?")[0] ?? "/"));
    });
  },
  { name: "emulator-errors" }
);
