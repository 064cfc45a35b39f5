/**
 * A slow Infobip does not lose the result: the real emulator, made slow to answer submissions (its `slow-answer`
 * fault), and a relay with a shorter RELAY_INFOBIP_TIMEOUT_SECONDS; the emulator's callback comes later.
 */
import { FaultSchema, startEmulator, type RunningEmulator } from "../../src/emulator";
import { QueryStateSchema, RowsPageSchema, SubmittedQuerySchema } from "../../src/relay-api";
import { call, startTestRelay, thisMonthQuery } from "./helpers/relay";

const KEY = "demo-key";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ callbackDelayMs: 20, callbackRetryDelaysMs: [] });
});

afterAll(async () => {
  const started = Date.now();
  await emulator.close();
  process.stderr.write(`emulator closed in ${Date.now() - started} ms\n`);
}, 30_000);

it("keeps a query the emulator answers too late, and reads the result its callback brings later", async () => {
  const impatient = await startTestRelay({ infobipBaseUrl: emulator.url, infobipTimeoutSeconds: 0.3 });
  try {
    emulator.faults.add(FaultSchema.parse({ kind: "slow-answer", ms: 1_000 }));
    emulator.faults.add(FaultSchema.parse({ kind: "delay", ms: 600 }));
    const answer = await call(impatient, "POST", "/v1/queries", {
      key: KEY,
      body: { request: thisMonthQuery(impatient.clock.now(), ["CATEGORY_CODE"]) },
    });
    expect(answer.status).toBe(202);
    const submitted = SubmittedQuerySchema.parse(answer.json);
    expect(submitted).toMatchObject({ requestId: null, infobipAnswer: "unknown", status: "pending" });

    const state = QueryStateSchema.parse(
      (await call(impatient, "GET", `/v1/queries/${submitted.id}?wait=30`, { key: KEY })).json
    );
    expect(state).toMatchObject({ status: "succeeded", infobipAnswer: "accepted" });
    expect(state.requestId).toMatch(/\S/);
    const page = RowsPageSchema.parse(
      (await call(impatient, "GET", `/v1/queries/${submitted.id}/rows?limit=1000`, { key: KEY })).json
    );
    expect(page.rows).toHaveLength(state.totalRows ?? -1);
    expect(page.rows.length).toBeGreaterThan(0);
  } finally {
    await impatient.close();
  }
});
