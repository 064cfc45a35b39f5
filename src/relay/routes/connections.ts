/**
 * `GET /v1/connections`: the names of the Infobip connections this relay's operator configured and which one is
 * the default, so the task pane can offer them before any key is entered. No key needed and not rate-limited,
 * like `/v1/openapi.json`: the answer is fixed at start, reveals no base URL (names only) and costs nothing.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { relayApi } from "../../relay-api";
import { connectionList } from "../connections";

export default async function connectionRoutes(app: FastifyInstance): Promise<void> {
  const { listConnections } = relayApi;
  const answer = connectionList(app.relayConfig.connections);
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(listConnections.url, { schema: listConnections.schema }, async () => answer);
}
