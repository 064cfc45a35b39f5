/**
 * The relay against the real emulator of Infobip's Billing Usage API (src/emulator), over loopback: the
 * emulator computes the result and POSTs it to the relay's callback URL, as Infobip would.
 */
import { startEmulator, FaultSchema, type RunningEmulator } from "../../src/emulator";
import { BillingUsageResultSchema } from "../../src/billing";
import { QueryStateSchema, RowsPageSchema, type QueryState } from "../../src/relay-api";
import { acceptedSubmission, call, startTestRelay, thisMonthQuery, type TestRelay } from "./helpers/relay";

const KEY = "demo-key";

let emulator: RunningEmulator;
let relay: TestRelay;

beforeAll(async () => {
  emulator = await startEmulator({ callbackDelayMs: 20, callbackRetryDelaysMs: [] });
  relay = await startTestRelay({ infobipBaseUrl: emulator.url });
});

afterAll(async () => {
  await relay.close();
  await emulator.close();
});

afterEach(() => {
  emulator.faults.clear();
});

async function submit(key = KEY): Promise<{ id: string; requestId: string }> {
  const answer = await call(relay, "POST", "/v1/queries", {
    key,
    body: { request: thisMonthQuery(relay.clock.now(), ["CATEGORY_CODE", "COUNTRY_CODE", "DAY"]) },
  });
  expect(answer.status).toBe(202);
  return acceptedSubmission(answer.json);
}

async function settle(id: string): Promise<QueryState> {
  return QueryStateSchema.parse((await call(relay, "GET", `/v1/queries/${id}?wait=30`, { key: KEY })).json);
}

/** Waits until the emulator has finished delivering the callbacks of a request. */
async function deliveryOf(
  requestId: string
): Promise<NonNullable<ReturnType<RunningEmulator["requests"]["find"]>>["delivery"]> {
  for (;;) {
    const delivery = emulator.requests.find(requestId)?.delivery;
    if (delivery && (delivery.state === "delivered" || delivery.state === "failed")) return delivery;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("submits through the relay, receives the emulator's callback and pages back exactly what was delivered", async () => {
  const { id, requestId } = await submit();
  const state = await settle(id);
  expect(state).toMatchObject({ status: "succeeded", requestId, failureMessage: null });
  const totalRows = state.totalRows ?? 0;
  expect(totalRows).toBeGreaterThan(0);

  const raw = BillingUsageResultSchema.parse(
    JSON.parse(
      await (await fetch(`${relay.url}/v1/queries/${id}/raw`, { headers: { authorization: `App ${KEY}` } })).text()
    )
  );
  expect(state.columns).toEqual(raw.response?.columns);
  expect(state.metadata).toEqual(raw.metadata);
  expect(state.requestedPeriod).toEqual(raw.response?.requestedPeriod);

  const paged: unknown[] = [];
  const pageSize = Math.max(1, Math.ceil(totalRows / 3));
  for (let offset = 0; offset < totalRows; offset += pageSize) {
    const page = await call(relay, "GET", `/v1/queries/${id}/rows?offset=${offset}&limit=${pageSize}`, { key: KEY });
    paged.push(...RowsPageSchema.parse(page.json).rows);
  }
  expect(paged).toEqual(raw.response?.rows);

  const delivery = await deliveryOf(requestId);
  expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
});

it("records a FAILED result with the emulator's failureMessage", async () => {
  emulator.faults.add(FaultSchema.parse({ kind: "failed", failureMessage: "Could not load data" }));
  const { id } = await submit();
  expect(await settle(id)).toMatchObject({ status: "failed", failureMessage: "Could not load data" });
});

it("answers a duplicated callback 200 and keeps the first result", async () => {
  emulator.faults.add(FaultSchema.parse({ kind: "duplicate" }));
  const { id, requestId } = await submit();
  const delivery = await deliveryOf(requestId);
  expect(delivery.attempts.map((a) => [a.copy, a.status])).toEqual([
    [1, 200],
    [2, 200],
  ]);
  expect(await settle(id)).toMatchObject({ status: "succeeded" });
});

it("refuses a callback with a tampered secret (404) and leaves the query pending", async () => {
  emulator.faults.add(FaultSchema.parse({ kind: "wrong-url" }));
  const { id, requestId } = await submit();
  const delivery = await deliveryOf(requestId);
  expect(delivery.attempts.map((a) => a.status)).toEqual([404]);
  expect((await call(relay, "GET", `/v1/queries/${id}`, { key: KEY })).json).toMatchObject({ status: "pending" });
});

it("passes the emulator's 429 through with Retry-After, and its 401 for a key without the scope", async () => {
  emulator.faults.add(FaultSchema.parse({ kind: "http-429" }));
  const throttled = await call(relay, "POST", "/v1/queries", {
    key: KEY,
    body: { request: thisMonthQuery(relay.clock.now()) },
  });
  expect(throttled.status).toBe(429);
  expect(throttled.headers.get("retry-after")).toBe("1");
  expect(throttled.json).toMatchObject({ errorCode: "E429" });

  const noScope = await call(relay, "POST", "/v1/queries", {
    key: "demo-noscope-key",
    body: { request: thisMonthQuery(relay.clock.now()) },
  });
  expect(noScope.status).toBe(401);
  expect(noScope.json).toMatchObject({ errorCode: "E401" });
  const unknown = await call(relay, "POST", "/v1/connection-check", { key: "not-a-demo-key", body: {} });
  expect(unknown.status).toBe(401);
});

it("checks a connection with a real tiny query", async () => {
  const answer = await call(relay, "POST", "/v1/connection-check", { key: KEY, body: {} });
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({ ok: true });
});
