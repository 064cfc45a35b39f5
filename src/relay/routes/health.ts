/** `GET /healthz`: the relay is up and its store answers. No key needed, nothing about queries revealed. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ApiErrorSchema } from "../../relay-api";

const schema = {
  operationId: "getHealth",
  tags: ["operations"],
  summary: "Is the relay up?",
  description: "For monitoring: answers when the relay runs and its store answers. No key needed.",
  security: [],
  response: {
    200: z.object({ status: z.literal("ok") }).meta({ description: "Up." }),
    500: ApiErrorSchema.meta({ description: "The store does not answer; see the relay's log." }),
  },
};

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get("/healthz", { schema }, async () => {
    await app.store.getQuery("00000000-0000-0000-0000-000000000000");
    return { status: "ok" };
  });
}
