/**
 * CORS for the task pane: only the origins in RELAY_ALLOWED_ORIGINS, never `*` (API keys pass through).
 * Preflight allows the two request headers the pane sends; Retry-After is exposed so a 429 can say how long
 * to wait.
 */
import cors from "@fastify/cors";
import fp from "fastify-plugin";

export default fp(
  async (app) => {
    const allowed = new Set(app.relayConfig.allowedOrigins);
    await app.register(cors, {
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
      methods: ["GET", "POST", "DELETE"],
      allowedHeaders: ["authorization", "content-type"],
      exposedHeaders: ["retry-after"],
      credentials: false,
      maxAge: 600,
    });
  },
  { name: "relay-cors", dependencies: ["relay-config"] }
);
