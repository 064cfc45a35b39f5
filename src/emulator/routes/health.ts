/** `GET /healthz`: 200 `{status: "ok"}` once the emulator is ready (what `npm start` waits for). */
import type { FastifyInstance } from "fastify";

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get("/healthz", async () => ({ status: "ok" }));
}
