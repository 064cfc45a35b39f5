/**
 * Every key and the throttle, over HTTP: `Authorization: App <key>`, the three demo keys, missing and
 * unknown keys, other schemes, visibility of the account hierarchy, and 429 beyond the per-key limit.
 */
import { API_ERRORS, ApiErrorSchema } from "../../src/billing";
import { build, column, monthQuery, type Harness } from "./helper";

let harness: Harness;
const query = { callbackUrl: "", request: monthQuery(["ACCOUNT_KEY", "ACCOUNT_NAME"]) };

beforeAll(async () => {
  harness = await build();
  query.callbackUrl = harness.receiver.url();
});
afterAll(async () => {
  await harness.close();
});

interface Accounts {
  accounts: { key: string; name: string; parentKey: string | null }[];
  apiKeys: { apiKey: string; accountKeys: string[] }[];
}

describe("authentication", () => {
  test.each([
    ["no Authorization header", null, {}],
    ["an unknown key", "not-a-key", {}],
    ["an empty App key", "", {}],
  ])("%s → 401 with Infobip's E401 body", async (_name, key, headers) => {
    const answer = await harness.submit(query, key, headers);
    expect(answer.status).toBe(401);
    const error = ApiErrorSchema.parse(answer.json);
    expect(error.errorCode).toBe("E401");
    expect(error.description).toBe(API_ERRORS.unauthorized.description);
    expect(error.resources).toEqual(API_ERRORS.unauthorized.resources);
  });

  test.each([["Basic QWxhZGRpbjpvcGVuU2VzYW1l"], ["Bearer abc.def"], ["IBSSO 2f9b4d31-2d0d-49a8-85f0-9b862bdca394"]])(
    "%s credentials → 401 saying the emulator takes API keys",
    async (authorization) => {
      const answer = await harness.submit(query, null, { authorization });
      expect(answer.status).toBe(401);
      expect(ApiErrorSchema.parse(answer.json).description).toMatch(/API keys only/);
    }
  );

  test("demo-noscope-key → 401 naming the missing billing:usage:view scope", async () => {
    const answer = await harness.submit(query, "demo-noscope-key");
    expect(answer.status).toBe(401);
    const error = ApiErrorSchema.parse(answer.json);
    expect(error.errorCode).toBe("E401");
    expect(error.description).toContain("billing:usage:view");
  });

  test("the key is checked before the body: a bad body with no key is a 401", async () => {
    const answer = await harness.submit("{not json", null);
    expect(answer.status).toBe(401);
  });

  test("the App scheme is case-insensitive", async () => {
    const answer = await harness.submit(query, null, { authorization: "app demo-key" });
    expect(answer.status).toBe(201);
    expect((answer.json as { requestId: string }).requestId).toMatch(/^[0-9A-F]{32}$/);
  });

  test("demo-key sees the whole hierarchy: the parent and every sub-account", async () => {
    const { json } = await harness.admin("GET", "/_emulator/accounts");
    const accounts = (json as Accounts).accounts;
    expect(accounts.filter((a) => a.parentKey === null)).toHaveLength(1);
    expect(accounts.length).toBeGreaterThanOrEqual(3);
    for (const account of accounts) expect(account.key).toMatch(/^[0-9A-F]{32}$/);
    const result = await harness.query(query.request, "demo-key");
    expect(new Set(column(result, "ACCOUNT_KEY"))).toEqual(new Set(accounts.map((a) => a.key)));
    expect(new Set(column(result, "ACCOUNT_NAME"))).toEqual(new Set(accounts.map((a) => a.name)));
  });

  test("demo-subaccount-key sees only its own sub-account", async () => {
    const { json } = await harness.admin("GET", "/_emulator/accounts");
    const { accounts, apiKeys } = json as Accounts;
    const own = apiKeys.find((k) => k.apiKey === "demo-subaccount-key")?.accountKeys ?? [];
    expect(own).toHaveLength(1);
    expect(accounts.find((a) => a.key === own[0])?.parentKey).not.toBeNull();
    const result = await harness.query(query.request, "demo-subaccount-key");
    expect(result.response?.totalRows).toBeGreaterThan(0);
    expect(new Set(column(result, "ACCOUNT_KEY"))).toEqual(new Set(own));
  });

  test("a sub-account key asking for another account's key gets no rows", async () => {
    const { json } = await harness.admin("GET", "/_emulator/accounts");
    const parent = (json as Accounts).accounts.find((a) => a.parentKey === null);
    const result = await harness.query(
      monthQuery(["ACCOUNT_KEY"], "2026-03-01", "2026-04-01", { accountKeys: [parent?.key] }),
      "demo-subaccount-key"
    );
    expect(result.status).toBe("SUCCESS");
    expect(result.response?.totalRows).toBe(0);
  });
});

describe("throttling", () => {
  let throttled: Harness;
  beforeAll(async () => {
    // A long window keeps the test independent of timing; the default (60 per 1000 ms) is covered
    // by the throttle's own unit test with an injected clock.
    throttled = await build({ throttle: { limit: 5, windowMs: 60_000 } });
  });
  afterAll(async () => {
    await throttled.close();
  });

  test("beyond the limit a key gets 429 with Infobip's E429 body and Retry-After; other keys are unaffected", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await throttled.submit({ invalid: true }, "demo-key")).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    const refused = await throttled.submit({ invalid: true }, "demo-key");
    expect(refused.status).toBe(429);
    expect(ApiErrorSchema.parse(refused.json)).toMatchObject({
      errorCode: "E429",
      description: API_ERRORS.tooManyRequests.description,
    });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await throttled.submit({ invalid: true }, "demo-subaccount-key")).status).toBe(400);
  });

  test("unknown keys are refused with 401, not counted against anyone", async () => {
    for (let i = 0; i < 7; i++) expect((await throttled.submit({}, "nobody")).status).toBe(401);
  });
});
