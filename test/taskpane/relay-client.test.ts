/**
 * The relay client over real HTTP on loopback, against a small scripted server (the relay's own tests cover
 * the relay; here what matters is how the pane reads each answer and words each failure).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { API_ERRORS, badRequest } from "../../src/billing";
import type { ConnectionCheckResult, QueryList, QueryState, RowsPage, SubmittedQuery } from "../../src/relay-api";
import { MissingKeyError } from "../../src/taskpane/credentials";
import { RelayClient, RelayError, normaliseBaseUrl } from "../../src/taskpane/relay-client";
import { deliver, FakeInfobip } from "../relay/helpers/fake-infobip";
import { startTestRelay, thisMonthQuery } from "../relay/helpers/relay";
import { RESULT_COLUMNS, resultRow, successResult } from "../relay/helpers/results";

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

type Handler = (req: Seen) => { status: number; body?: unknown; raw?: string; headers?: Record<string, string> };

let server: http.Server;
let baseUrl: string;
let handler: Handler;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const request: Seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body,
      };
      seen.push(request);
      const answer = handler(request);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.raw ?? (answer.body === undefined ? "" : JSON.stringify(answer.body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

const KEY = "secret-key-123";
const client = () => new RelayClient({ baseUrl: `${baseUrl}/`, apiKey: () => KEY });

async function failure(promise: Promise<unknown>): Promise<RelayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  throw new Error("expected a RelayError");
}

const QUERY = {
  filterBy: { dateInterval: { sentSince: "2026-02-01", sentUntil: "2026-03-01" } },
  aggregateBy: ["MONTH" as const],
};

// Answers as the relay's contract (src/relay-api) declares them.
const ID = "0b4a5f3e-2c1d-4e8f-9a7b-6c5d4e3f2a1b";
const SUBMITTED = {
  id: ID,
  requestId: "r1",
  status: "pending",
  infobipAnswer: "accepted",
  createdAt: "2026-03-15T10:00:00Z",
  connection: "default",
} satisfies SubmittedQuery;
const SUCCEEDED = {
  id: ID,
  requestId: "r1",
  label: null,
  connection: "default",
  status: "succeeded",
  infobipAnswer: "accepted",
  createdAt: "2026-03-15T10:00:00Z",
  completedAt: "2026-03-15T10:00:05Z",
  totalRows: 2,
  columns: [{ columnName: "MONTH", columnDataType: "DATE_TIME" }],
  metadata: {
    clientRequestedPeriod: {
      sentSince: "2026-02-01T00:00:00.000+0000",
      sentUntil: "2026-03-01T00:00:00.000+0000",
    },
    billingPeriods: [{ month: "2026-02", volumeFinalized: true }],
  },
  requestedPeriod: null,
  failureMessage: null,
  overdue: false,
  expiresAt: "2026-03-22T10:00:05Z",
  request: QUERY,
} satisfies QueryState;
const NO_QUERIES = { queries: [] } satisfies QueryList;

describe("RelayClient", () => {
  it("submits with the key in the Authorization header only, and reads the 202", async () => {
    handler = () => ({ status: 202, body: SUBMITTED });
    const submitted = await client().submit({ request: QUERY, label: "Feb" });
    expect(submitted).toEqual(SUBMITTED);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/v1/queries", authorization: `App ${KEY}` });
    expect(JSON.parse(seen[0]!.body)).toEqual({ request: QUERY, label: "Feb" });
    expect(seen[0]!.url).not.toContain(KEY);
  });

  it("names its connection on submissions and checks, and lists connections without any key", async () => {
    const eu = new RelayClient({ baseUrl, apiKey: () => "eu-key", connection: "eu" });
    handler = () => ({ status: 202, body: { ...SUBMITTED, connection: "eu" } });
    await eu.submit({ request: QUERY });
    expect(JSON.parse(seen[0]!.body)).toEqual({ request: QUERY, connection: "eu" });
    expect(seen[0]!.authorization).toBe("App eu-key");

    handler = () => ({ status: 200, body: { requestId: "r", status: "PENDING" } });
    await eu.checkConnection().catch(() => undefined);
    expect(seen[1]!.url).toBe("/v1/connection-check?connection=eu");

    handler = () => ({
      status: 200,
      body: {
        connections: [
          { name: "eu", default: false },
          { name: "us", default: true },
        ],
      },
    });
    const keyless = new RelayClient({ baseUrl, apiKey: () => undefined });
    expect(await keyless.connections()).toEqual({ names: ["eu", "us"], defaultName: "us", listed: true });
    expect(seen[2]).toMatchObject({ method: "GET", url: "/v1/connections" });
    expect(seen[2]!.authorization).toBeUndefined();

    // A relay from before connections: one default connection without a name.
    handler = () => ({ status: 404, body: { errorCode: "NOT_FOUND", description: "Not found." } });
    expect(await keyless.connections()).toEqual({ names: [], defaultName: "", listed: false });
  });

  it("says which connection has no key, sending nothing", async () => {
    const us = new RelayClient({ baseUrl, apiKey: () => undefined, connection: "us" });
    const error = await us.submit({ request: QUERY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingKeyError);
    expect((error as MissingKeyError).summary).toBe("No Infobip API key is set for the connection \u201cus\u201d.");
    expect(seen).toEqual([]);
  });

  it("long-polls with wait (capped at 30) and reads a succeeded query", async () => {
    handler = () => ({ status: 200, body: SUCCEEDED });
    const state = await client().get(ID, { waitSeconds: 99 });
    expect(seen[0]!.url).toBe(`/v1/queries/${ID}?wait=30`);
    expect(state.status).toBe("succeeded");
    expect(state.totalRows).toBe(2);
  });

  it("reads pages of rows with offset and limit (at most 10,000)", async () => {
    const body = {
      offset: 2,
      limit: 10_000,
      totalRows: 3,
      columns: [
        { columnName: "COUNTRY_CODE", columnDataType: "STRING" },
        { columnName: "QUANTITY", columnDataType: "NUMBER" },
        { columnName: "UNIT_PRICE", columnDataType: "NUMBER" },
      ],
      requestedPeriod: null,
      rows: [["a", 1, "N/A"]],
    } satisfies RowsPage;
    handler = () => ({ status: 200, body });
    const page = await client().rows(ID, { offset: 2, limit: 50_000 });
    expect(seen[0]!.url).toBe(`/v1/queries/${ID}/rows?offset=2&limit=10000`);
    expect(page.rows).toEqual([["a", 1, "N/A"]]);
  });

  it("puts a 400's violations on the error, for the form to place beside fields", async () => {
    const body = badRequest([
      { property: "request.filterBy.countryCodes[0]", violation: "must be two capital letters" },
    ]);
    handler = () => ({ status: 400, body });
    const error = await failure(client().submit({ request: QUERY }));
    expect(error.kind).toBe("bad-request");
    expect(error.violations).toEqual([
      { property: "request.filterBy.countryCodes[0]", violation: "must be two capital letters" },
    ]);
  });

  it.each([
    [401, "unauthorized", /check the key in Settings, and that it has the billing:usage:view scope/i],
    [403, "forbidden", /billing:usage:view scope/],
    [404, "not-found", /Run the query again/],
    [500, "unavailable", /Try again in a few minutes/],
    [502, "unavailable", /connection to Infobip/],
  ] as const)("status %i → %s, with a next step", async (status, kind, advice) => {
    handler = () => ({ status, body: API_ERRORS.internal });
    const error = await failure(client().list());
    expect(error.kind).toBe(kind);
    expect(error.advice).toMatch(advice);
    expect(error.message).not.toContain(KEY);
  });

  it("429 says how long to wait, from Retry-After", async () => {
    handler = () => ({ status: 429, body: API_ERRORS.tooManyRequests, headers: { "Retry-After": "12" } });
    const error = await failure(client().list());
    expect(error.kind).toBe("rate-limited");
    expect(error.details.retryAfterSeconds).toBe(12);
    expect(error.advice).toBe("Wait about 12 seconds and try again.");
    expect(error.retryable).toBe(true);
  });

  it("a relay that cannot be reached says to check the Relay URL", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(new RelayClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: () => KEY }).list());
    expect(error.kind).toBe("unreachable");
    expect(error.advice).toMatch(/Check the Relay URL in Settings/);
  });

  it("an answer that is not the relay's shape is refused with the field that is wrong", async () => {
    handler = () => ({ status: 200, body: { ...SUCCEEDED, status: "done" } });
    const error = await failure(client().get(ID));
    expect(error.kind).toBe("invalid-answer");
    expect(error.summary).toMatch(/status/);
    handler = () => ({ status: 200, raw: "<html>not json</html>" });
    expect((await failure(client().get(ID))).summary).toMatch(/not JSON/);
    // The list is always {queries: [...]}: a bare list is not the relay's answer.
    handler = () => ({ status: 200, body: [] });
    expect((await failure(client().list())).kind).toBe("invalid-answer");
  });

  it("refuses to call without a key", async () => {
    // Not something the relay said: nothing was sent.
    const call = new RelayClient({ baseUrl, apiKey: () => undefined }).list();
    await expect(call).rejects.toBeInstanceOf(MissingKeyError);
    await expect(call).rejects.toMatchObject({ kind: "no-key" });
    expect(seen).toEqual([]);
  });

  it("checks the connection with POST /v1/connection-check when the relay has it", async () => {
    handler = () => ({ status: 200, body: { ok: true, id: ID, requestId: "r9" } satisfies ConnectionCheckResult });
    expect((await client().checkConnection()).via).toBe("connection-check");
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /v1/connection-check"]);
  });

  it("falls back to listing queries when the relay has no connection check", async () => {
    handler = (req) =>
      req.url === "/v1/connection-check"
        ? { status: 404, body: API_ERRORS.internal }
        : { status: 200, body: NO_QUERIES };
    expect((await client().checkConnection()).via).toBe("list");
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /v1/connection-check", "GET /v1/queries"]);
  });

  it("reports a wrong key from the connection check as such", async () => {
    handler = () => ({ status: 401, body: API_ERRORS.unauthorized });
    expect((await failure(client().checkConnection())).kind).toBe("unauthorized");
  });

  it("stops at once when aborted", async () => {
    handler = () => ({ status: 200, body: NO_QUERIES });
    const controller = new AbortController();
    controller.abort();
    expect((await failure(client().list(controller.signal))).kind).toBe("aborted");
  });
});

describe("RelayClient against the real relay", () => {
  it("reads every answer of the relay with the contract's schemas: submit, wait, rows, list, check, delete", async () => {
    const infobip = await FakeInfobip.start();
    const relay = await startTestRelay({ infobipBaseUrl: infobip.url });
    try {
      const real = new RelayClient({ baseUrl: relay.url, apiKey: () => KEY });
      const submitted = await real.submit({ request: thisMonthQuery(relay.clock.now()), label: "Real relay" });
      expect(submitted.status).toBe("pending");
      const { callbackUrl, requestId } = infobip.lastSubmission();
      expect((await deliver(callbackUrl, JSON.stringify(successResult(requestId, 12)))).status).toBe(200);

      const state = await real.get(submitted.id, { waitSeconds: 30 });
      expect(state).toMatchObject({ status: "succeeded", totalRows: 12, label: "Real relay", overdue: false });
      const page = await real.rows(submitted.id, { offset: 10, limit: 5 });
      expect(page).toMatchObject({ offset: 10, limit: 5, totalRows: 12, columns: RESULT_COLUMNS });
      expect(page.rows).toEqual([resultRow(10), resultRow(11)]);
      expect((await real.list()).map((query) => query.id)).toEqual([submitted.id]);
      expect((await real.checkConnection()).via).toBe("connection-check");

      await real.remove(submitted.id);
      expect((await failure(real.get(submitted.id))).kind).toBe("not-found");
    } finally {
      await relay.close();
      await infobip.close();
    }
  });
});

describe("normaliseBaseUrl", () => {
  it("keeps origin and path, without a trailing slash", () => {
    expect(normaliseBaseUrl(" https://relay.example.com/billing/ ")).toBe("https://relay.example.com/billing");
  });
  it("refuses what is not a web address", () => {
    expect(() => normaliseBaseUrl("relay.example.com")).toThrow(RelayError);
    expect(() => normaliseBaseUrl("ftp://relay.example.com")).toThrow(/must start with https/);
  });
});
