/**
 * Health for a load balancer or orchestrator, no key needed, nothing about queries revealed:
 *
 * - `GET /livez` (liveness): 200 while the process answers HTTP. Restart the relay only when this fails; a full
 *   disk is not cured by a restart, so it does not fail this.
 * - `GET /healthz` (readiness): 200 when the store answers and can write; 503 with an ApiError saying why when it
 *   cannot (a full disk: see storage-health.ts, which finds by itself when space returns). Send traffic only
 *   while this answers 200. It writes nothing: the background probe does.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ApiErrorSchema } from "../../relay-api";
import { relayErrors, RelayHttpError } from "../errors";

const Up = z.object({ status: z.literal("ok") });

const readiness = {
  operationId: "getHealth",
  tags: ["operations"],
  summary: "Can the relay take traffic? (readiness)",
  description:
    "For the load balancer's readiness check: 200 when the relay runs, its store answers and can write; 503 " +
    "otherwise, saying why (a full disk; the relay finds by itself when space returns). No key needed.",
  security: [],
  response: {
    200: Up.meta({ description: "Ready." }),
    503: ApiErrorSchema.meta({
      description: "Not ready: the store cannot write or does not answer; the body says why.",
    }),
  },
};

const liveness = {
  operationId: "getLiveness",
  tags: ["operations"],
  summary: "Is the relay process alive? (liveness)",
  description:
    "For a liveness check: 200 while the process answers, whatever its store's state. Restart the relay only when " +
    "this fails. No key needed.",
  security: [],
  response: { 200: Up.meta({ description: "Alive." }) },
};

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get("/livez", { schema: liveness }, async () => ({ status: "ok" as const }));

  app.get("/healthz", { schema: readiness }, async () => {
    try {
      await app.store.getQuery("00000000-0000-0000-0000-000000000000");
    } catch (error) {
      app.log.error({ err: error }, "readiness: the store does not answer");
      throw new RelayHttpError(503, relayErrors.notReadyToServe("the store does not answer (see the relay's log)"), {
        "retry-after": "5",
      });
    }
    const state = app.storage.state();
    if (!state.writable) {
      throw new RelayHttpError(
        503,
        relayErrors.notReadyToServe(`the store cannot write since ${state.since.toISOString()}: ${state.reason}`),
        { "retry-after": "5" }
      );
    }
    return { status: "ok" as const };
  });
}
