/**
 * No result stuck in `pending`: a callback acknowledged with 200 whose rows could not be written (a full disk,
 * injected at the store seam: the real SQLite store, whose row writes (`appendRows`, `appendRowBlocks`) fail as SQLite does on a full disk) is read
 * again with backoff, and after RELAY_RESULT_READ_ATTEMPTS tries the query is `unreadable` with the reason, its raw
 * bytes kept. Over real HTTP.
 */
import { QueryStateSchema, RowsPageSchema, SubmittedQuerySchema } from "../../src/relay-api";
import { openSqliteStore, type RelayStore } from "../../src/relay/store";
import { deliver, FakeInfobip } from "./helpers/fake-infobip";
import { resultRow, successResult } from "./helpers/results";
import { call, startTestRelay, tempDataDir, thisMonthQuery, type TestRelay } from "./helpers/relay";

const KEY = "4e7a4e7a4e7a4e7a4e7a4e7a4e7a4e7a-0000-1111-2222-333344445555";

let infobip: FakeInfobip;
let relay: TestRelay | undefined;

beforeEach(async () => {
  infobip = await FakeInfobip.start();
});

afterEach(async () => {
  await relay?.close();
  relay = undefined;
  await infobip.close();
});

/** The real store, whose row writes fail as on a full disk while `failures` is above 0 (each failure counts down). */
function storeFailingRows(dataDir: string): { store: RelayStore; failNext(times: number): void; failed(): number } {
  const real = openSqliteStore(dataDir);
  let remaining = 0;
  let failed = 0;
  const failIfAsked = (): void => {
    if (remaining > 0) {
      remaining--;
      failed++;
      throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    }
  };
  // Rows reach the store through either door: rows from the streaming reader, blocks from the parse worker.
  const store: RelayStore = Object.assign(Object.create(real) as RelayStore, {
    appendRows: async (...args: Parameters<RelayStore["appendRows"]>): Promise<boolean> => {
      failIfAsked();
      return real.appendRows(...args);
    },
    appendRowBlocks: async (...args: Parameters<RelayStore["appendRowBlocks"]>): Promise<boolean> => {
      failIfAsked();
      return real.appendRowBlocks(...args);
    },
  });
  return { store, failNext: (times) => (remaining = times), failed: () => failed };
}

async function start(store: RelayStore, dataDir: string, attempts: number): Promise<TestRelay> {
  relay = await startTestRelay({
    infobipBaseUrl: infobip.url,
    dataDir,
    resultReadAttempts: attempts,
    deps: { store, readRetryDelayMs: 5 },
  });
  return relay;
}

async function submitted(target: TestRelay): Promise<{ id: string; requestId: string; callbackUrl: string }> {
  const answer = await call(target, "POST", "/v1/queries", {
    key: KEY,
    body: { request: thisMonthQuery(target.clock.now()) },
  });
  const { id } = SubmittedQuerySchema.parse(answer.json);
  const { requestId, callbackUrl } = infobip.lastSubmission();
  return { id, requestId, callbackUrl: `${target.url}${new URL(callbackUrl).pathname}` };
}

async function settled(target: TestRelay, id: string): Promise<ReturnType<typeof QueryStateSchema.parse>> {
  await target.app.results.idle();
  return QueryStateSchema.parse((await call(target, "GET", `/v1/queries/${id}?wait=30`, { key: KEY })).json);
}

it("reads the rows again after failures, and the result succeeds", async () => {
  const dataDir = tempDataDir();
  const seam = storeFailingRows(dataDir);
  const target = await start(seam.store, dataDir, 4);
  const query = await submitted(target);
  seam.failNext(2);
  expect((await deliver(query.callbackUrl, JSON.stringify(successResult(query.requestId, 50)))).status).toBe(200);

  expect(await settled(target, query.id)).toMatchObject({ status: "succeeded", totalRows: 50 });
  expect(seam.failed()).toBe(2);
  const page = RowsPageSchema.parse(
    (await call(target, "GET", `/v1/queries/${query.id}/rows?limit=50`, { key: KEY })).json
  );
  expect(page.rows).toEqual(Array.from({ length: 50 }, (_, i) => resultRow(i)));
  expect(target.logs.text).toMatch(/reading a stored result failed; trying again/);
});

it("settles the query unreadable after the last try, with the reason, and keeps the raw bytes", async () => {
  const dataDir = tempDataDir();
  const seam = storeFailingRows(dataDir);
  const target = await start(seam.store, dataDir, 3);
  const query = await submitted(target);
  const body = JSON.stringify(successResult(query.requestId, 20));
  seam.failNext(1_000);
  expect((await deliver(query.callbackUrl, body)).status).toBe(200);

  const state = await settled(target, query.id);
  expect(seam.failed()).toBe(3);
  expect(state.status).toBe("unreadable");
  expect(state.failureMessage).toMatch(/reading it into rows failed 3 times \(last: .*database or disk is full\)/);
  expect(state.failureMessage).toMatch(/GET \/v1\/queries\/\{id\}\/raw/);
  const raw = await call(target, "GET", `/v1/queries/${query.id}/raw`, { key: KEY });
  expect(raw.status).toBe(200);
  expect(raw.text).toBe(body);
});

it("answers a resend during the retries as a duplicate, and the query still settles", async () => {
  const dataDir = tempDataDir();
  const seam = storeFailingRows(dataDir);
  const target = await start(seam.store, dataDir, 20);
  const query = await submitted(target);
  const body = JSON.stringify(successResult(query.requestId, 10));
  seam.failNext(1_000);
  expect((await deliver(query.callbackUrl, body)).status).toBe(200);
  for (let look = 0; look < 2_000 && seam.failed() < 2; look++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(seam.failed()).toBeGreaterThanOrEqual(2);

  const resent = await deliver(query.callbackUrl, body);
  expect(resent.status).toBe(200);
  expect(QueryStateSchema.parse((await call(target, "GET", `/v1/queries/${query.id}`, { key: KEY })).json).status).toBe(
    "pending"
  );
  seam.failNext(0);
  expect(await settled(target, query.id)).toMatchObject({ status: "succeeded", totalRows: 10 });
});
