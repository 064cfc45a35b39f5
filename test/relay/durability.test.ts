/**
 * Nothing is lost across restarts, and results go when their time is up: real relays on one SQLite file, or one
 * PostgreSQL database (Jest's postgresql project).
 */
import fs from "node:fs";
import path from "node:path";
import { RowsPageSchema } from "../../src/relay-api";
import { deliver, FakeInfobip } from "./helpers/fake-infobip";
import { resultRow, successResult } from "./helpers/results";
import {
  acceptedSubmission,
  call,
  startTestRelay,
  tempDataDir,
  TestClock,
  thisMonthQuery,
  type TestRelay,
} from "./helpers/relay";
import { openTestStore, STORE_KIND, tableCounts as countTables } from "./helpers/stores";

const KEY = "7777bbbb7777bbbb7777bbbb7777bbbb-0000-1111-2222-333344445555";

let infobip: FakeInfobip;
const open: TestRelay[] = [];

beforeEach(async () => {
  infobip = await FakeInfobip.start();
});

afterEach(async () => {
  for (const relay of open.splice(0)) await relay.close();
  await infobip.close();
});

async function start(dataDir: string, extra: { clock?: TestClock; resultTtlHours?: number } = {}): Promise<TestRelay> {
  const relay = await startTestRelay({ infobipBaseUrl: infobip.url, dataDir, ...extra });
  open.push(relay);
  return relay;
}

async function stop(relay: TestRelay): Promise<void> {
  open.splice(open.indexOf(relay), 1);
  await relay.close();
}

async function submit(relay: TestRelay): Promise<{ id: string; requestId: string; callbackPath: string }> {
  const answer = await call(relay, "POST", "/v1/queries", {
    key: KEY,
    body: { request: thisMonthQuery(relay.clock.now()) },
  });
  expect(answer.status).toBe(202);
  const { id, requestId } = acceptedSubmission(answer.json);
  return { id, requestId, callbackPath: new URL(infobip.lastSubmission().callbackUrl).pathname };
}

function tableCounts(dataDir: string): Promise<Record<string, number>> {
  return countTables(dataDir, ["queries", "deliveries", "raw_chunks", "result_rows"]);
}

it("completes a query submitted before a restart when its callback reaches the next relay", async () => {
  const dataDir = tempDataDir();
  const before = await start(dataDir);
  const query = await submit(before);
  await stop(before);

  // A new process on the same data directory (its port may differ; the callback path is what counts).
  const after = await start(dataDir);
  expect(await call(after, "GET", `/v1/queries/${query.id}`, { key: KEY })).toMatchObject({
    status: 200,
    json: { status: "pending" },
  });
  expect(
    (await deliver(`${after.url}${query.callbackPath}`, JSON.stringify(successResult(query.requestId, 30)))).status
  ).toBe(200);
  const settled = await call(after, "GET", `/v1/queries/${query.id}?wait=30`, { key: KEY });
  expect(settled.json).toMatchObject({ status: "succeeded", totalRows: 30, requestId: query.requestId });
  const page = await call(after, "GET", `/v1/queries/${query.id}/rows?limit=30`, { key: KEY });
  expect(RowsPageSchema.parse(page.json).rows).toEqual(Array.from({ length: 30 }, (_, i) => resultRow(i)));
});

it("keeps a stored result, its rows and its raw bytes across a restart", async () => {
  const dataDir = tempDataDir();
  const first = await start(dataDir);
  const query = await submit(first);
  const body = JSON.stringify(successResult(query.requestId, 25));
  expect((await deliver(`${first.url}${query.callbackPath}`, body)).status).toBe(200);
  const state = (await call(first, "GET", `/v1/queries/${query.id}?wait=30`, { key: KEY })).json;
  await stop(first);

  const second = await start(dataDir);
  expect((await call(second, "GET", `/v1/queries/${query.id}`, { key: KEY })).json).toEqual(state);
  const raw = await fetch(`${second.url}/v1/queries/${query.id}/raw`, { headers: { authorization: `App ${KEY}` } });
  expect(await raw.text()).toBe(body);
  const page = await call(second, "GET", `/v1/queries/${query.id}/rows?offset=20&limit=10`, { key: KEY });
  expect(RowsPageSchema.parse(page.json).rows).toEqual([20, 21, 22, 23, 24].map(resultRow));
});

it("reads at start a body that was stored (and acknowledged) but not yet read when the relay stopped", async () => {
  const dataDir = tempDataDir();
  const first = await start(dataDir);
  const query = await submit(first);
  await stop(first);

  // As if the relay had answered 200 and died before reading: the body is in the store, the query `received`.
  const store = await openTestStore(dataDir);
  const body = Buffer.from(JSON.stringify(successResult(query.requestId, 40)));
  const delivery = await store.beginDelivery(query.id, "application/json", Date.now());
  await store.appendChunk(delivery, 0, body.subarray(0, 1000));
  await store.appendChunk(delivery, 1, body.subarray(1000));
  expect(await store.completeDelivery(delivery, body.length)).toBe("accepted");
  // And a second, interrupted delivery whose sender never got an answer.
  const interrupted = await store.beginDelivery(query.id, "application/json", Date.now());
  await store.appendChunk(interrupted, 0, Buffer.from('{"partial'));
  await store.close();

  const second = await start(dataDir);
  const settled = await call(second, "GET", `/v1/queries/${query.id}?wait=30`, { key: KEY });
  expect(settled.json).toMatchObject({ status: "succeeded", totalRows: 40 });
  expect(await tableCounts(dataDir)).toMatchObject({ deliveries: 1, raw_chunks: 2, result_rows: 40 });
});

it("deletes results after RELAY_RESULT_TTL_HOURS, sweeping at start", async () => {
  const dataDir = tempDataDir();
  const clock = new TestClock();
  const first = await start(dataDir, { clock, resultTtlHours: 2 });
  const done = await submit(first);
  expect(
    (await deliver(`${first.url}${done.callbackPath}`, JSON.stringify(successResult(done.requestId, 50)))).status
  ).toBe(200);
  await call(first, "GET", `/v1/queries/${done.id}?wait=30`, { key: KEY });
  clock.advance(60 * 60_000);
  const younger = await submit(first);
  await stop(first);
  expect(await tableCounts(dataDir)).toEqual({ queries: 2, deliveries: 1, raw_chunks: 1, result_rows: 50 });

  clock.advance(61 * 60_000); // the first result is now 2 h 1 min old, the second query 1 h 1 min
  const second = await start(dataDir, { clock, resultTtlHours: 2 });
  expect((await call(second, "GET", `/v1/queries/${done.id}`, { key: KEY })).status).toBe(404);
  expect((await call(second, "GET", `/v1/queries/${younger.id}`, { key: KEY })).status).toBe(200);
  expect(await tableCounts(dataDir)).toEqual({ queries: 1, deliveries: 0, raw_chunks: 0, result_rows: 0 });
  // A callback for an expired query finds nothing.
  expect((await deliver(`${second.url}${done.callbackPath}`, "{}")).status).toBe(404);
});

it("sweeps on its timer too, without a restart", async () => {
  const clock = new TestClock();
  const relay = await startTestRelay({
    infobipBaseUrl: infobip.url,
    clock,
    resultTtlHours: 1,
    deps: { sweepIntervalMs: 20 },
  });
  open.push(relay);
  const query = await submit(relay);
  expect((await call(relay, "GET", `/v1/queries/${query.id}`, { key: KEY })).status).toBe(200);
  clock.advance(2 * 3_600_000);
  while ((await call(relay, "GET", `/v1/queries/${query.id}`, { key: KEY })).status !== 404) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect((await tableCounts(relay.dataDir)).queries).toBe(0);
});

it(`keeps the generated key-hash secret ${STORE_KIND === "sqlite" ? "in the data directory, readable by its owner only" : "in the database"}, so keys still see their queries after a restart`, async () => {
  const dataDir = tempDataDir();
  const first = await start(dataDir);
  const query = await submit(first);
  await stop(first);
  const secretFile = path.join(dataDir, "relay-secret");
  if (STORE_KIND === "sqlite") expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
  else expect(fs.existsSync(secretFile)).toBe(false);
  const second = await start(dataDir);
  expect((await call(second, "GET", `/v1/queries/${query.id}`, { key: KEY })).status).toBe(200);
});
