/** `GET /healthz`: the relay is up and its store answers. No key needed, nothing about queries revealed. */
import type { FastifyInstance } from "fastify";

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get("/healthz", async () => {
    await app.store.getQuery("00000000-0000-0000-0000-000000000000");
    return { status: "ok" };
  });
}
