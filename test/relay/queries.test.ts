/** The /v1 API over real HTTP: submission, pass-through of Infobip's answers, reading, ownership, deletion, CORS. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { API_ERRORS, ApiErrorSchema, QueryBillingUsageRequestSchema, validateQuery } from "../../src/billing";
import {
  ConnectionCheckResultSchema,
  QueryListSchema,
  QueryStateSchema,
  RowsPageSchema,
  SubmittedQuerySchema,
} from "../../src/relay-api";
import { CALLBACK_SECRET_PATTERN } from "../../src/relay/callback-secret";
import { deliver, FakeInfobip } from "./helpers/fake-infobip";
import { failedResult, RESULT_COLUMNS, resultRow, successResult } from "./helpers/results";
import { acceptedSubmission, call, startTestRelay, TestClock, thisMonthQuery, type TestRelay } from "./helpers/relay";

const KEY = "0123456789abcdef0123456789abcdef-1111-2222-3333-444455556666";
const OTHER_KEY = "fedcba9876543210fedcba9876543210-9999-8888-7777-666655554444";

let infobip: FakeInfobip;
let relay: TestRelay;

beforeEach(async () => {
  infobip = await FakeInfobip.start();
  relay = await startTestRelay({ infobipBaseUrl: infobip.url });
});

afterEach(async () => {
  await relay.close();
  await infobip.close();
});

async function submit(key = KEY, label?: string): Promise<{ id: string; requestId: string; callbackUrl: string }> {
  const answer = await call(relay, "POST", "/v1/queries", {
    key,
    body: { request: thisMonthQuery(relay.clock.now()), ...(label ? { label } : {}) },
  });
  expect(answer.status).toBe(202);
  const body = acceptedSubmission(answer.json);
  return { id: body.id, requestId: body.requestId, callbackUrl: infobip.lastSubmission().callbackUrl };
}

async function submitAndComplete(rows: number, key = KEY): Promise<{ id: string; requestId: string }> {
  const query = await submit(key);
  expect((await deliver(query.callbackUrl, JSON.stringify(successResult(query.requestId, rows)))).status).toBe(200);
  const settled = await call(relay, "GET", `/v1/queries/${query.id}?wait=30`, { key });
  expect(QueryStateSchema.parse(settled.json).status).toBe("succeeded");
  return query;
}

describe("POST /v1/queries", () => {
  it("forwards a valid query to Infobip with the Authorization header unchanged and a secret callback URL, then answers 202", async () => {
    const request = thisMonthQuery(relay.clock.now(), ["COUNTRY_CODE", "MONTH"]);
    const answer = await call(relay, "POST", "/v1/queries", { key: KEY, body: { request, label: "March by country" } });

    expect(answer.status).toBe(202);
    // Parsed with nothing but the contract's properties allowed, so no undeclared property is sent.
    const body = z.strictObject(SubmittedQuerySchema.shape).parse(answer.json);
    expect(Object.keys(body).sort()).toEqual(["connection", "createdAt", "id", "infobipAnswer", "requestId", "status"]);
    expect(body.connection).toBe("default");
    expect(body.status).toBe("pending");
    expect(body.requestId).toBe(infobip.lastSubmission().requestId);
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);

    expect(infobip.requests).toHaveLength(1);
    const sent = infobip.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/billing/1/usage/query");
    expect(sent?.headers.authorization).toBe(`App ${KEY}`);
    expect(sent?.headers["content-type"]).toBe("application/json");
    const forwarded = QueryBillingUsageRequestSchema.parse(JSON.parse(sent?.body ?? ""));
    expect(Object.keys(forwarded).sort()).toEqual(["callbackUrl", "request"]);
    expect(forwarded.request).toEqual(request);
    const callback = new URL(forwarded.callbackUrl);
    expect(callback.origin).toBe(relay.url);
    const [, prefix, id, secret] = callback.pathname.split("/");
    expect(prefix).toBe("callbacks");
    expect(id).toBe(body.id);
    expect(secret).toMatch(CALLBACK_SECRET_PATTERN);
    expect(Buffer.from(secret ?? "", "base64url")).toHaveLength(32);
  });

  it("gives every query its own secret", async () => {
    const first = await submit();
    const second = await submit();
    expect(first.callbackUrl.split("/").at(-1)).not.toBe(second.callbackUrl.split("/").at(-1));
  });

  it("refuses an invalid query with every violation, in the ApiError shape, and sends nothing to Infobip", async () => {
    const now = relay.clock.now();
    const answer = await call(relay, "POST", "/v1/queries", {
      key: KEY,
      body: {
        request: {
          filterBy: { dateInterval: { sentSince: "2020-01-01", sentUntil: "2020-01-01" }, countryCodes: ["usa"] },
          aggregateBy: [],
        },
        label: "x".repeat(201),
        colour: "blue",
      },
    });
    expect(answer.status).toBe(400);
    const error = ApiErrorSchema.parse(answer.json);
    expect(error.errorCode).toBe("E400");
    const properties = error.violations.map((v) => v.property);
    expect(properties).toEqual(
      expect.arrayContaining([
        "label",
        "colour",
        "request.aggregateBy",
        "request.filterBy.countryCodes[0]",
        "request.filterBy.dateInterval.sentSince",
        "request.filterBy.dateInterval.sentUntil",
      ])
    );
    expect(now.getUTCFullYear()).toBeGreaterThan(2020);
    expect(infobip.requests).toHaveLength(0);
  });

  it.each([
    ["a missing request", {}, "request"],
    ["a body that is not an object", [1, 2], "body"],
  ])("refuses %s with a 400 naming it", async (_what, body, property) => {
    const answer = await call(relay, "POST", "/v1/queries", { key: KEY, body });
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations.map((v) => v.property)).toContain(property);
    expect(infobip.requests).toHaveLength(0);
  });

  it("refuses a body that is not JSON with a 400", async () => {
    const answer = await call(relay, "POST", "/v1/queries", { key: KEY, body: "{not json" });
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations[0]?.property).toBe("body");
    expect(infobip.requests).toHaveLength(0);
  });

  it.each([
    [400, API_ERRORS.badRequest, {}],
    [401, API_ERRORS.unauthorized, {}],
    [403, API_ERRORS.forbidden, {}],
    [429, API_ERRORS.tooManyRequests, { "retry-after": "7" }],
    [500, API_ERRORS.internal, {}],
    [503, API_ERRORS.internal, {}],
  ])("passes Infobip's %i through with its body (and Retry-After), keeping nothing", async (status, body, headers) => {
    const infobipBody = {
      ...body,
      violations: status === 400 ? [{ property: "request.x", violation: "from Infobip" }] : [],
    };
    infobip.respondWith(() => ({ status, body: JSON.stringify(infobipBody), headers }));
    const answer = await call(relay, "POST", "/v1/queries", {
      key: KEY,
      body: { request: thisMonthQuery(relay.clock.now()) },
    });
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual(infobipBody);
    expect(answer.headers.get("retry-after")).toBe(status === 429 ? "7" : null);
    expect(infobip.requests).toHaveLength(1);
    const list = await call(relay, "GET", "/v1/queries", { key: KEY });
    expect(QueryListSchema.parse(list.json).queries).toEqual([]);
  });

  it("wraps an error body that is not an ApiError (an XML 401) into the standard ApiError of that status", async () => {
    infobip.respondWith(() => ({
      status: 401,
      body: "<ApiError><errorCode>E401</errorCode></ApiError>",
      headers: { "content-type": "application/xml" },
    }));
    const answer = await call(relay, "POST", "/v1/queries", {
      key: KEY,
      body: { request: thisMonthQuery(relay.clock.now()) },
    });
    expect(answer.status).toBe(401);
    const error = ApiErrorSchema.parse(answer.json);
    expect(error.errorCode).toBe("E401");
    expect(error.description).toMatch(/without an ApiError body/);
  });

  it("answers 502 when Infobip answers something the relay cannot use", async () => {
    infobip.respondWith(() => ({ status: 404, body: "<html>not here</html>" }));
    const notFound = await call(relay, "POST", "/v1/queries", {
      key: KEY,
      body: { request: thisMonthQuery(relay.clock.now()) },
    });
    expect(notFound.status).toBe(502);
    expect(ApiErrorSchema.parse(notFound.json).description).toMatch(/status 404/);

    infobip.respondWith(() => ({ status: 201, body: "{}" }));
    const noRequestId = await call(relay, "POST", "/v1/queries", {
      key: KEY,
      body: { request: thisMonthQuery(relay.clock.now()) },
    });
    expect(noRequestId.status).toBe(502);
    expect(ApiErrorSchema.parse(noRequestId.json).description).toMatch(/without a requestId/);
  });

  it("answers 502 with a clear message when Infobip cannot be reached", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await startTestRelay({ infobipBaseUrl: `http://127.0.0.1:${port}` });
    try {
      const answer = await call(unreachable, "POST", "/v1/queries", {
        key: KEY,
        body: { request: thisMonthQuery(unreachable.clock.now()) },
      });
      expect(answer.status).toBe(502);
      const error = ApiErrorSchema.parse(answer.json);
      expect(error.errorCode).toBe("E502");
      expect(error.description).toContain(`could not reach Infobip at http://127.0.0.1:${port}`);
      expect(error.description).toMatch(/ECONNREFUSED/);
      expect(error.action).toMatch(/INFOBIP_BASE_URL/);
    } finally {
      await unreachable.close();
    }
  });
});

describe("a slow Infobip", () => {
  it("keeps a query Infobip did not answer in time (202, answer unknown), and accepts its late result", async () => {
    const impatient = await startTestRelay({ infobipBaseUrl: infobip.url, infobipTimeoutSeconds: 0.2 });
    try {
      infobip.respondWith(() => ({ status: 201, delayMs: 5_000 }));
      const answer = await call(impatient, "POST", "/v1/queries", {
        key: KEY,
        body: { request: thisMonthQuery(impatient.clock.now()) },
      });
      expect(answer.status).toBe(202);
      const submitted = SubmittedQuerySchema.parse(answer.json);
      expect(submitted).toMatchObject({ requestId: null, status: "pending", infobipAnswer: "unknown" });
      const [listed] = QueryListSchema.parse((await call(impatient, "GET", "/v1/queries", { key: KEY })).json).queries;
      expect(listed).toMatchObject({ id: submitted.id, status: "pending", infobipAnswer: "unknown", overdue: false });

      // Infobip did take it: its callback comes to the address it was given.
      const { requestId, callbackUrl } = infobip.lastSubmission();
      const late = `${impatient.url}${new URL(callbackUrl).pathname}`;
      expect((await deliver(late, JSON.stringify(successResult(requestId, 12)))).status).toBe(200);
      const settled = QueryStateSchema.parse(
        (await call(impatient, "GET", `/v1/queries/${submitted.id}?wait=30`, { key: KEY })).json
      );
      expect(settled).toMatchObject({ status: "succeeded", requestId, infobipAnswer: "accepted", totalRows: 12 });
      const page = RowsPageSchema.parse(
        (await call(impatient, "GET", `/v1/queries/${submitted.id}/rows?limit=12`, { key: KEY })).json
      );
      expect(page.rows).toEqual(Array.from({ length: 12 }, (_, i) => resultRow(i)));
    } finally {
      await impatient.close();
    }
  });

  it("lets an unanswered query become overdue and be cancelled; a connection check answers 504", async () => {
    const impatient = await startTestRelay({ infobipBaseUrl: infobip.url, infobipTimeoutSeconds: 0.2 });
    try {
      infobip.respondWith(() => ({ status: 201, delayMs: 5_000 }));
      const submitted = SubmittedQuerySchema.parse(
        (
          await call(impatient, "POST", "/v1/queries", {
            key: KEY,
            body: { request: thisMonthQuery(impatient.clock.now()) },
          })
        ).json
      );
      impatient.clock.advance((impatient.config.callbackTimeoutMinutes + 1) * 60_000);
      expect((await call(impatient, "GET", `/v1/queries/${submitted.id}`, { key: KEY })).json).toMatchObject({
        status: "pending",
        infobipAnswer: "unknown",
        overdue: true,
      });
      expect((await call(impatient, "DELETE", `/v1/queries/${submitted.id}`, { key: KEY })).status).toBe(204);
      const { callbackUrl, requestId } = infobip.lastSubmission();
      expect(
        (await deliver(`${impatient.url}${new URL(callbackUrl).pathname}`, JSON.stringify(successResult(requestId, 1))))
          .status
      ).toBe(404);

      const check = await call(impatient, "POST", "/v1/connection-check", { key: KEY });
      expect(check.status).toBe(504);
      expect(ApiErrorSchema.parse(check.json).description).toMatch(/was reached but did not answer within 0.2 seconds/);
    } finally {
      await impatient.close();
    }
  });
});

describe("authentication and ownership", () => {
  it.each([
    ["GET", "/v1/queries"],
    ["POST", "/v1/queries"],
    ["GET", "/v1/queries/00000000-0000-4000-8000-000000000000"],
    ["GET", "/v1/queries/00000000-0000-4000-8000-000000000000/rows"],
    ["GET", "/v1/queries/00000000-0000-4000-8000-000000000000/raw"],
    ["DELETE", "/v1/queries/00000000-0000-4000-8000-000000000000"],
    ["POST", "/v1/connection-check"],
  ])("%s %s without a key is 401 in the ApiError shape", async (method, path) => {
    const answer = await call(relay, method, path, method === "POST" ? { body: {} } : {});
    expect(answer.status).toBe(401);
    expect(ApiErrorSchema.parse(answer.json).errorCode).toBe("E401");
    expect(infobip.requests).toHaveLength(0);
  });

  it.each(["Token abc", "App", "App  ", "apikey"])("refuses the malformed header %j with 401", async (header) => {
    const answer = await call(relay, "GET", "/v1/queries", { headers: { authorization: header } });
    expect(answer.status).toBe(401);
    expect(ApiErrorSchema.parse(answer.json).description).toMatch(/not one Infobip accepts/);
  });

  it("shows a query only to the key that submitted it: another key gets the same 404 as an unknown ID", async () => {
    const { id } = await submitAndComplete(3);
    const unknown = "5f0c6f4e-1d2b-4c3a-9e8f-7a6b5c4d3e2f";
    for (const suffix of ["", "/rows", "/raw"]) {
      const foreign = await call(relay, "GET", `/v1/queries/${id}${suffix}`, { key: OTHER_KEY });
      const missing = await call(relay, "GET", `/v1/queries/${unknown}${suffix}`, { key: OTHER_KEY });
      expect(foreign.status).toBe(404);
      expect(foreign.json).toEqual(missing.json);
    }
    expect((await call(relay, "DELETE", `/v1/queries/${id}`, { key: OTHER_KEY })).status).toBe(404);
    expect(QueryListSchema.parse((await call(relay, "GET", "/v1/queries", { key: OTHER_KEY })).json).queries).toEqual(
      []
    );
    // Still there for its owner.
    expect((await call(relay, "GET", `/v1/queries/${id}`, { key: KEY })).status).toBe(200);
  });

  it("refuses a malformed query ID with 400 before looking anything up", async () => {
    const answer = await call(relay, "GET", "/v1/queries/not-an-id", { key: KEY });
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations).toEqual([
      { property: "id", violation: expect.stringMatching(/query ID/) },
    ]);
  });
});

describe("reading results", () => {
  it("lists the caller's queries, newest first, with their state", async () => {
    const first = await submit(KEY, "first");
    relay.clock.advance(1000);
    const second = await submitAndComplete(2);
    await submit(OTHER_KEY, "someone else's");
    const list = await call(relay, "GET", "/v1/queries", { key: KEY });
    expect(list.status).toBe(200);
    const { queries } = QueryListSchema.parse(list.json);
    expect(queries.map((q) => [q.id, q.status])).toEqual([
      [second.id, "succeeded"],
      [first.id, "pending"],
    ]);
    expect(queries[1]?.label).toBe("first");
  });

  it("describes a succeeded query with its columns, metadata, period and row count", async () => {
    const { id, requestId } = await submitAndComplete(5);
    const answer = await call(relay, "GET", `/v1/queries/${id}`, { key: KEY });
    const expected = successResult(requestId, 5);
    expect(answer.json).toEqual({
      id,
      requestId,
      infobipAnswer: "accepted",
      label: null,
      connection: "default",
      status: "succeeded",
      createdAt: expect.any(String),
      completedAt: expect.any(String),
      totalRows: 5,
      columns: RESULT_COLUMNS,
      metadata: expected.metadata,
      requestedPeriod: expected.response?.requestedPeriod,
      failureMessage: null,
      overdue: false,
      expiresAt: expect.any(String),
      request: thisMonthQuery(relay.clock.now()),
    });
  });

  it("pages through the rows with offset and limit, in order, with totalRows", async () => {
    const { id } = await submitAndComplete(2500);
    const seen: unknown[] = [];
    for (let offset = 0; offset < 2500; offset += 1000) {
      const page = await call(relay, "GET", `/v1/queries/${id}/rows?offset=${offset}&limit=1000`, { key: KEY });
      expect(page.status).toBe(200);
      const body = RowsPageSchema.parse(page.json);
      expect(body.offset).toBe(offset);
      expect(body.limit).toBe(1000);
      expect(body.totalRows).toBe(2500);
      seen.push(...body.rows);
    }
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => resultRow(i)));
    const past = await call(relay, "GET", `/v1/queries/${id}/rows?offset=5000&limit=10`, { key: KEY });
    expect(RowsPageSchema.parse(past.json).rows).toEqual([]);
    const defaults = await call(relay, "GET", `/v1/queries/${id}/rows`, { key: KEY });
    expect(RowsPageSchema.parse(defaults.json).rows).toHaveLength(1000);
  });

  it.each([
    ["limit=10001", "limit"],
    ["limit=0", "limit"],
    ["offset=-1", "offset"],
    ["offset=abc", "offset"],
  ])("refuses rows?%s with a 400 naming %s", async (queryString, property) => {
    const { id } = await submitAndComplete(1);
    const answer = await call(relay, "GET", `/v1/queries/${id}/rows?${queryString}`, { key: KEY });
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations.map((v) => v.property)).toEqual([property]);
  });

  it("accepts the largest page of 10,000 rows", async () => {
    const { id } = await submitAndComplete(10_000);
    const page = await call(relay, "GET", `/v1/queries/${id}/rows?offset=0&limit=10000`, { key: KEY });
    expect(RowsPageSchema.parse(page.json).rows).toHaveLength(10_000);
  });

  it("answers 409 for rows of a query that is pending or failed", async () => {
    const pending = await submit();
    const early = await call(relay, "GET", `/v1/queries/${pending.id}/rows`, { key: KEY });
    expect(early.status).toBe(409);
    expect(ApiErrorSchema.parse(early.json).description).toMatch(/not arrived yet/);
    expect((await call(relay, "GET", `/v1/queries/${pending.id}/raw`, { key: KEY })).status).toBe(409);

    await deliver(pending.callbackUrl, JSON.stringify(failedResult(pending.requestId, "Could not load data")));
    await call(relay, "GET", `/v1/queries/${pending.id}?wait=30`, { key: KEY });
    const failed = await call(relay, "GET", `/v1/queries/${pending.id}/rows`, { key: KEY });
    expect(failed.status).toBe(409);
    expect(ApiErrorSchema.parse(failed.json).description).toMatch(/status is failed/);
  });

  it("returns the exact bytes Infobip delivered", async () => {
    const query = await submit();
    const body = Buffer.from(`  ${JSON.stringify(successResult(query.requestId, 40), null, 3)}\n\n`, "utf8");
    expect((await deliver(query.callbackUrl, body)).status).toBe(200);
    await call(relay, "GET", `/v1/queries/${query.id}?wait=30`, { key: KEY });
    const response = await fetch(`${relay.url}/v1/queries/${query.id}/raw`, {
      headers: { authorization: `App ${KEY}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("content-length")).toBe(String(body.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
  });

  it("deletes a query and everything stored for it: 204, then the same 404 as an unknown ID", async () => {
    const { id } = await submitAndComplete(20);
    const deleted = await call(relay, "DELETE", `/v1/queries/${id}`, { key: KEY });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    for (const suffix of ["", "/rows", "/raw"]) {
      expect((await call(relay, "GET", `/v1/queries/${id}${suffix}`, { key: KEY })).status).toBe(404);
    }
    expect((await call(relay, "DELETE", `/v1/queries/${id}`, { key: KEY })).status).toBe(404);
  });
});

describe("long-poll and overdue", () => {
  it("holds GET ?wait until the callback lands, then answers at once with the new status", async () => {
    const query = await submit();
    const polling = call(relay, "GET", `/v1/queries/${query.id}?wait=30`, { key: KEY });
    // The poll is waiting before the callback is sent.
    while (relay.app.settlements.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await deliver(query.callbackUrl, JSON.stringify(successResult(query.requestId, 3)))).status).toBe(200);
    const answer = await polling;
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: "succeeded", totalRows: 3 });
  });

  it("answers a wait with the pending state when nothing arrives in time", async () => {
    const query = await submit();
    const answer = await call(relay, "GET", `/v1/queries/${query.id}?wait=1`, { key: KEY });
    expect(answer.json).toMatchObject({ status: "pending", overdue: false });
  });

  it("wakes a waiting poll with 404 when the query is deleted", async () => {
    const query = await submit();
    const polling = call(relay, "GET", `/v1/queries/${query.id}?wait=30`, { key: KEY });
    while (relay.app.settlements.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await call(relay, "DELETE", `/v1/queries/${query.id}`, { key: KEY })).status).toBe(204);
    expect((await polling).status).toBe(404);
  });

  it("releases a waiting poll when the relay closes, so closing does not wait for it", async () => {
    const query = await submit();
    const polling = call(relay, "GET", `/v1/queries/${query.id}?wait=30`, { key: KEY });
    while (relay.app.settlements.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await relay.close();
    expect((await polling).json).toMatchObject({ status: "pending" });
  });

  it.each(["wait=31", "wait=-1", "wait=soon"])("refuses ?%s with a 400", async (queryString) => {
    const query = await submit();
    const answer = await call(relay, "GET", `/v1/queries/${query.id}?${queryString}`, { key: KEY });
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations.map((v) => v.property)).toEqual(["wait"]);
  });

  it("flags a query pending longer than RELAY_CALLBACK_TIMEOUT_MINUTES as overdue, and still accepts its late callback", async () => {
    const query = await submit();
    relay.clock.advance(59 * 60_000);
    expect((await call(relay, "GET", `/v1/queries/${query.id}`, { key: KEY })).json).toMatchObject({ overdue: false });
    relay.clock.advance(2 * 60_000);
    expect((await call(relay, "GET", `/v1/queries/${query.id}`, { key: KEY })).json).toMatchObject({
      status: "pending",
      overdue: true,
    });
    const listed = QueryListSchema.parse((await call(relay, "GET", "/v1/queries", { key: KEY })).json);
    expect(listed.queries[0]?.overdue).toBe(true);

    expect((await deliver(query.callbackUrl, JSON.stringify(successResult(query.requestId, 2)))).status).toBe(200);
    const late = await call(relay, "GET", `/v1/queries/${query.id}?wait=30`, { key: KEY });
    expect(late.json).toMatchObject({ status: "succeeded", overdue: false, totalRows: 2 });
  });
});

describe("connection check", () => {
  it("submits a tiny real query with the caller's key and answers ok; the check stays out of the list", async () => {
    const answer = await call(relay, "POST", "/v1/connection-check", { key: KEY, body: {} });
    expect(answer.status).toBe(200);
    expect(ConnectionCheckResultSchema.parse(answer.json)).toMatchObject({
      ok: true,
      requestId: infobip.lastSubmission().requestId,
    });
    const sent = infobip.lastSubmission();
    expect(sent.authorization).toBe(`App ${KEY}`);
    expect(QueryListSchema.parse((await call(relay, "GET", "/v1/queries", { key: KEY })).json).queries).toEqual([]);
  });

  it.each([
    ["mid-month", "2026-03-15T10:00:00Z", { sentSince: "2026-02-01", sentUntil: "2026-03-01" }],
    [
      "on the 1st at midnight, across a year",
      "2027-01-01T00:00:00Z",
      { sentSince: "2026-12-01", sentUntil: "2027-01-01" },
    ],
  ])(
    "checks the key with last month by MONTH, wholly in the past and within retention (%s)",
    async (_when, instant, lastMonth) => {
      const now = new Date(instant);
      const frozen = await startTestRelay({ infobipBaseUrl: infobip.url, clock: new TestClock(now.getTime()) });
      try {
        expect((await call(frozen, "POST", "/v1/connection-check", { key: KEY, body: {} })).status).toBe(200);
        const sent = infobip.lastSubmission().request;
        expect(sent).toEqual({ filterBy: { dateInterval: lastMonth }, aggregateBy: ["MONTH"] });
        // sentUntil is exclusive: the interval ends at or before now, and the billing rules accept it.
        expect(new Date(`${lastMonth.sentUntil}T00:00:00Z`).getTime()).toBeLessThanOrEqual(now.getTime());
        expect(validateQuery(sent, now, ["request"])).toMatchObject({ ok: true });
      } finally {
        await frozen.close();
      }
    }
  );

  it.each([401, 403])("passes Infobip's %i through", async (status) => {
    infobip.respondWith(() => ({
      status,
      body: JSON.stringify(status === 401 ? API_ERRORS.unauthorized : API_ERRORS.forbidden),
    }));
    const answer = await call(relay, "POST", "/v1/connection-check", { key: KEY, body: {} });
    expect(answer.status).toBe(status);
    expect(ApiErrorSchema.parse(answer.json).errorCode).toBe(`E${status}`);
  });
});

describe("CORS and health", () => {
  it("answers a preflight from an allowed origin for authorization and content-type", async () => {
    for (const origin of ["https://localhost:3000", "http://localhost:3000"]) {
      const response = await fetch(`${relay.url}/v1/queries`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization,content-type",
        },
      });
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      const allowed = (response.headers.get("access-control-allow-headers") ?? "")
        .toLowerCase()
        .split(",")
        .map((h) => h.trim());
      expect(allowed.sort()).toEqual(["authorization", "content-type"]);
      expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    }
  });

  it("gives no CORS grant to another origin", async () => {
    const preflight = await fetch(`${relay.url}/v1/queries`, {
      method: "OPTIONS",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const simple = await call(relay, "GET", "/v1/queries", { key: KEY, headers: { origin: "https://evil.example" } });
    expect(simple.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers /healthz without a key, and unknown paths with a 404 ApiError", async () => {
    expect((await call(relay, "GET", "/healthz")).json).toEqual({ status: "ok" });
    const missing = await call(relay, "GET", "/nowhere");
    expect(missing.status).toBe(404);
    expect(ApiErrorSchema.parse(missing.json).errorCode).toBe("E404");
  });
});
