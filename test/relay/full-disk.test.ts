/**
 * A full disk is a full disk: the relay's data directory on a 20 MB tmpfs this test mounts (the machine runs the
 * tests as root; where mounting is impossible these tests are skipped with a warning, except under CI=true, where
 * they fail), and the same answers with a full-disk failure injected at the store seam (which runs everywhere).
 *
 * Expected: a callback that cannot be stored gets 503 with Retry-After and leaves nothing half-stored (the same
 * result sent again later is accepted, not a "duplicate"); a submission gets 503; DELETE works on the full disk;
 * /healthz (readiness) answers 503 saying why while /livez (liveness) stays 200; and the relay finds by itself when
 * space returns.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ApiErrorSchema, QueryStateSchema, RowsPageSchema, SubmittedQuerySchema } from "../../src/relay-api";
import { openSqliteStore, type RelayStore } from "../../src/relay/store";
import { deliver, FakeInfobip } from "./helpers/fake-infobip";
import { resultRow, successResult } from "./helpers/results";
import { call, startTestRelay, tempDataDir, thisMonthQuery, type TestRelay } from "./helpers/relay";
import { selectRows } from "./helpers/stores";

const KEY = "d15cd15cd15cd15cd15cd15cd15cd15c-0000-1111-2222-333344445555";
/** Rows of a callback body of about 2.2 MB. */
const BIG_RESULT_ROWS = 45_000;
/** Room for a DELETE of a 45,000-row result: its rows' pages in the WAL, and a checkpoint (measured: 4 MiB fell short). */
const RESERVE_BYTES = 8 * 1024 * 1024;

let infobip: FakeInfobip;
const relays: TestRelay[] = [];

beforeEach(async () => {
  infobip = await FakeInfobip.start();
});

afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close();
  await infobip.close();
});

async function submit(relay: TestRelay): Promise<{ id: string; requestId: string; callbackUrl: string }> {
  const answer = await call(relay, "POST", "/v1/queries", {
    key: KEY,
    body: { request: thisMonthQuery(relay.clock.now()) },
  });
  expect(answer.status).toBe(202);
  const { id } = SubmittedQuerySchema.parse(answer.json);
  const { requestId, callbackUrl } = infobip.lastSubmission();
  return { id, requestId, callbackUrl: `${relay.url}${new URL(callbackUrl).pathname}` };
}

async function expectRowsReadable(relay: TestRelay, id: string, rows: number): Promise<void> {
  const state = QueryStateSchema.parse((await call(relay, "GET", `/v1/queries/${id}?wait=30`, { key: KEY })).json);
  expect(state).toMatchObject({ status: "succeeded", totalRows: rows });
  const page = RowsPageSchema.parse(
    (await call(relay, "GET", `/v1/queries/${id}/rows?offset=${rows - 2}&limit=2`, { key: KEY })).json
  );
  expect(page.rows).toEqual([resultRow(rows - 2), resultRow(rows - 1)]);
}

async function completeDeliveries(dataDir: string): Promise<number> {
  return Number((await selectRows(dataDir, "SELECT COUNT(*) AS n FROM deliveries WHERE complete = 1"))[0]?.n);
}

/** Every delivery left is complete, and every chunk is a complete delivery's (polled: dropped in the background). */
async function nothingHalfStored(dataDir: string): Promise<void> {
  let left: unknown;
  for (let look = 0; look < 400; look++) {
    const [counts] = await selectRows(
      dataDir,
      `SELECT (SELECT COUNT(*) FROM deliveries WHERE complete = 0) AS deliveries,
              (SELECT COUNT(*) FROM raw_chunks WHERE delivery_id NOT IN (SELECT id FROM deliveries WHERE complete = 1)) AS chunks`
    );
    if (Number(counts?.deliveries) === 0 && Number(counts?.chunks) === 0) return;
    left = counts;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`half-stored deliveries remain: ${JSON.stringify(left)}`);
}

/** Polls readiness until it answers 200 (the relay's own probe must find the space; the test only looks). */
async function readyAgain(relay: TestRelay): Promise<void> {
  let last: unknown;
  for (let look = 0; look < 400; look++) {
    const readiness = await call(relay, "GET", "/healthz");
    if (readiness.status === 200) return;
    last = readiness.json;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the relay did not become ready again: ${JSON.stringify(last)}`);
}

describe("on a 20 MB file system", () => {
  let mountDir: string | undefined;
  let mountProblem: string | undefined;

  beforeAll(() => {
    const dir = fs.mkdtempSync("/tmp/relay-full-disk-");
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=20m", "tmpfs", dir], { stdio: "pipe" });
      mountDir = dir;
    } catch (error) {
      fs.rmdirSync(dir);
      mountProblem = (error as Error).message;
      if (process.env.CI === "true") throw new Error(`cannot mount a tmpfs for the full-disk tests: ${mountProblem}`);
      process.stderr.write(
        `\n*** SKIPPED: the full-disk tests on a real small file system (cannot mount a tmpfs: ${mountProblem}). ` +
          "The store-seam tests below still run. ***\n\n"
      );
    }
  });

  afterAll(() => {
    if (mountDir === undefined) return;
    execFileSync("umount", ["--lazy", mountDir]);
    fs.rmdirSync(mountDir);
  });

  /** A fresh data directory on the small file system (emptied first: the tests share the mount). */
  function smallDataDir(): string {
    if (mountDir === undefined) throw new Error("no tmpfs");
    for (const entry of fs.readdirSync(mountDir))
      fs.rmSync(path.join(mountDir, entry), { recursive: true, force: true });
    return path.join(mountDir, "data");
  }

  /** Fills what is left of the file system with one file. */
  function fillDisk(file: string): void {
    const handle = fs.openSync(file, "w");
    try {
      for (const size of [1024 * 1024, 4096, 512]) {
        const block = Buffer.alloc(size);
        try {
          for (;;) fs.writeSync(handle, block);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
        }
      }
    } finally {
      fs.closeSync(handle);
    }
  }

  const onTmpfs = (name: string, test: () => Promise<void>): void =>
    it(
      name,
      async () => {
        if (mountDir === undefined) {
          process.stderr.write(`*** SKIPPED (no tmpfs): ${name}\n`);
          return;
        }
        await test();
      },
      120_000
    );

  onTmpfs("answers 503 to a callback and a submission, keeps nothing half-stored, and recovers by itself", async () => {
    const dataDir = smallDataDir();
    const relay = await startTestRelay({
      infobipBaseUrl: infobip.url,
      dataDir,
      diskReserveBytes: RESERVE_BYTES,
      deps: { storageProbeIntervalMs: 50 },
    });
    relays.push(relay);
    const query = await submit(relay);
    const body = JSON.stringify(successResult(query.requestId, BIG_RESULT_ROWS));
    expect(body.length).toBeGreaterThan(2_000_000);
    const filler = path.join(mountDir as string, "filler");
    fillDisk(filler);

    const refused = await deliver(query.callbackUrl, body);
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(ApiErrorSchema.parse(JSON.parse(refused.text))).toMatchObject({ errorCode: "E503" });
    expect(await completeDeliveries(dataDir)).toBe(0);

    const submission = await call(relay, "POST", "/v1/queries", {
      key: KEY,
      body: { request: thisMonthQuery(relay.clock.now()) },
    });
    expect(submission.status).toBe(503);
    expect(submission.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(ApiErrorSchema.parse(submission.json).description).toMatch(/disk is full/);

    const readiness = await call(relay, "GET", "/healthz");
    expect(readiness.status).toBe(503);
    expect(ApiErrorSchema.parse(readiness.json).description).toMatch(
      /The relay is not ready: the store cannot write since .*(full|SQLITE_FULL|ENOSPC)/
    );
    expect(await call(relay, "GET", "/livez")).toMatchObject({ status: 200, json: { status: "ok" } });
    expect(
      QueryStateSchema.parse((await call(relay, "GET", `/v1/queries/${query.id}`, { key: KEY })).json).status
    ).toBe("pending");

    fs.rmSync(filler);
    await readyAgain(relay);
    expect((await deliver(query.callbackUrl, body)).status).toBe(200);
    await expectRowsReadable(relay, query.id, BIG_RESULT_ROWS);
    // The refused delivery's chunks are gone too, once the store could write their deletion.
    await nothingHalfStored(dataDir);
  });

  onTmpfs("deletes a query on a disk the relay's own results filled, and takes a result again after that", async () => {
    const dataDir = smallDataDir();
    // Rows of a result stored as the disk filled may fail to be written: they are tried again soon, and briefly.
    const relay = await startTestRelay({
      infobipBaseUrl: infobip.url,
      dataDir,
      diskReserveBytes: RESERVE_BYTES,
      resultReadAttempts: 2,
      deps: { storageProbeIntervalMs: 50, readRetryDelayMs: 10 },
    });
    relays.push(relay);
    // The disk fills wherever it fills first: a callback body (503), the rows read from one (the query stays
    // pending, its reading retried), or the next submission (503). Results are sent until one of them is refused.
    const stored: string[] = [];
    let refused: { id: string; callbackUrl: string; body: string } | undefined;
    for (let i = 0; i < 12 && refused === undefined; i++) {
      const submitted = await call(relay, "POST", "/v1/queries", {
        key: KEY,
        body: { request: thisMonthQuery(relay.clock.now()) },
      });
      if (submitted.status === 503) break;
      expect(submitted.status).toBe(202);
      const id = SubmittedQuerySchema.parse(submitted.json).id;
      const { requestId, callbackUrl } = infobip.lastSubmission();
      const address = `${relay.url}${new URL(callbackUrl).pathname}`;
      const body = JSON.stringify(successResult(requestId, BIG_RESULT_ROWS));
      const delivered = await deliver(address, body);
      if (delivered.status !== 200) {
        expect(delivered.status).toBe(503);
        refused = { id, callbackUrl: address, body };
        break;
      }
      stored.push(id);
      // Its rows are read (or, the disk filling, tried again) before the next result comes.
      await call(relay, "GET", `/v1/queries/${id}?wait=5`, { key: KEY });
    }
    expect(stored.length).toBeGreaterThan(0);
    expect((await call(relay, "GET", "/healthz")).status).toBe(503);

    // Freeing space through the API, on the full disk: the oldest results go first.
    for (const id of stored.slice(0, 2)) {
      expect((await call(relay, "DELETE", `/v1/queries/${id}`, { key: KEY })).status).toBe(204);
      expect((await call(relay, "GET", `/v1/queries/${id}`, { key: KEY })).status).toBe(404);
    }
    await readyAgain(relay);
    if (refused !== undefined) {
      // The refused result, sent again, is taken whole.
      expect((await deliver(refused.callbackUrl, refused.body)).status).toBe(200);
      await expectRowsReadable(relay, refused.id, BIG_RESULT_ROWS);
    } else {
      // A new result is taken whole.
      const query = await submit(relay);
      expect(
        (await deliver(query.callbackUrl, JSON.stringify(successResult(query.requestId, BIG_RESULT_ROWS)))).status
      ).toBe(200);
      await expectRowsReadable(relay, query.id, BIG_RESULT_ROWS);
    }
  });
});

describe("with a full-disk failure injected at the store seam", () => {
  const full = (): Error => Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });

  /** The real SQLite store, whose writes fail as on a full disk while `diskFull` is set. */
  function storeWithFullDisk(dataDir: string): { store: RelayStore; setFull(value: boolean): void } {
    const real = openSqliteStore(dataDir);
    let diskFull = false;
    const failing =
      <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        if (diskFull) throw full();
        return write(...args);
      };
    const store: RelayStore = Object.assign(Object.create(real) as RelayStore, {
      createQuery: failing(real.createQuery.bind(real)),
      appendChunk: failing(real.appendChunk.bind(real)),
      deleteQuery: failing(real.deleteQuery.bind(real)),
      tryLease: failing(real.tryLease.bind(real)),
    });
    return { store, setFull: (value) => (diskFull = value) };
  }

  it("answers 503 with Retry-After, readiness 503 until writes work again, and accepts the result sent again", async () => {
    const dataDir = tempDataDir();
    const { store, setFull } = storeWithFullDisk(dataDir);
    const relay = await startTestRelay({
      infobipBaseUrl: infobip.url,
      dataDir,
      deps: { store, storageProbeIntervalMs: 20 },
    });
    relays.push(relay);
    const query = await submit(relay);
    const body = JSON.stringify(successResult(query.requestId, 40));

    setFull(true);
    const refused = await deliver(query.callbackUrl, body);
    expect(refused.status).toBe(503);
    expect(ApiErrorSchema.parse(JSON.parse(refused.text)).description).toMatch(/could not store this result/);
    await nothingHalfStored(dataDir);
    const submission = await call(relay, "POST", "/v1/queries", {
      key: KEY,
      body: { request: thisMonthQuery(relay.clock.now()) },
    });
    expect(submission.status).toBe(503);
    expect(submission.headers.get("retry-after")).toBe("60");
    expect((await call(relay, "DELETE", `/v1/queries/${query.id}`, { key: KEY })).status).toBe(503);
    expect((await call(relay, "GET", "/healthz")).status).toBe(503);
    expect((await call(relay, "GET", "/livez")).status).toBe(200);

    setFull(false);
    await readyAgain(relay);
    expect((await deliver(query.callbackUrl, body)).status).toBe(200);
    await expectRowsReadable(relay, query.id, 40);
  });
});
