/** The callback endpoint over real HTTP: secrets, durable storage before 200, outcomes, limits, duplicates, concurrency. */
import { ApiErrorSchema, QueryBillingUsageRequestSchema } from "../../src/billing";
import { QueryStateSchema, RowsPageSchema, SubmittedQuerySchema, type QueryState } from "../../src/relay-api";
import type { RelayConfig } from "../../src/relay/config";
import { deliver, FakeInfobip } from "./helpers/fake-infobip";
import { failedResult, resultRow, successResult } from "./helpers/results";
import { acceptedSubmission, call, startTestRelay, thisMonthQuery, type TestRelay } from "./helpers/relay";
import { selectRows, countRows as countTableRows } from "./helpers/stores";

const KEY = "5555aaaa5555aaaa5555aaaa5555aaaa-abcd-ef01-2345-6789abcdef01";

let infobip: FakeInfobip;
let relay: TestRelay;

async function begin(overrides: Partial<RelayConfig> = {}): Promise<void> {
  infobip = await FakeInfobip.start();
  relay = await startTestRelay({ ...overrides, infobipBaseUrl: infobip.url });
}

afterEach(async () => {
  await relay.close();
  await infobip.close();
});

async function submit(): Promise<{ id: string; requestId: string; callbackUrl: string }> {
  const answer = await call(relay, "POST", "/v1/queries", {
    key: KEY,
    body: { request: thisMonthQuery(relay.clock.now()) },
  });
  expect(answer.status).toBe(202);
  const { id, requestId } = acceptedSubmission(answer.json);
  return { id, requestId, callbackUrl: infobip.lastSubmission().callbackUrl };
}

async function settled(id: string): Promise<QueryState> {
  const answer = await call(relay, "GET", `/v1/queries/${id}?wait=30`, { key: KEY });
  expect(answer.status).toBe(200);
  return QueryStateSchema.parse(answer.json);
}

async function rawOf(id: string): Promise<Buffer> {
  const response = await fetch(`${relay.url}/v1/queries/${id}/raw`, { headers: { authorization: `App ${KEY}` } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** Reads the database directly (the SQLite file, or the PostgreSQL database), as an operator would. */
function countRows(table: string): Promise<number> {
  return countTableRows(relay.dataDir, table);
}

function withSecret(callbackUrl: string, secret: string): string {
  return callbackUrl.replace(/[^/]+$/, secret);
}

describe("callback address", () => {
  beforeEach(() => begin());

  it("refuses a wrong secret with 404 and changes nothing", async () => {
    const query = await submit();
    const real = query.callbackUrl.split("/").at(-1) ?? "";
    const tampered = `${real.slice(0, -1)}${real.endsWith("A") ? "B" : "A"}`;
    const body = JSON.stringify(successResult(query.requestId, 2));
    const answer = await deliver(withSecret(query.callbackUrl, tampered), body);
    expect(answer.status).toBe(404);
    expect(ApiErrorSchema.parse(JSON.parse(answer.text)).errorCode).toBe("E404");
    expect(await call(relay, "GET", `/v1/queries/${query.id}`, { key: KEY })).toMatchObject({
      json: { status: "pending" },
    });
    expect(await countRows("raw_chunks")).toBe(0);
    // The real secret still works afterwards.
    expect((await deliver(query.callbackUrl, body)).status).toBe(200);
    expect(await settled(query.id)).toMatchObject({ status: "succeeded" });
  });

  it.each([
    ["too short", "abc"],
    ["a wrong alphabet", "%".repeat(43)],
    ["too long", "A".repeat(44)],
  ])("refuses a secret that is %s with 404 before any lookup", async (_what, secret) => {
    const query = await submit();
    const answer = await deliver(withSecret(query.callbackUrl, encodeURIComponent(secret)), "{}");
    expect(answer.status).toBe(404);
    expect(relay.logs.text).toMatch(/malformed address/);
  });

  it("refuses an unknown query ID with the same 404", async () => {
    const query = await submit();
    const url = query.callbackUrl.replace(query.id, "5f0c6f4e-1d2b-4c3a-9e8f-7a6b5c4d3e2f");
    const unknown = await deliver(url, "{}");
    const wrong = await deliver(withSecret(query.callbackUrl, "A".repeat(43)), "{}");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual(JSON.parse(wrong.text));
  });

  it("is only POST", async () => {
    const query = await submit();
    expect((await fetch(query.callbackUrl)).status).toBe(404);
  });
});

describe("what the callback brings", () => {
  beforeEach(() => begin());

  it("stores a SUCCESS result: rows in order, raw bytes, and answers 200 with the body already on disk", async () => {
    const query = await submit();
    const body = JSON.stringify(successResult(query.requestId, 12));
    const answer = await deliver(query.callbackUrl, body);
    expect(answer.status).toBe(200);
    // Acknowledged means stored (committed): the bytes are in the database at the moment of the 200.
    const stored = (await selectRows(relay.dataDir, "SELECT data FROM raw_chunks ORDER BY seq")).map(
      (row) => row.data as Buffer
    );
    expect(Buffer.concat(stored).toString("utf8")).toBe(body);

    expect(await settled(query.id)).toMatchObject({ status: "succeeded", totalRows: 12, failureMessage: null });
    const page = await call(relay, "GET", `/v1/queries/${query.id}/rows?limit=100`, { key: KEY });
    expect(RowsPageSchema.parse(page.json).rows).toEqual(Array.from({ length: 12 }, (_, i) => resultRow(i)));
  });

  it("accepts a body cut into many small pieces, and one with any Content-Type", async () => {
    const query = await submit();
    const body = Buffer.from(JSON.stringify(successResult(query.requestId, 50)));
    const pieces = Array.from({ length: Math.ceil(body.length / 97) }, (_, i) => body.subarray(i * 97, (i + 1) * 97));
    expect((await deliver(query.callbackUrl, pieces, { "content-type": "text/plain; nonsense" })).status).toBe(200);
    expect(await settled(query.id)).toMatchObject({ status: "succeeded", totalRows: 50 });
  });

  it("stores and reads a body of several 1 MiB chunks, rows intact across every boundary", async () => {
    const query = await submit();
    const body = Buffer.from(JSON.stringify(successResult(query.requestId, 40_000)));
    expect(body.length).toBeGreaterThan(1.5 * 1024 * 1024);
    expect((await deliver(query.callbackUrl, body)).status).toBe(200);
    expect(await countRows("raw_chunks")).toBeGreaterThanOrEqual(2);
    expect(await settled(query.id)).toMatchObject({ status: "succeeded", totalRows: 40_000 });
    const rows: unknown[] = [];
    for (let offset = 0; offset < 40_000; offset += 10_000) {
      const page = await call(relay, "GET", `/v1/queries/${query.id}/rows?offset=${offset}&limit=10000`, { key: KEY });
      rows.push(...RowsPageSchema.parse(page.json).rows);
    }
    expect(rows).toEqual(Array.from({ length: 40_000 }, (_, i) => resultRow(i)));
    expect((await rawOf(query.id)).equals(body)).toBe(true);
  });

  it("turns FAILED into failed with Infobip's failureMessage", async () => {
    const query = await submit();
    expect(
      (await deliver(query.callbackUrl, JSON.stringify(failedResult(query.requestId, "Could not load data")))).status
    ).toBe(200);
    expect(await settled(query.id)).toMatchObject({
      status: "failed",
      failureMessage: "Could not load data",
      totalRows: null,
    });
  });

  it.each([
    ["not JSON", () => "this is not json {", /not valid JSON/],
    [
      "JSON but not a result",
      () => JSON.stringify({ hello: "world" }),
      /not a BillingUsageResult: requestId is required/,
    ],
    [
      "a result for another requestId",
      () => JSON.stringify(successResult("SOMEONE-ELSES", 1)),
      /requestId SOMEONE-ELSES, but this query is requestId/,
    ],
    ["an empty body", () => "", /not valid JSON/],
    [
      "rows of the wrong width",
      (requestId: string) => {
        const result = successResult(requestId, 3);
        result.response?.rows[1]?.pop();
        return JSON.stringify(result);
      },
      /Row 1 has 6 values for 7 columns/,
    ],
    [
      "a totalRows that disagrees",
      (requestId: string) =>
        JSON.stringify({
          ...successResult(requestId, 3),
          response: { ...successResult(requestId, 3).response, totalRows: 4 },
        }),
      /totalRows is 4 but 3 rows were delivered/,
    ],
    [
      "a cell that is an object",
      (requestId: string) => JSON.stringify(successResult(requestId, 3)).replace('"WHATSAPP"', '{"x":1}'),
      /value 0 of row 0 in response.rows is an object/,
    ],
    [
      "SUCCESS without a response",
      (requestId: string) => JSON.stringify({ requestId, status: "SUCCESS" }),
      /SUCCESS but carried no response/,
    ],
  ])("keeps %s raw, answers 200 and marks the query unreadable with the reason", async (_what, makeBody, reason) => {
    const query = await submit();
    const body = makeBody(query.requestId);
    expect((await deliver(query.callbackUrl, body)).status).toBe(200);
    const state = await settled(query.id);
    expect(state).toMatchObject({ status: "unreadable", totalRows: null });
    expect(state.failureMessage).toMatch(reason);
    expect((await rawOf(query.id)).toString("utf8")).toBe(body);
    expect(await countRows("result_rows")).toBe(0);
  });

  it("answers a duplicate delivery 200 and changes nothing", async () => {
    const query = await submit();
    const first = JSON.stringify(successResult(query.requestId, 4));
    expect((await deliver(query.callbackUrl, first)).status).toBe(200);
    const before = await settled(query.id);
    const second = JSON.stringify(failedResult(query.requestId, "a different story"));
    expect((await deliver(query.callbackUrl, second)).status).toBe(200);
    expect((await call(relay, "GET", `/v1/queries/${query.id}`, { key: KEY })).json).toEqual(before);
    expect((await rawOf(query.id)).toString("utf8")).toBe(first);
    expect(await countRows("deliveries")).toBe(1);
  });

  it("keeps exactly one result when the same callback arrives twice at the same time", async () => {
    const query = await submit();
    const body = JSON.stringify(successResult(query.requestId, 300));
    const answers = await Promise.all([deliver(query.callbackUrl, body), deliver(query.callbackUrl, body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await settled(query.id)).toMatchObject({ status: "succeeded", totalRows: 300 });
    expect(await countRows("deliveries")).toBe(1);
    expect(await countRows("result_rows")).toBe(300);
  });

  it("handles many callbacks at once, each result reaching its own query", async () => {
    const queries = [];
    for (let i = 0; i < 12; i++) queries.push(await submit());
    const answers = await Promise.all(
      queries.map((query, i) =>
        deliver(query.callbackUrl, JSON.stringify(successResult(query.requestId, 200 + i * 37)))
      )
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    for (const [i, query] of queries.entries()) {
      expect(await settled(query.id)).toMatchObject({ status: "succeeded", totalRows: 200 + i * 37 });
      const last = await call(relay, "GET", `/v1/queries/${query.id}/rows?offset=${199 + i * 37}&limit=5`, {
        key: KEY,
      });
      expect(RowsPageSchema.parse(last.json).rows).toEqual([resultRow(199 + i * 37)]);
    }
  });

  it("accepts a callback that lands before Infobip's 201 has reached the relay", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const submitting = call(relay, "POST", "/v1/queries", {
      key: KEY,
      body: { request: thisMonthQuery(relay.clock.now()) },
    });
    // Infobip has the query but its 201 is held back while the callback is delivered.
    infobip.respondWith((request) => {
      const { callbackUrl } = QueryBillingUsageRequestSchema.parse(JSON.parse(request.body));
      void deliver(callbackUrl, JSON.stringify(successResult("EARLY-REQUEST", 3))).then(() => release());
      return { status: 201, body: JSON.stringify({ requestId: "EARLY-REQUEST" }) };
    });
    await held;
    const answer = await submitting;
    expect(answer.status).toBe(202);
    const { id } = SubmittedQuerySchema.parse(answer.json);
    expect(await settled(id)).toMatchObject({ status: "succeeded", requestId: "EARLY-REQUEST", totalRows: 3 });
  });
});

describe("size limit", () => {
  beforeEach(() => begin({ maxCallbackBytes: 4096 }));

  it("refuses a body over RELAY_MAX_CALLBACK_BYTES with 413 and fails the query saying why", async () => {
    const query = await submit();
    const body = Buffer.from(JSON.stringify(successResult(query.requestId, 200)));
    expect(body.length).toBeGreaterThan(4096);
    // Sent without Content-Length (chunked), so the limit is found while streaming.
    const answer = await deliver(query.callbackUrl, [body.subarray(0, 3000), body.subarray(3000)], {
      "content-type": "application/json",
      "transfer-encoding": "chunked",
    });
    expect(answer.status).toBe(413);
    expect(ApiErrorSchema.parse(JSON.parse(answer.text)).description).toMatch(
      /larger than this relay's limit of 4096 bytes/
    );
    const state = await settled(query.id);
    expect(state).toMatchObject({ status: "failed" });
    expect(state.failureMessage).toMatch(/larger than this relay's limit of 4096 bytes \(RELAY_MAX_CALLBACK_BYTES\)/);
    expect(await countRows("raw_chunks")).toBe(0);
  });

  it("refuses at once a body whose Content-Length is over the limit", async () => {
    const query = await submit();
    const body = Buffer.alloc(5000, 0x20);
    const answer = await deliver(query.callbackUrl, body);
    expect(answer.status).toBe(413);
    expect(await settled(query.id)).toMatchObject({ status: "failed" });
  });

  it("takes a body of exactly the limit", async () => {
    const query = await submit();
    const json = JSON.stringify(failedResult(query.requestId, "x"));
    const body = json + " ".repeat(4096 - Buffer.byteLength(json));
    expect((await deliver(query.callbackUrl, body)).status).toBe(200);
    expect(await settled(query.id)).toMatchObject({ status: "failed", failureMessage: "x" });
  });
});
