/**
 * The relay's API as an OpenAPI 3.1 document, served at `GET /v1/openapi.json`, so an ops engineer, a script or
 * another client can use the API without reading this code. `@fastify/swagger` collects the routes and
 * `fastify-type-provider-zod` turns their zod schemas — the contract of `src/relay-api` — into JSON Schema 2020-12,
 * so the document cannot drift from what the relay checks and sends.
 *
 * The document is public: it holds no secret (the callback path shows the form of a secret, never one) and the
 * key it asks for is the caller's own. It is built once, on the first request, and is not rate-limited, like
 * `/healthz`. Registered before the routes, which it learns of as they are added.
 */
import fastifySwagger from "@fastify/swagger";
import fp from "fastify-plugin";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";
import { API_KEY_SCHEME, API_KEY_SECURITY_SCHEME, relayApi } from "../../relay-api";

const SCHEMA_REF_PREFIX = "#/components/schemas/";

/** Every `$ref` to a named schema inside `value`. */
function schemaRefs(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) schemaRefs(item, found);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string" && item.startsWith(SCHEMA_REF_PREFIX)) {
        found.add(item.slice(SCHEMA_REF_PREFIX.length));
      } else {
        schemaRefs(item, found);
      }
    }
  }
  return found;
}

/**
 * The type provider adds an input and an output copy of every named zod schema to the components; only those
 * the paths reach (directly or through other components) are kept.
 */
function withReferencedSchemasOnly<T extends { paths?: unknown; components?: { schemas?: Record<string, unknown> } }>(
  document: T
): T {
  const schemas = document.components?.schemas ?? {};
  const kept = new Set<string>();
  const pending = [...schemaRefs(document.paths)];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (kept.has(name)) continue;
    kept.add(name);
    pending.push(...schemaRefs(schemas[name]));
  }
  return {
    ...document,
    components: {
      ...document.components,
      schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => kept.has(name))),
    },
  };
}

export default fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: "3.1.0",
        info: {
          title: "Billing Usage relay",
          version: "1",
          description:
            "Submits Infobip Billing Usage queries with the caller's own API key, receives Infobip's callback, " +
            "and hands the result's rows back to that key, in pages. Every error answer is Infobip's ApiError. " +
            "The callback path is where Infobip delivers results; it is not for other callers.",
        },
        components: { securitySchemes: { [API_KEY_SCHEME]: API_KEY_SECURITY_SCHEME } },
        security: [{ [API_KEY_SCHEME]: [] }],
        tags: [
          { name: "queries", description: "Submit queries, follow them, read their results." },
          { name: "connection", description: "Check an API key with Infobip." },
          { name: "callbacks", description: "Where Infobip delivers results." },
          { name: "operations", description: "The relay's health, for monitoring." },
          { name: "documentation", description: "This document." },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: (document) => withReferencedSchemasOnly(jsonSchemaTransformObject(document)),
    });

    const { openApiDocument } = relayApi;
    let served: { publicUrl: string; json: string } | undefined;
    app.get(openApiDocument.url, { schema: openApiDocument.schema }, async (_request, reply) => {
      // The public URL is where Infobip, and so every caller, reaches the relay (with any path prefix of a proxy).
      const publicUrl = app.publicUrl.get();
      if (served?.publicUrl !== publicUrl) {
        served = { publicUrl, json: JSON.stringify({ ...app.swagger(), servers: [{ url: publicUrl }] }) };
      }
      return reply.type("application/json; charset=utf-8").send(served.json);
    });
  },
  { name: "relay-openapi", dependencies: ["relay-config"] }
);
