/**
 * The one store suite, run on both stores: SQLite in Jest's default project, PostgreSQL in its postgresql project
 * (helpers/stores.ts). Real files, a real server. Two stores opened on one database stand for two instances;
 * what only PostgreSQL shares between instances (settlement notices, rate-limit windows, abandoned readings) is
 * checked on PostgreSQL only: SQLite is one process by design.
 */
import { randomUUID } from "node:crypto";
import { hashCallbackSecret } from "../../../src/relay/callback-secret";
import { ParseWorker } from "../../../src/relay/ingest/parse-in-worker";
import { readResult } from "../../../src/relay/ingest/read-result";
import type { NewQuery, RelayStore, RowsBlock } from "../../../src/relay/store";
import { failedResult, RESULT_COLUMNS, successResult } from "../helpers/results";
import { tempDataDir } from "../helpers/relay";
import { countRows, openTestStore, STORE_KIND } from "../helpers/stores";

const onPostgres = STORE_KIND === "postgresql" ? it : it.skip;

let dataDir: string;
let store: RelayStore;
const opened: RelayStore[] = [];

async function open(options: { readLeaseMs?: number } = {}): Promise<RelayStore> {
  const next = await openTestStore(dataDir, options);
  opened.push(next);
  return next;
}

beforeEach(async () => {
  dataDir = tempDataDir();
  store = await open();
});

afterEach(async () => {
  for (const each of opened.splice(0)) await each.close();
});

function newQuery(overrides: Partial<NewQuery> = {}): NewQuery {
  return {
    id: randomUUID(),
    owner: "owner-hash",
    label: null,
    connection: "default",
    hidden: false,
    requestJson: '{"aggregateBy":["MONTH"]}',
    secretHash: hashCallbackSecret("s"),
    createdAt: 1_000,
    expiresAt: 1_000_000,
    ...overrides,
  };
}

async function created(target: RelayStore = store, overrides: Partial<NewQuery> = {}): Promise<string> {
  const query = newQuery(overrides);
  await target.createQuery(query);
  return query.id;
}

async function storeBody(target: RelayStore, id: string, body: string | Buffer): Promise<string> {
  const bytes = Buffer.from(body);
  const delivery = await target.beginDelivery(id, "application/json", 2_000);
  for (let seq = 0; seq * 1000 < bytes.length || seq === 0; seq++) {
    await target.appendChunk(delivery, seq, bytes.subarray(seq * 1000, (seq + 1) * 1000));
  }
  expect(await target.completeDelivery(delivery, bytes.length)).toBe("accepted");
  return delivery;
}

async function readAndComplete(target: RelayStore, id: string): Promise<void> {
  const read = await readResult(target, id);
  if (read.kind !== "settled") throw new Error(`reading ended ${read.kind}`);
  await target.completeQuery(id, read.outcome, 3_000, 1_000_000);
}

describe("queries", () => {
  it("stores a query, records Infobip's requestId and lists the owner's visible ones, newest first", async () => {
    const older = await created(store, { createdAt: 1_000, label: "March" });
    const newer = await created(store, { createdAt: 2_000 });
    await created(store, { createdAt: 3_000, hidden: true });
    await created(store, { createdAt: 4_000, owner: "someone-else" });
    expect(await store.getQuery(older)).toMatchObject({
      id: older,
      owner: "owner-hash",
      label: "March",
      state: "submitting",
      requestId: null,
      hidden: false,
      createdAt: 1_000,
      expiresAt: 1_000_000,
      completedAt: null,
      requestJson: '{"aggregateBy":["MONTH"]}',
    });
    expect((await store.getQuery(older))?.secretHash.equals(hashCallbackSecret("s"))).toBe(true);
    expect(await store.recordSubmission(older, "R1", 1_500)).toBe("recorded");
    expect(await store.getQuery(older)).toMatchObject({ state: "pending", requestId: "R1" });
    expect((await store.listQueries("owner-hash", 10)).map((q) => q.id)).toEqual([newer, older]);
    expect((await store.listQueries("owner-hash", 1)).map((q) => q.id)).toEqual([newer]);
    expect(await store.getQuery(randomUUID())).toBeUndefined();
    expect(await store.recordSubmission(randomUUID(), "R2", 1_500)).toBe("gone");
  });

  it("keeps the Infobip connection each query was sent to", async () => {
    const eu = await created(store, { connection: "eu" });
    const us = await created(store, { connection: "us-2" });
    expect((await store.getQuery(eu))?.connection).toBe("eu");
    expect((await store.getQuery(us))?.connection).toBe("us-2");
    expect((await store.listQueries("owner-hash", 10)).map((query) => query.connection).sort()).toEqual(["eu", "us-2"]);
  });

  it("marks a query unreadable when Infobip's 201 names another requestId than the callback that came first", async () => {
    const id = await created();
    await storeBody(store, id, JSON.stringify(successResult("FROM-CALLBACK", 2)));
    await readAndComplete(store, id);
    expect((await store.getQuery(id))?.requestId).toBe("FROM-CALLBACK");
    expect(await store.recordSubmission(id, "FROM-CALLBACK", 4_000)).toBe("recorded");
    expect(await store.recordSubmission(id, "FROM-201", 4_000)).toBe("mismatch");
    expect(await store.getQuery(id)).toMatchObject({
      state: "unreadable",
      failureMessage: expect.stringMatching(/FROM-201.*FROM-CALLBACK/),
    });
  });
});

describe("callback bodies", () => {
  it("keeps a body exactly, in its chunks, and reads it into rows and an outcome", async () => {
    const id = await created();
    await store.recordSubmission(id, "R1", 1_500);
    const body = JSON.stringify(successResult("R1", 120));
    const delivery = await storeBody(store, id, body);
    expect(await store.getQuery(id)).toMatchObject({ state: "received", deliveryId: delivery });
    const raw = await store.rawDelivery(id);
    expect(raw).toEqual({
      deliveryId: delivery,
      byteLength: body.length,
      contentType: "application/json",
      chunkCount: Math.ceil(body.length / 1000),
    });
    const chunks: Buffer[] = [];
    for (let seq = 0; seq < (raw?.chunkCount ?? 0); seq++)
      chunks.push((await store.readChunk(delivery, seq)) as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(body);
    expect(await store.readChunk(delivery, raw?.chunkCount ?? 0)).toBeUndefined();

    await readAndComplete(store, id);
    expect(await store.getQuery(id)).toMatchObject({ state: "succeeded", totalRows: 120, completedAt: 3_000 });
    const page = JSON.parse(`[${(await store.readRows(id, 100, 50)).join(",")}]`) as unknown[];
    expect(page).toEqual(successResult("R1", 120).response?.rows.slice(100));
  });

  it("turns a FAILED result into failed, with no rows", async () => {
    const id = await created();
    await storeBody(store, id, JSON.stringify(failedResult("R1", "no data for you")));
    await readAndComplete(store, id);
    expect(await store.getQuery(id)).toMatchObject({ state: "failed", failureMessage: "no data for you" });
    expect(await countRows(dataDir, "result_rows")).toBe(0);
  });

  it("keeps the first complete delivery and drops a later one, on another instance too", async () => {
    const other = await open();
    const id = await created();
    const first = JSON.stringify(successResult("R1", 3));
    await storeBody(store, id, first);
    const second = await other.beginDelivery(id, "application/json", 2_500);
    await other.appendChunk(second, 0, Buffer.from("{}"));
    expect(await other.completeDelivery(second, 2)).toBe("duplicate");
    expect((await store.rawDelivery(id))?.byteLength).toBe(first.length);
    expect(await countRows(dataDir, "deliveries")).toBe(1);
    expect(await countRows(dataDir, "raw_chunks")).toBe(1);
  });

  it("lets exactly one of two deliveries streaming at the same time win", async () => {
    const other = await open();
    const id = await created();
    const a = await store.beginDelivery(id, null, 2_000);
    const b = await other.beginDelivery(id, null, 2_000);
    await store.appendChunk(a, 0, Buffer.from("A"));
    await other.appendChunk(b, 0, Buffer.from("B"));
    const outcomes = await Promise.all([store.completeDelivery(a, 1), other.completeDelivery(b, 1)]);
    expect(outcomes.sort()).toEqual(["accepted", "duplicate"]);
    expect(await countRows(dataDir, "deliveries")).toBe(1);
    expect(await countRows(dataDir, "raw_chunks")).toBe(1);
  });

  it("leaves nothing of an abandoned delivery, and a later one is accepted", async () => {
    const id = await created();
    const broken = await store.beginDelivery(id, null, 2_000);
    await store.appendChunk(broken, 0, Buffer.from('{"half'));
    await store.abandonDelivery(broken);
    expect(await countRows(dataDir, "raw_chunks")).toBe(0);
    await storeBody(store, id, "{}");
    expect(await countRows(dataDir, "deliveries")).toBe(1);
  });

  it("drops the chunks of a delivery for a query deleted mid-upload", async () => {
    const id = await created();
    const delivery = await store.beginDelivery(id, null, 2_000);
    await store.appendChunk(delivery, 0, Buffer.from("{"));
    await store.deleteQuery(id);
    await store.appendChunk(delivery, 1, Buffer.from("}"));
    expect(await store.completeDelivery(delivery, 2)).toBe("gone");
    expect(await countRows(dataDir, "raw_chunks")).toBe(0);
    expect(await countRows(dataDir, "deliveries")).toBe(0);
  });

  it("does not fail a query for an oversized callback once a result is stored", async () => {
    const done = await created();
    await storeBody(store, done, JSON.stringify(successResult("R1", 1)));
    expect(await store.failOversized(done, "too big", 5_000, 1_000)).toBe(false);
    expect((await store.getQuery(done))?.state).toBe("received");

    const waiting = await created();
    expect(await store.failOversized(waiting, "too big", 5_000, 1_000)).toBe(true);
    expect(await store.getQuery(waiting)).toMatchObject({
      state: "failed",
      failureMessage: "too big",
      expiresAt: 6_000,
    });
  });
});

describe("rows", () => {
  it("writes no more rows for a query deleted while its result is being read, and leaves none behind", async () => {
    const id = await created();
    await store.recordSubmission(id, "R1", 1_500);
    await storeBody(store, id, JSON.stringify(successResult("R1", 5000)));
    const reading = readResult(store, id, { batchRows: 1000, sliceBytes: 4096 });
    while ((await countRows(dataDir, "result_rows")) === 0) await new Promise((resolve) => setImmediate(resolve));
    await store.deleteQuery(id);
    expect(await reading).toEqual({ kind: "gone" });
    expect(await countRows(dataDir, "result_rows")).toBe(0);
    expect(await countRows(dataDir, "raw_chunks")).toBe(0);
  });

  it("serves any page out of the stored blocks, whole blocks and cut ones alike", async () => {
    const id = await created();
    await storeBody(store, id, JSON.stringify(successResult("R1", 2_500)));
    const rows = Array.from({ length: 2_500 }, (_, i) => [`row ${i}`, i, i % 2 === 0, null]);
    // Blocks as the streaming reader writes them (from row texts) and as the parse worker does (joined).
    expect(
      await store.appendRows(
        id,
        0,
        rows.slice(0, 1_500).map((row) => JSON.stringify(row))
      )
    ).toBe(true);
    expect(
      await store.appendRowBlocks(id, [
        { start: 1_500, count: 500, json: JSON.stringify(rows.slice(1_500, 2_000)).slice(1, -1) },
        { start: 2_000, count: 500, json: JSON.stringify(rows.slice(2_000)).slice(1, -1) },
      ])
    ).toBe(true);
    const page = async (offset: number, limit: number): Promise<unknown[]> => {
      const texts = await store.readRows(id, offset, limit);
      expect(texts.every((text) => text.length > 0)).toBe(true);
      return JSON.parse(`[${texts.join(",")}]`) as unknown[];
    };
    for (const [offset, limit] of [
      [0, 1_000],
      [0, 2_500],
      [950, 1_100],
      [999, 1],
      [1_000, 1],
      [1_499, 2],
      [2_400, 500],
      [2_500, 10],
      [3_000, 10],
    ] as const) {
      expect(await page(offset, limit)).toEqual(rows.slice(offset, offset + limit));
    }
  });

  it("refuses rows for a query that is not being read", async () => {
    const id = await created();
    expect(await store.appendRows(id, 0, ["[1]"])).toBe(false);
    expect(await store.appendRowBlocks(id, [{ start: 0, count: 1, json: "[1]" }])).toBe(false);
    expect(await countRows(dataDir, "result_rows")).toBe(0);
  });
});

describe("reading results in the parse worker", () => {
  const worker = new ParseWorker({ blockRows: 1_000 });
  afterAll(() => worker.close());

  async function readBoth(body: string): Promise<{ inWorker: unknown; streaming: unknown; rows: unknown[] }> {
    const settle = async (options: Parameters<typeof readResult>[2]): Promise<{ read: unknown; rows: unknown[] }> => {
      const id = await created();
      await store.recordSubmission(id, "R1", 1_500);
      await storeBody(store, id, body);
      const read = await readResult(store, id, options);
      const texts = await store.readRows(id, 0, 100_000);
      return { read, rows: JSON.parse(`[${texts.join(",")}]`) as unknown[] };
    };
    const inWorker = await settle({ parseWorker: worker });
    const streaming = await settle({});
    expect(inWorker.rows).toEqual(streaming.rows);
    return { inWorker: inWorker.read, streaming: streaming.read, rows: inWorker.rows };
  }

  it("parses a plain body in its own thread into blocks of rows and the rest of the document", async () => {
    const result = successResult("R1", 2_345);
    const blocks: RowsBlock[] = [];
    const parsed = await worker.parse(Buffer.from(JSON.stringify(result)), (more) => blocks.push(...more));
    expect(parsed).toMatchObject({ kind: "parsed", rowCount: 2_345, widths: new Map([[RESULT_COLUMNS.length, 0]]) });
    expect(blocks.map(({ start, count }) => [start, count])).toEqual([
      [0, 1_000],
      [1_000, 1_000],
      [2_000, 345],
    ]);
    expect(JSON.parse(`[${blocks.map((block) => block.json).join(",")}]`)).toEqual(result.response?.rows);
    expect(JSON.parse((parsed as { skeleton: string }).skeleton)).toEqual({
      ...result,
      response: { ...result.response, rows: [] },
    });
    expect(await worker.parse(Buffer.from("{"), () => undefined)).toMatchObject({ kind: "notPlain" });
  });

  it("reads a plain result into the same rows and outcome as the streaming reader", async () => {
    const result = successResult("R1", 2_345);
    const { inWorker, streaming, rows } = await readBoth(JSON.stringify(result));
    expect(inWorker).toEqual(streaming);
    expect(inWorker).toMatchObject({ kind: "settled", rows: 2_345, outcome: { state: "succeeded", totalRows: 2_345 } });
    expect(rows).toEqual(result.response?.rows);
  });

  it("leaves a body that is not plain to the streaming reader, which says what is wrong", async () => {
    const result = successResult("R1", 1_500);
    const text = JSON.stringify(result);
    const broken = [
      text.replace(/\]\]}/, "],{}]}"), // an object among the rows, after the first block
      text.replace('"rows":[[', '"rows":[[1e400,'), // a number JSON cannot carry, in the first row
      text.slice(0, -5),
      JSON.stringify({ ...result, response: { ...result.response, totalRows: 7 } }),
      JSON.stringify(failedResult("R1", "no data")),
    ];
    for (const body of broken) {
      const { inWorker, streaming } = await readBoth(body);
      expect(inWorker).toEqual(streaming);
      expect(inWorker).toMatchObject({ kind: "settled" });
      expect((inWorker as { outcome: { state: string } }).outcome.state).not.toBe("succeeded");
    }
  });
});

describe("expiry", () => {
  it("sweeps what is past its time, with its body and rows", async () => {
    const old = await created(store, { expiresAt: 5_000 });
    const young = await created(store, { expiresAt: 50_000 });
    await storeBody(store, old, JSON.stringify(successResult("R1", 10)));
    await readAndComplete(store, old);
    // The result expires 1,000,000 ms after it completed (3_000), the unanswered query at 50_000.
    expect(await store.sweep(2_000_000)).toBe(2);
    expect(await store.getQuery(old)).toBeUndefined();
    expect(await store.getQuery(young)).toBeUndefined();
    expect(await countRows(dataDir, "result_rows")).toBe(0);
    expect(await countRows(dataDir, "raw_chunks")).toBe(0);
    const kept = await created(store, { expiresAt: 3_000_000 });
    expect(await store.sweep(2_000_000)).toBe(0);
    expect(await store.getQuery(kept)).toBeDefined();
  });
});

describe("settlements", () => {
  it("tells its watchers which queries settle or go, and which of a list still wait", async () => {
    const seen: Array<string | null> = [];
    const stop = await store.watchSettlements((id) => seen.push(id));
    const done = await created();
    const waiting = await created();
    const deleted = await created();
    await storeBody(store, done, JSON.stringify(successResult("R1", 2)));
    await readAndComplete(store, done);
    await store.deleteQuery(deleted);
    await until(() => seen.includes(done) && seen.includes(deleted));
    expect(seen).not.toContain(waiting);
    expect((await store.settledAmong([done, waiting, deleted])).sort()).toEqual([done, deleted].sort());
    stop();
  });

  onPostgres("tells the watchers of another instance too", async () => {
    const other = await open();
    const seen: Array<string | null> = [];
    await other.watchSettlements((id) => seen.push(id));
    const id = await created();
    expect(await store.failOversized(id, "too big", 5_000, 1_000)).toBe(true);
    await until(() => seen.includes(id));
  });
});

describe("leases", () => {
  it("gives a lease to one holder at a time, renews it for its holder, and frees it when the holder closes", async () => {
    const other = await open();
    expect(await store.tryLease("ttl-sweep", 60_000)).toBe(true);
    expect(await other.tryLease("ttl-sweep", 60_000)).toBe(false);
    expect(await store.tryLease("ttl-sweep", 60_000)).toBe(true);
    expect(await other.tryLease("another-job", 60_000)).toBe(true);
    await store.close();
    expect(await other.tryLease("ttl-sweep", 60_000)).toBe(true);
  });

  it("lets another holder take a lease that ran out", async () => {
    const other = await open();
    expect(await store.tryLease("ttl-sweep", 50)).toBe(true);
    expect(await other.tryLease("ttl-sweep", 50)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await other.tryLease("ttl-sweep", 60_000)).toBe(true);
    expect(await store.tryLease("ttl-sweep", 60_000)).toBe(false);
  });

  it("gives it to exactly one of many contenders at once", async () => {
    const contenders = [store, ...(await Promise.all([open(), open(), open()]))];
    const won = await Promise.all(contenders.map((each) => each.tryLease("ttl-sweep", 60_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });
});

describe("rate-limit windows", () => {
  it("counts in fixed windows that start at the first request", async () => {
    expect(await store.countRequest("submissions:owner:h", 1_000, 10_000)).toEqual({ current: 1, ttl: 1_000 });
    expect(await store.countRequest("submissions:owner:h", 1_000, 10_400)).toEqual({ current: 2, ttl: 600 });
    expect(await store.peekRequests("submissions:owner:h", 10_500)).toEqual({ current: 2, ttl: 500 });
    expect(await store.countRequest("reads:owner:h", 60_000, 10_500)).toEqual({ current: 1, ttl: 60_000 });
    expect(await store.countRequest("submissions:owner:h", 1_000, 11_000)).toEqual({ current: 1, ttl: 1_000 });
    expect(await store.peekRequests("nobody", 11_000)).toEqual({ current: 0, ttl: 0 });
    expect((await store.countedKeys()).sort()).toEqual(["reads:owner:h", "submissions:owner:h"]);
  });

  onPostgres("counts every instance's requests in the same window, however many arrive at once", async () => {
    const other = await open();
    const counts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? store : other).countRequest("submissions:owner:h", 1_000, 10_000))
    );
    expect(counts.map((c) => c.current).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});

describe("abandoned readings", () => {
  onPostgres("lets another instance take over reading a body once the reader's lease ran out", async () => {
    const dying = await open({ readLeaseMs: 100 });
    const survivor = await open({ readLeaseMs: 100 });
    const id = await created();
    await storeBody(dying, id, JSON.stringify(successResult("R1", 30)));
    // The instance that accepted the body is reading it: nobody else may.
    expect(await survivor.claimUnreadResults()).toEqual([]);
    expect(await survivor.appendRows(id, 0, ["[1]"])).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await survivor.claimUnreadResults()).toEqual([id]);
    // The old reader, back from a long pause, can write nothing more.
    expect(await dying.appendRows(id, 0, ["[1]"])).toBe(false);
    await readAndComplete(survivor, id);
    expect(await survivor.getQuery(id)).toMatchObject({ state: "succeeded", totalRows: 30 });
    expect(await countRows(dataDir, "result_rows")).toBe(30);
  });

  onPostgres("hands the reading over at once when the reader closes", async () => {
    const stopping = await open();
    const id = await created();
    await storeBody(stopping, id, JSON.stringify(successResult("R1", 3)));
    await stopping.close();
    expect(await store.claimUnreadResults()).toEqual([id]);
    expect(await store.recover()).toEqual([]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the condition was not met within 5 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
