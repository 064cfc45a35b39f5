/**
 * Named Infobip connections over real HTTP: one relay, two recording fakes of Infobip standing for two accounts
 * (or data centres). A query goes to the base URL of the connection it names (the default when it names none), an
 * unknown name is refused before anything leaves the relay, and the view reports where each query went.
 */
import { ApiErrorSchema } from "../../src/billing";
import {
  ConnectionCheckResultSchema,
  ConnectionListSchema,
  QueryListSchema,
  QueryStateSchema,
  SubmittedQuerySchema,
} from "../../src/relay-api";
import { hashCallbackSecret } from "../../src/relay/callback-secret";
import type { StoredQuery } from "../../src/relay/store";
import { queryView } from "../../src/relay/views";
import { FakeInfobip } from "./helpers/fake-infobip";
import { call, startTestRelay, thisMonthQuery, type TestRelay } from "./helpers/relay";

const KEY = "0123456789abcdef0123456789abcdef-1111-2222-3333-444455556666";

let eu: FakeInfobip;
let us: FakeInfobip;
let relay: TestRelay;

beforeEach(async () => {
  [eu, us] = await Promise.all([FakeInfobip.start(), FakeInfobip.start()]);
  relay = await startTestRelay({
    connections: {
      list: [
        { name: "eu", baseUrl: eu.url },
        { name: "us", baseUrl: us.url },
      ],
      defaultName: "us",
    },
  });
});

afterEach(async () => {
  await relay.close();
  await Promise.all([eu.close(), us.close()]);
});

function submitBody(connection?: unknown): Record<string, unknown> {
  return { request: thisMonthQuery(relay.clock.now()), ...(connection === undefined ? {} : { connection }) };
}

it("lists the connections by name with the default, without a key and without base URLs", async () => {
  const answer = await call(relay, "GET", "/v1/connections");
  expect(answer.status).toBe(200);
  expect(ConnectionListSchema.parse(answer.json)).toEqual({
    connections: [
      { name: "eu", default: false },
      { name: "us", default: true },
    ],
  });
  expect(answer.text).not.toContain("127.0.0.1");
});

it("sends a query to the base URL of the connection it names, and the view reports that connection", async () => {
  const answer = await call(relay, "POST", "/v1/queries", { key: KEY, body: submitBody("eu") });
  expect(answer.status).toBe(202);
  const submitted = SubmittedQuerySchema.parse(answer.json);
  expect(submitted.connection).toBe("eu");
  expect(eu.submissions).toHaveLength(1);
  expect(us.requests).toHaveLength(0);
  expect(submitted.requestId).toBe(eu.lastSubmission().requestId);

  const view = QueryStateSchema.parse((await call(relay, "GET", `/v1/queries/${submitted.id}`, { key: KEY })).json);
  expect(view.connection).toBe("eu");
});

it("sends a query without a connection (or with null) to the default one", async () => {
  for (const body of [submitBody(), submitBody(null)]) {
    const answer = await call(relay, "POST", "/v1/queries", { key: KEY, body });
    expect(answer.status).toBe(202);
    expect(SubmittedQuerySchema.parse(answer.json).connection).toBe("us");
  }
  expect(us.submissions).toHaveLength(2);
  expect(eu.requests).toHaveLength(0);
  const list = QueryListSchema.parse((await call(relay, "GET", "/v1/queries", { key: KEY })).json);
  expect(list.queries.map((query) => query.connection)).toEqual(["us", "us"]);
});

it("refuses an unknown connection with a 400 naming `connection`, and nothing leaves the relay", async () => {
  const answer = await call(relay, "POST", "/v1/queries", { key: KEY, body: submitBody("asia") });
  expect(answer.status).toBe(400);
  const error = ApiErrorSchema.parse(answer.json);
  expect(error.violations).toEqual([
    {
      property: "connection",
      violation: expect.stringMatching(/must be one of this relay's connections \(eu, us; .*"asia" is not one/),
    },
  ]);
  expect(eu.requests).toHaveLength(0);
  expect(us.requests).toHaveLength(0);
  const list = QueryListSchema.parse((await call(relay, "GET", "/v1/queries", { key: KEY })).json);
  expect(list.queries).toEqual([]);
});

it("reports an unknown connection together with the query's own violations", async () => {
  const answer = await call(relay, "POST", "/v1/queries", {
    key: KEY,
    body: { request: { ...thisMonthQuery(relay.clock.now()), aggregateBy: [] }, connection: "asia" },
  });
  expect(answer.status).toBe(400);
  const properties = ApiErrorSchema.parse(answer.json).violations.map((violation) => violation.property);
  expect(properties).toContain("connection");
  expect(properties).toContain("request.aggregateBy");
  expect(eu.requests.length + us.requests.length).toBe(0);
});

it.each([["EU"], ["https://evil.example.com"], [""], [42]])(
  "refuses the connection %j by the name rule, and nothing leaves the relay",
  async (connection) => {
    const answer = await call(relay, "POST", "/v1/queries", { key: KEY, body: submitBody(connection) });
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations).toEqual([
      { property: "connection", violation: expect.stringMatching(/must be a connection name/) },
    ]);
    expect(eu.requests.length + us.requests.length).toBe(0);
  }
);

it("checks a key on the connection named in the query string, the default without one", async () => {
  const onEu = await call(relay, "POST", "/v1/connection-check?connection=eu", { key: KEY, body: {} });
  expect(onEu.status).toBe(200);
  expect(ConnectionCheckResultSchema.parse(onEu.json).requestId).toBe(eu.lastSubmission().requestId);
  const onDefault = await call(relay, "POST", "/v1/connection-check", { key: KEY, body: {} });
  expect(onDefault.status).toBe(200);
  expect(ConnectionCheckResultSchema.parse(onDefault.json).requestId).toBe(us.lastSubmission().requestId);
  expect([eu.submissions.length, us.submissions.length]).toEqual([1, 1]);
});

it.each([
  ["asia", /must be one of this relay's connections/],
  ["Not A Name", /must be a connection name/],
])(
  "refuses a connection check on %j with a 400 naming `connection`, and nothing leaves the relay",
  async (name, rule) => {
    const answer = await call(relay, "POST", `/v1/connection-check?connection=${encodeURIComponent(name)}`, {
      key: KEY,
      body: {},
    });
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.json).violations).toEqual([
      { property: "connection", violation: expect.stringMatching(rule) },
    ]);
    expect(eu.requests.length + us.requests.length).toBe(0);
  }
);

it("passes each connection's own refusal through: a key of one account is refused by the other", async () => {
  us.respondWith(() => ({
    status: 401,
    body: JSON.stringify({
      errorCode: "E401",
      description: "Invalid login details",
      action: "",
      violations: [],
      resources: [],
    }),
  }));
  expect((await call(relay, "POST", "/v1/queries", { key: KEY, body: submitBody("eu") })).status).toBe(202);
  const refused = await call(relay, "POST", "/v1/queries", { key: KEY, body: submitBody("us") });
  expect(refused.status).toBe(401);
  expect(ApiErrorSchema.parse(refused.json).errorCode).toBe("E401");
});

it("reports a query stored before the relay had connections as on the default connection", () => {
  const stored: StoredQuery = {
    id: "00000000-0000-4000-8000-000000000000",
    owner: "owner",
    requestId: "R1",
    label: null,
    connection: null,
    hidden: false,
    requestJson: JSON.stringify(thisMonthQuery(new Date())),
    secretHash: hashCallbackSecret("s"),
    state: "pending",
    createdAt: Date.now(),
    completedAt: null,
    expiresAt: Date.now() + 60_000,
    deliveryId: null,
    totalRows: null,
    columns: null,
    metadata: null,
    requestedPeriod: null,
    failureMessage: null,
  };
  expect(queryView(stored, new Date(), { timeoutMinutes: 60, defaultConnection: "us" }).connection).toBe("us");
  expect(
    queryView({ ...stored, connection: "eu" }, new Date(), { timeoutMinutes: 60, defaultConnection: "us" }).connection
  ).toBe("eu");
});
