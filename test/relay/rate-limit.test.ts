/**
 * The relay's rate limits over real HTTP: submissions per key under Infobip's 60/s, other /v1 calls per key,
 * and not-found answers per client IP, which never cost a valid callback its delivery. The relay's clock is
 * frozen, so every request of a test falls in the same window however slow the machine is.
 */
import { API_ERRORS } from "../../src/billing";
import type { RelayConfig } from "../../src/relay/config";
import { deliver, FakeInfobip } from "./helpers/fake-infobip";
import { acceptedSubmission, call, startTestRelay, TestClock, thisMonthQuery, type TestRelay } from "./helpers/relay";
import { successResult } from "./helpers/results";

const KEY = "rate-limit-key-0001";
const OTHER_KEY = "rate-limit-key-0002";
/** A callback secret of the right shape that no query has. */
const WRONG_SECRET = "A".repeat(43);

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

async function start(overrides: Partial<RelayConfig> = {}): Promise<TestRelay> {
  relay = await startTestRelay({ infobipBaseUrl: infobip.url, clock: new TestClock(Date.now()), ...overrides });
  return relay;
}

function submit(target: TestRelay, key: string) {
  return call(target, "POST", "/v1/queries", { key, body: { request: thisMonthQuery(target.clock.now()) } });
}

describe("submissions (POST /v1/queries and /v1/connection-check)", () => {
  it("sends at most 30 a second per key to Infobip; the 31st gets Infobip's 429 with Retry-After", async () => {
    const target = await start();
    expect(target.config.submitRatePerSecond).toBe(30);

    const first = await Promise.all(Array.from({ length: 30 }, () => submit(target, KEY)));
    expect(first.map((answer) => answer.status)).toEqual(Array(30).fill(202));

    const refused = await submit(target, KEY);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.json).toEqual({
      ...API_ERRORS.tooManyRequests,
      description: expect.stringContaining("at most 30 per second") as unknown,
      action: expect.stringContaining("Wait 1 second") as unknown,
    });
    // The connection check reaches Infobip too, so it shares the budget.
    expect((await call(target, "POST", "/v1/connection-check", { key: KEY, body: {} })).status).toBe(429);
    expect(infobip.requests).toHaveLength(30);

    target.clock.advance(1_000);
    expect((await submit(target, KEY)).status).toBe(202);
    expect(infobip.requests).toHaveLength(31);
  });

  it("gives each key its own budget", async () => {
    const target = await start({ submitRatePerSecond: 2 });
    expect((await submit(target, KEY)).status).toBe(202);
    expect((await call(target, "POST", "/v1/connection-check", { key: KEY, body: {} })).status).toBe(200);
    expect((await submit(target, KEY)).status).toBe(429);

    expect((await submit(target, OTHER_KEY)).status).toBe(202);
    expect((await submit(target, OTHER_KEY)).status).toBe(202);
    expect((await submit(target, OTHER_KEY)).status).toBe(429);
    expect(infobip.submissions.map((s) => s.authorization)).toEqual([
      `App ${KEY}`,
      `App ${KEY}`,
      `App ${OTHER_KEY}`,
      `App ${OTHER_KEY}`,
    ]);
  });

  it("answers 401 to a request without a key before counting it", async () => {
    const target = await start({ submitRatePerSecond: 1 });
    const headers = { authorization: "Token nope" };
    for (let i = 0; i < 3; i++) {
      const answer = await call(target, "POST", "/v1/queries", { headers, body: {} });
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ description: "The Authorization header is not one Infobip accepts." });
    }
    expect((await submit(target, KEY)).status).toBe(202);
  });
});

describe("other /v1 calls", () => {
  it("are limited per key per minute, apart from submissions; /healthz is not limited", async () => {
    const target = await start({ readRatePerMinute: 3, notFoundRatePerMinute: 1 });
    for (let i = 0; i < 3; i++) expect((await call(target, "GET", "/v1/queries", { key: KEY })).status).toBe(200);

    const refused = await call(target, "GET", "/v1/queries", { key: KEY });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.json).toMatchObject({ errorCode: "E429", description: expect.stringContaining("3 per minute") });

    expect((await submit(target, KEY)).status).toBe(202);
    expect((await call(target, "GET", "/v1/queries", { key: OTHER_KEY })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await call(target, "GET", "/healthz")).status).toBe(200);
  });
});

describe("not-found answers, per client IP", () => {
  it("turn into 429 after the budget, for unknown paths and wrong callback addresses alike", async () => {
    const target = await start({ notFoundRatePerMinute: 3 });
    const unknownQuery = "3f8a3c1e-8d1b-4c55-9a43-1a2b3c4d5e6f";
    expect((await call(target, "GET", "/wp-login.php")).status).toBe(404);
    expect((await deliver(`${target.url}/callbacks/${unknownQuery}/${WRONG_SECRET}`, "{}")).status).toBe(404);
    expect((await deliver(`${target.url}/callbacks/not-an-id/short`, "{}")).status).toBe(404);

    const refused = await call(target, "GET", "/v1/nothing-here");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.json).toMatchObject({ errorCode: "E429", description: expect.stringContaining("3 per minute") });
    const callback = await deliver(`${target.url}/callbacks/${unknownQuery}/${WRONG_SECRET}`, "{}");
    expect(callback.status).toBe(429);
    expect(JSON.parse(callback.text)).toMatchObject({ errorCode: "E429" });

    // Calls that find what they ask for are not counted by IP.
    expect((await call(target, "GET", "/healthz")).status).toBe(200);
    expect((await call(target, "GET", "/v1/queries", { key: KEY })).status).toBe(200);

    target.clock.advance(60_000);
    expect((await call(target, "GET", "/wp-login.php")).status).toBe(404);
  });

  it("never refuse a valid callback, even from an IP over its budget", async () => {
    const target = await start({ notFoundRatePerMinute: 1 });
    const submitted = await submit(target, KEY);
    const { id, requestId } = acceptedSubmission(submitted.json);
    const { callbackUrl } = infobip.lastSubmission();

    expect((await call(target, "GET", "/scan")).status).toBe(404);
    expect((await call(target, "GET", "/scan")).status).toBe(429);
    expect((await deliver(callbackUrl.replace(/[^/]+$/, WRONG_SECRET), "{}")).status).toBe(429);

    expect((await deliver(callbackUrl, JSON.stringify(successResult(requestId, 3)))).status).toBe(200);
    const settled = await call(target, "GET", `/v1/queries/${id}?wait=30`, { key: KEY });
    expect(settled.json).toMatchObject({ status: "succeeded", totalRows: 3 });
  });
});
