/** The SQLite store on a real file: schema versions, races between reading, deleting and late answers. */
import path from "node:path";
import Database from "better-sqlite3";
import { hashCallbackSecret } from "../../../src/relay/callback-secret";
import { readResult } from "../../../src/relay/ingest/read-result";
import { MIGRATIONS } from "../../../src/relay/store/migrations";
import { DATABASE_FILE, openSqliteStore, type NewQuery, type SqliteRelayStore } from "../../../src/relay/store";
import { successResult } from "../helpers/results";
import { tempDataDir } from "../helpers/relay";

let dataDir: string;
let store: SqliteRelayStore;

beforeEach(() => {
  dataDir = tempDataDir();
  store = openSqliteStore(dataDir);
});

afterEach(async () => {
  await store.close();
});

function newQuery(id: string): NewQuery {
  return {
    id,
    owner: "owner-hash",
    label: null,
    connection: "default",
    hidden: false,
    requestJson: "{}",
    secretHash: hashCallbackSecret("s"),
    createdAt: 1_000,
    expiresAt: 1_000_000,
  };
}

async function storeBody(id: string, body: string): Promise<void> {
  const delivery = await store.beginDelivery(id, "application/json", 2_000);
  await store.appendChunk(delivery, 0, Buffer.from(body));
  expect(await store.completeDelivery(delivery, Buffer.byteLength(body))).toBe("accepted");
}

function count(table: string): number {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

it("records its schema version and opens an existing file without migrating it again", async () => {
  await store.createQuery(newQuery("q1"));
  await store.close();
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
  expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
  db.close();
  store = openSqliteStore(dataDir);
  expect((await store.getQuery("q1"))?.state).toBe("submitting");
});

it("adds the connection column to a file from before connections, its queries keeping null (the default)", async () => {
  await store.close();
  const file = path.join(tempDataDir(), DATABASE_FILE);
  const old = new Database(file);
  for (const sql of MIGRATIONS.slice(0, 2)) old.exec(sql);
  old.pragma("user_version = 2");
  old
    .prepare(
      `INSERT INTO queries (id, owner, hidden, request_json, secret_hash, state, created_at, expires_at)
       VALUES ('old', 'owner-hash', 0, '{}', x'00', 'pending', 1000, 1000000)`
    )
    .run();
  old.close();
  store = openSqliteStore(path.dirname(file));
  expect(await store.getQuery("old")).toMatchObject({ state: "pending", connection: null });
  await store.createQuery({ ...newQuery("new"), connection: "eu" });
  expect((await store.getQuery("new"))?.connection).toBe("eu");
});

it("keeps the rows of results stored one row per record by an earlier relay, as blocks of one row", async () => {
  await store.close();
  const olderDir = tempDataDir();
  const older = new Database(path.join(olderDir, DATABASE_FILE));
  // The schema before rows were stored in blocks (migrations 1 and 2), with a result of three rows.
  for (const [version, sql] of MIGRATIONS.slice(0, 2).entries()) {
    older.exec(sql);
    older.pragma(`user_version = ${version + 1}`);
  }
  const rows = [
    ["2026-03-01", 1.5],
    ["2026-03-02", "text, with a comma"],
    ["2026-03-03", null],
  ];
  const insert = older.prepare("INSERT INTO result_rows (query_id, idx, cells) VALUES ('q1', ?, ?)");
  rows.forEach((row, index) => insert.run(index, JSON.stringify(row)));
  older.close();

  store = openSqliteStore(olderDir);
  expect(JSON.parse(`[${(await store.readRows("q1", 0, 10)).join(",")}]`)).toEqual(rows);
  expect(JSON.parse(`[${(await store.readRows("q1", 1, 1)).join(",")}]`)).toEqual([rows[1]]);
});

it("refuses a database written by a newer relay", async () => {
  await store.close();
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  expect(() => openSqliteStore(dataDir)).toThrow(/newer than this relay knows/);
  store = openSqliteStore(tempDataDir());
});

it("writes no more rows for a query deleted while its result is being read, and leaves none behind", async () => {
  await store.createQuery(newQuery("q1"));
  await store.recordSubmission("q1", "R1", 1_500);
  await storeBody("q1", JSON.stringify(successResult("R1", 5000)));
  // Delete the query once the first batch is written.
  const reading = readResult(store, "q1", { batchRows: 1000, sliceBytes: 4096 });
  while (count("result_blocks") === 0) await new Promise((resolve) => setImmediate(resolve));
  await store.deleteQuery("q1");
  expect(await reading).toEqual({ kind: "gone" });
  expect(count("result_blocks")).toBe(0);
  expect(count("raw_chunks")).toBe(0);
});

it("marks a query unreadable when Infobip's 201 names another requestId than the callback that came first", async () => {
  await store.createQuery(newQuery("q1"));
  await storeBody("q1", JSON.stringify(successResult("FROM-CALLBACK", 2)));
  const read = await readResult(store, "q1");
  expect(read.kind).toBe("settled");
  if (read.kind === "settled") await store.completeQuery("q1", read.outcome, 3_000, 1_000);
  expect((await store.getQuery("q1"))?.requestId).toBe("FROM-CALLBACK");
  expect(await store.recordSubmission("q1", "FROM-CALLBACK", 4_000)).toBe("recorded");
  expect(await store.recordSubmission("q1", "FROM-201", 4_000)).toBe("mismatch");
  expect(await store.getQuery("q1")).toMatchObject({
    state: "unreadable",
    failureMessage: expect.stringMatching(/FROM-201.*FROM-CALLBACK/),
  });
});

it("does not fail a query for an oversized callback once a result is stored", async () => {
  await store.createQuery(newQuery("q1"));
  await storeBody("q1", JSON.stringify(successResult("R1", 1)));
  expect(await store.failOversized("q1", "too big", 5_000, 1_000)).toBe(false);
  expect((await store.getQuery("q1"))?.state).toBe("received");
});

it("drops the chunks of a delivery for a query deleted mid-upload", async () => {
  await store.createQuery(newQuery("q1"));
  const delivery = await store.beginDelivery("q1", null, 2_000);
  await store.appendChunk(delivery, 0, Buffer.from("{"));
  await store.deleteQuery("q1");
  await store.appendChunk(delivery, 1, Buffer.from("}"));
  expect(await store.completeDelivery(delivery, 2)).toBe("gone");
  expect(count("raw_chunks")).toBe(0);
  expect(count("deliveries")).toBe(0);
});
