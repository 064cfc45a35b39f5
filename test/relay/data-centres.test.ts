/**
 * One relay, two Infobip data centres: two real emulators over loopback with different seeded data, configured as
 * the relay's connections `eu` and `us`, exactly as `npm start` runs them. Each connection's rows and totals
 * through the relay equal what that emulator answers on its own (fetched straight from it, as Infobip's clients
 * do), so no expected figure is written here; and a query naming no configured connection never reaches either.
 *
 * The relay's clock starts at the emulators' fixed instant (RELAY_NOW, `clockStart`), a date months before the
 * real one, so this also proves the relay checks periods on the emulators' calendar, whatever the real date.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resolvePreset, type BillingUsageQuery } from "../../src/billing";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { QueryStateSchema, RowsPageSchema, type QueryState, type RowsPage } from "../../src/relay-api";
import { startRelay, type RunningRelay } from "../../src/relay";
import { emulatorResult, emulatorSubmissionCount, totalsByCurrency } from "../e2e/support/emulator";
import { expectSameTotals } from "../e2e/support/totals";
import { acceptedSubmission, call } from "./helpers/relay";

const KEY = "demo-key";
/** Well before the real date: a relay on the real clock would refuse these periods as outside the retention window. */
const NOW = new Date("2026-03-15T12:00:00Z");
const QUERY: BillingUsageQuery = {
  filterBy: { dateInterval: resolvePreset("retention-window", NOW) },
  aggregateBy: ["MONTH", "CATEGORY_CODE", "COUNTRY_CODE"],
};

let emulators: Record<"eu" | "us", RunningEmulator>;
let relay: RunningRelay;
let dataDir: string;

beforeAll(async () => {
  const options = { now: NOW, callbackDelayMs: 20, callbackRetryDelaysMs: [] };
  const [eu, us] = await Promise.all([startEmulator({ ...options, seed: 1 }), startEmulator({ ...options, seed: 2 })]);
  emulators = { eu, us };
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "relay-data-centres-"));
  relay = await startRelay({
    port: 0,
    host: "127.0.0.1",
    publicUrl: undefined,
    dataDir,
    staticDir: path.join(dataDir, "no-pane"),
    logLevel: "silent",
    connections: {
      list: [
        { name: "eu", baseUrl: eu.url },
        { name: "us", baseUrl: us.url },
      ],
      defaultName: "eu",
    },
    clockStart: NOW,
  });
});

afterAll(async () => {
  await relay.close();
  await Promise.all([emulators.eu.close(), emulators.us.close()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Submits through the relay on `connection`, waits for the result and pages every row back. */
async function throughRelay(connection: "eu" | "us"): Promise<{ state: QueryState; rows: RowsPage["rows"] }> {
  const answer = await call(relay, "POST", "/v1/queries", { key: KEY, body: { request: QUERY, connection } });
  expect(answer.status).toBe(202);
  const { id, requestId } = acceptedSubmission(answer.json);
  // The request reached this connection's emulator and not the other one.
  const other = connection === "eu" ? "us" : "eu";
  expect(emulators[connection].requests.find(requestId)).toBeDefined();
  expect(emulators[other].requests.find(requestId)).toBeUndefined();

  let state = QueryStateSchema.parse((await call(relay, "GET", `/v1/queries/${id}?wait=30`, { key: KEY })).json);
  while (state.status === "pending") {
    state = QueryStateSchema.parse((await call(relay, "GET", `/v1/queries/${id}?wait=30`, { key: KEY })).json);
  }
  expect(state).toMatchObject({ status: "succeeded", connection });
  const rows: RowsPage["rows"] = [];
  for (let offset = 0; offset < (state.totalRows ?? 0); offset += 1000) {
    const page = await call(relay, "GET", `/v1/queries/${id}/rows?offset=${offset}&limit=1000`, { key: KEY });
    rows.push(...RowsPageSchema.parse(page.json).rows);
  }
  return { state, rows };
}

it("serves each connection's rows and totals exactly as that data centre's emulator answers them", async () => {
  const truths = {
    eu: await emulatorResult(emulators.eu.url, KEY, QUERY),
    us: await emulatorResult(emulators.us.url, KEY, QUERY),
  };
  // Two data centres with their own data: otherwise a relay sending both to one would pass.
  expect(truths.eu.response?.rows).not.toEqual(truths.us.response?.rows);

  for (const connection of ["eu", "us"] as const) {
    const truth = truths[connection];
    const { state, rows } = await throughRelay(connection);
    expect(state.columns).toEqual(truth.response?.columns);
    expect(rows).toEqual(truth.response?.rows);
    // Σ TOTAL_PER_UNIT per currency of what the relay served, against the emulator's own.
    const served = { ...truth, response: truth.response && { ...truth.response, columns: state.columns ?? [], rows } };
    expectSameTotals(totalsByCurrency(served), totalsByCurrency(truth));
  }
});

it("lists both connections, eu the default, and sends a query without one to eu", async () => {
  expect((await call(relay, "GET", "/v1/connections")).json).toEqual({
    connections: [
      { name: "eu", default: true },
      { name: "us", default: false },
    ],
  });
  const answer = await call(relay, "POST", "/v1/queries", { key: KEY, body: { request: QUERY } });
  expect(answer.status).toBe(202);
  const { requestId, connection } = acceptedSubmission(answer.json);
  expect(connection).toBe("eu");
  expect(emulators.eu.requests.find(requestId)).toBeDefined();
});

it("refuses a query and a key check on an unknown connection, and neither emulator receives a request", async () => {
  const before = [await emulatorSubmissionCount(emulators.eu.url), await emulatorSubmissionCount(emulators.us.url)];
  const query = await call(relay, "POST", "/v1/queries", { key: KEY, body: { request: QUERY, connection: "asia" } });
  expect(query.status).toBe(400);
  expect(query.json).toMatchObject({ violations: [{ property: "connection" }] });
  const check = await call(relay, "POST", "/v1/connection-check?connection=asia", { key: KEY, body: {} });
  expect(check.status).toBe(400);
  expect(check.json).toMatchObject({ violations: [{ property: "connection" }] });
  expect([await emulatorSubmissionCount(emulators.eu.url), await emulatorSubmissionCount(emulators.us.url)]).toEqual(
    before
  );
});

it("checks the demo key on each connection with that data centre", async () => {
  for (const connection of ["eu", "us"] as const) {
    const answer = await call(relay, "POST", `/v1/connection-check?connection=${connection}`, { key: KEY, body: {} });
    expect(answer.status).toBe(200);
    const { requestId } = answer.json as { requestId: string };
    expect(emulators[connection].requests.find(requestId)).toBeDefined();
  }
});
