/**
 * `GET /v1/openapi.json`: public, generated from the contract (`src/relay-api`), and true to the relay. Real
 * exchanges with the relay over HTTP — 202, 200 (state, list, rows page, raw result, connection check), 204, 400,
 * 401, 404, 409, 429, a passed-through 5xx, the callback — are checked against the document itself: each answer
 * against the schema of its status and content type (and its documented headers), each request against the
 * documented parameters and body, a refused request is refused by the document too. OpenAPI 3.1 schemas are JSON
 * Schema 2020-12, so they are compiled with ajv's 2020 dialect, in strict mode, with the document's own `$ref`s.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { z } from "zod";
import { relayApi } from "../../src/relay-api";
import { FakeInfobip } from "./helpers/fake-infobip";
import { call, startTestRelay, TestClock, thisMonthQuery, type Answer, type TestRelay } from "./helpers/relay";
import { successResult } from "./helpers/results";

const KEY = "openapi-test-key-0001";
const UNKNOWN_ID = "5f0c6f4e-1d2b-4c3a-9e8f-7a6b5c4d3e2f";

/** The parts of an OpenAPI 3.1 document this test reads, parsed rather than assumed. */
const SchemaObject = z.record(z.string(), z.unknown());
const ParameterSchema = z.object({
  name: z.string(),
  in: z.enum(["path", "query", "header", "cookie"]),
  required: z.boolean().optional(),
  schema: SchemaObject,
});
const MediaSchema = z.object({ schema: SchemaObject });
const OperationSchema = z.object({
  operationId: z.string(),
  summary: z.string(),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  parameters: z.array(ParameterSchema).optional(),
  requestBody: z.object({ required: z.boolean(), content: z.record(z.string(), MediaSchema) }).optional(),
  responses: z.record(
    z.string(),
    z.object({
      description: z.string(),
      headers: z.record(z.string(), z.object({ schema: SchemaObject })).optional(),
      content: z.record(z.string(), MediaSchema).optional(),
    })
  ),
});
type Operation = z.infer<typeof OperationSchema>;
const DocumentSchema = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string() }),
  servers: z.array(z.object({ url: z.string() })),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  paths: z.record(z.string(), z.record(z.string(), OperationSchema)),
  components: z.object({
    securitySchemes: z.record(z.string(), z.object({ type: z.string(), in: z.string(), name: z.string() })),
    schemas: z.record(z.string(), SchemaObject),
  }),
});
type Document = z.infer<typeof DocumentSchema>;

/** One request to the relay and its answer, with the route template it was made against. */
interface Exchange {
  method: "GET" | "POST" | "DELETE";
  /** OpenAPI path template, such as `/v1/queries/{id}`. */
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
  /** The request breaks a documented rule: the document must refuse it too. */
  refused?: true;
  answer: Answer;
}

let infobip: FakeInfobip;
let relay: TestRelay;

beforeAll(async () => {
  infobip = await FakeInfobip.start();
  relay = await startTestRelay({ infobipBaseUrl: infobip.url });
});

afterAll(async () => {
  await relay.close();
  await infobip.close();
});

async function exchange(
  target: TestRelay,
  method: Exchange["method"],
  path: string,
  options: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; key?: string | null } = {}
): Promise<Exchange> {
  const params = options.params ?? {};
  const query = options.query ?? {};
  const url = path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(params[name] ?? ""));
  const search = new URLSearchParams(query).toString();
  const answer = await call(target, method, `${url}${search ? `?${search}` : ""}`, {
    key: options.key === null ? undefined : (options.key ?? KEY),
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  return { method, path, params, query, ...(options.body !== undefined ? { body: options.body } : {}), answer };
}

async function fetchDocument(): Promise<{ answer: Answer; document: Document }> {
  const answer = await call(relay, "GET", "/v1/openapi.json");
  return { answer, document: DocumentSchema.parse(answer.json) };
}

/** ajv over the document: a schema anywhere in it is compiled by its JSON pointer, its `$ref`s resolved in it. */
function validatorOf(document: Document): (pointer: string[]) => ValidateFunction {
  // Strict, but a `type` list (a cell is a string, number, boolean or null) is plain JSON Schema.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  // The document's own members are not JSON Schema keywords; only the schemas inside it are compiled.
  for (const keyword of ["openapi", "info", "servers", "security", "paths", "components", "tags"]) {
    ajv.addKeyword(keyword);
  }
  ajv.addSchema(document, "openapi.json");
  const escape = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");
  return (pointer) => {
    const ref = `openapi.json#/${pointer.map(escape).join("/")}`;
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema at ${ref}`);
    return validate;
  };
}

function operationOf(document: Document, item: Pick<Exchange, "method" | "path">): Operation {
  const operation = document.paths[item.path]?.[item.method.toLowerCase()];
  if (!operation) throw new Error(`${item.method} ${item.path} is not in the document`);
  return operation;
}

/** The documented answer for a status: exact, else its class (`4XX`). */
function documentedStatus(operation: Operation, status: number): string | undefined {
  return [String(status), `${String(status)[0]}XX`, "default"].find((key) => key in operation.responses);
}

function problems(validate: ValidateFunction, value: unknown): string {
  return validate(value) ? "" : JSON.stringify(validate.errors, null, 1);
}

function checkAnswer(document: Document, compile: ReturnType<typeof validatorOf>, item: Exchange): void {
  const where = `${item.method} ${item.path} → ${item.answer.status}`;
  const operation = operationOf(document, item);
  const status = documentedStatus(operation, item.answer.status);
  if (status === undefined) throw new Error(`${where}: status not documented`);
  const response = operation.responses[status];
  const pointer = ["paths", item.path, item.method.toLowerCase(), "responses", status];
  if (!response?.content) {
    expect([where, item.answer.text]).toEqual([where, ""]);
    return;
  }
  const mediaType = (item.answer.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
  expect([where, Object.keys(response.content)]).toEqual([where, expect.arrayContaining([mediaType])]);
  expect([where, problems(compile([...pointer, "content", mediaType, "schema"]), item.answer.json)]).toEqual([
    where,
    "",
  ]);
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const value = item.answer.headers.get(name);
    expect([where, name, value]).toEqual([where, name, expect.any(String)]);
    const typed = header.schema.type === "integer" ? Number(value) : value;
    expect([where, name, problems(compile([...pointer, "headers", name, "schema"]), typed)]).toEqual([where, name, ""]);
  }
}

/** Whether the document accepts the request as sent: its path and query parameters and its body. */
function requestProblems(document: Document, compile: ReturnType<typeof validatorOf>, item: Exchange): string[] {
  const operation = operationOf(document, item);
  const pointer = ["paths", item.path, item.method.toLowerCase()];
  const found: string[] = [];
  (operation.parameters ?? []).forEach((parameter, index) => {
    const value = parameter.in === "path" ? item.params[parameter.name] : item.query[parameter.name];
    if (value === undefined) {
      if (parameter.required) found.push(`${parameter.name} is missing`);
      return;
    }
    // Parameters travel as text; an integer parameter is the number its digits write (OpenAPI's form style).
    const typed = parameter.schema.type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value;
    const problem = problems(compile([...pointer, "parameters", String(index), "schema"]), typed);
    if (problem) found.push(`${parameter.name}: ${problem}`);
  });
  const documentedBody = operation.requestBody?.content["application/json"];
  if (documentedBody && item.body !== undefined) {
    const problem = problems(compile([...pointer, "requestBody", "content", "application/json", "schema"]), item.body);
    if (problem) found.push(`body: ${problem}`);
  }
  return found;
}

describe("GET /v1/openapi.json", () => {
  it("is public, OpenAPI 3.1, and names the API key scheme, required everywhere but on the public routes", async () => {
    const { answer, document } = await fetchDocument();
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: relay.url }]);
    expect(document.components.securitySchemes).toEqual({
      infobipApiKey: expect.objectContaining({ type: "apiKey", in: "header", name: "Authorization" }),
    });
    expect(document.security).toEqual([{ infobipApiKey: [] }]);
    for (const [path, item] of [
      ["/v1/openapi.json", "get"],
      ["/healthz", "get"],
      ["/callbacks/{id}/{secret}", "post"],
    ] as const) {
      expect([path, document.paths[path]?.[item]?.security]).toEqual([path, []]);
    }
  });

  it("documents every route of the contract with its parameters, body and answers by status", async () => {
    const { document } = await fetchDocument();
    const v1Paths = Object.values(relayApi).map((route) => route.url.replace(/:(\w+)/g, "{$1}"));
    expect(
      Object.keys(document.paths)
        .filter((path) => path.startsWith("/v1/"))
        .sort()
    ).toEqual([...new Set(v1Paths)].sort());
    for (const route of Object.values(relayApi)) {
      const operation = operationOf(document, { method: route.method, path: route.url.replace(/:(\w+)/g, "{$1}") });
      expect(operation.operationId).toBe(route.schema.operationId);
      expect(Object.keys(operation.responses).sort()).toEqual(
        Object.keys(route.schema.response)
          .map((status) => status.toUpperCase())
          .sort()
      );
      const documentedParameters = (operation.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
      const declared = [
        ...Object.keys("params" in route.schema ? route.schema.params.shape : {}).map((name) => `path:${name}`),
        ...Object.keys("querystring" in route.schema ? route.schema.querystring.shape : {}).map((n) => `query:${n}`),
      ].sort();
      expect([route.url, documentedParameters]).toEqual([route.url, declared]);
      expect([route.url, operation.requestBody !== undefined]).toEqual([route.url, "body" in route.schema]);
    }
  });

  it("describes the relay's real answers, and accepts the requests the relay accepts", async () => {
    const exchanges: Exchange[] = [];
    const record = (item: Exchange): Exchange => {
      exchanges.push(item);
      return item;
    };
    const now = relay.clock.now();

    // A query through its whole life.
    const submitted = record(
      await exchange(relay, "POST", "/v1/queries", { body: { request: thisMonthQuery(now), label: "March" } })
    );
    expect(submitted.answer.status).toBe(202);
    const id = z.object({ id: z.string() }).parse(submitted.answer.json).id;
    const { callbackUrl, requestId } = infobip.lastSubmission();
    const secret = callbackUrl.split("/").at(-1) ?? "";

    record(await exchange(relay, "GET", "/v1/queries/{id}", { params: { id }, query: { wait: "0" } }));
    record(await exchange(relay, "GET", "/v1/queries/{id}/rows", { params: { id } })); // 409: not arrived yet
    record(await exchange(relay, "GET", "/v1/queries/{id}/raw", { params: { id } })); // 409: nothing delivered
    record(
      await exchange(relay, "POST", "/callbacks/{id}/{secret}", {
        params: { id, secret },
        body: successResult(requestId, 25),
        key: null,
      })
    );
    record(await exchange(relay, "GET", "/v1/queries/{id}", { params: { id }, query: { wait: "30" } }));
    record(await exchange(relay, "GET", "/v1/queries", {}));
    record(
      await exchange(relay, "GET", "/v1/queries/{id}/rows", { params: { id }, query: { offset: "20", limit: "10" } })
    );
    record(await exchange(relay, "GET", "/v1/queries/{id}/rows", { params: { id } }));
    record(await exchange(relay, "GET", "/v1/queries/{id}/raw", { params: { id } }));
    record(await exchange(relay, "POST", "/v1/connection-check", {}));
    record(await exchange(relay, "POST", "/v1/connection-check", { query: { connection: "default" } }));
    record(await exchange(relay, "DELETE", "/v1/queries/{id}", { params: { id } }));
    record(await exchange(relay, "GET", "/v1/queries/{id}", { params: { id } })); // 404 once deleted
    record(await exchange(relay, "GET", "/healthz", { key: null }));
    record(await exchange(relay, "GET", "/v1/connections", { key: null }));

    // Refusals.
    record(await exchange(relay, "GET", "/v1/queries", { key: null }));
    record({ ...(await exchange(relay, "GET", "/v1/queries/{id}", { params: { id: "not-an-id" } })), refused: true });
    record({
      ...(await exchange(relay, "GET", "/v1/queries/{id}/rows", { params: { id }, query: { limit: "10001" } })),
      refused: true,
    });
    record({
      ...(await exchange(relay, "POST", "/v1/queries", {
        body: { request: thisMonthQuery(now), label: "x".repeat(101), colour: "blue" },
      })),
      refused: true,
    });
    // Well-formed names the document allows, which this relay has no connection of.
    record(
      await exchange(relay, "POST", "/v1/queries", { body: { request: thisMonthQuery(now), connection: "asia" } })
    );
    record(await exchange(relay, "POST", "/v1/connection-check", { query: { connection: "asia" } }));
    record(await exchange(relay, "GET", "/v1/queries/{id}", { params: { id: UNKNOWN_ID } }));
    record(
      await exchange(relay, "POST", "/callbacks/{id}/{secret}", {
        params: { id: UNKNOWN_ID, secret: "A".repeat(43) },
        body: successResult("NOBODY", 1),
        key: null,
      })
    );
    infobip.respondWith(() => ({
      status: 503,
      body: JSON.stringify({ errorCode: "E503", description: "Down.", action: "Wait.", violations: [], resources: [] }),
    }));
    record(await exchange(relay, "POST", "/v1/queries", { body: { request: thisMonthQuery(now) } }));
    infobip.respondWith(() => ({ status: 201 }));

    // The relay's own rate limit, on a relay whose clock stands still.
    const limited = await startTestRelay({
      infobipBaseUrl: infobip.url,
      clock: new TestClock(Date.now()),
      submitRatePerSecond: 1,
    });
    try {
      record(await exchange(limited, "POST", "/v1/queries", { body: { request: thisMonthQuery(now) } }));
      record(await exchange(limited, "POST", "/v1/connection-check", {}));
    } finally {
      await limited.close();
    }

    const seen = exchanges.map((item) => `${item.method} ${item.path} ${item.answer.status}`);
    expect(seen).toEqual([
      "POST /v1/queries 202",
      "GET /v1/queries/{id} 200",
      "GET /v1/queries/{id}/rows 409",
      "GET /v1/queries/{id}/raw 409",
      "POST /callbacks/{id}/{secret} 200",
      "GET /v1/queries/{id} 200",
      "GET /v1/queries 200",
      "GET /v1/queries/{id}/rows 200",
      "GET /v1/queries/{id}/rows 200",
      "GET /v1/queries/{id}/raw 200",
      "POST /v1/connection-check 200",
      "POST /v1/connection-check 200",
      "DELETE /v1/queries/{id} 204",
      "GET /v1/queries/{id} 404",
      "GET /healthz 200",
      "GET /v1/connections 200",
      "GET /v1/queries 401",
      "GET /v1/queries/{id} 400",
      "GET /v1/queries/{id}/rows 400",
      "POST /v1/queries 400",
      "POST /v1/queries 400",
      "POST /v1/connection-check 400",
      "GET /v1/queries/{id} 404",
      "POST /callbacks/{id}/{secret} 404",
      "POST /v1/queries 503",
      "POST /v1/queries 202",
      "POST /v1/connection-check 429",
    ]);

    const { answer, document } = await fetchDocument();
    // The callback path shows the form of a secret, never one.
    expect(answer.text).not.toContain(secret);
    const compile = validatorOf(document);
    for (const item of exchanges) {
      checkAnswer(document, compile, item);
      const refusedByDocument = requestProblems(document, compile, item);
      if (item.refused)
        expect([item.path, refusedByDocument]).toEqual([item.path, expect.arrayContaining([expect.any(String)])]);
      else expect([item.method, item.path, refusedByDocument]).toEqual([item.method, item.path, []]);
    }
  });
});
