/**
 * The API key never reaches the data directory or the logs, and callback secrets never reach the logs or
 * the data directory either: a whole working session, then a byte scan of every file and every log line.
 * The session runs into every rate limit too, and the rate limiter's counters are keyed by owner hash, never
 * by the key. On PostgreSQL the scan covers the test cluster's whole data directory, write-ahead log included.
 */
import fs from "node:fs";
import path from "node:path";
import { API_ERRORS } from "../../src/billing";
import { ownerHash } from "../../src/relay/credentials";
import { deliver, FakeInfobip } from "./helpers/fake-infobip";
import { successResult } from "./helpers/results";
import { acceptedSubmission, call, startTestRelay, TestClock, thisMonthQuery, type TestRelay } from "./helpers/relay";
import { selectRows, STORE_KIND } from "./helpers/stores";

const KEY = "c0ffee00c0ffee00c0ffee00c0ffee00-dead-beef-cafe-0123456789ab";
const OTHER_KEY = "0badf00d0badf00d0badf00d0badf00d-aaaa-bbbb-cccc-ddddeeeeffff";

let infobip: FakeInfobip;
let relay: TestRelay;

beforeEach(async () => {
  infobip = await FakeInfobip.start();
  // Small limits the session below runs into; the frozen clock keeps all of it in one window.
  relay = await startTestRelay({
    infobipBaseUrl: infobip.url,
    logLevel: "debug",
    clock: new TestClock(Date.now()),
    submitRatePerSecond: 3,
    readRatePerMinute: 5,
    notFoundRatePerMinute: 2,
  });
});

afterEach(async () => {
  await relay.close();
  await infobip.close();
});

function filesUnder(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    // A directory of the test cluster dropped meanwhile (see readUnlessGone).
    if (STORE_KIND === "postgresql" && (error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * A file's bytes; undefined when it went since it was listed: the test cluster's other databases (other test files)
 * make and drop temporary files meanwhile. Whatever a vanished file held was written to the WAL first.
 */
function readUnlessGone(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if (STORE_KIND === "postgresql" && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Every way a secret could be written: as is, in UTF-16 (SQLite text can be), and base64 of the header. */
function forms(secret: string): Buffer[] {
  return [
    Buffer.from(secret, "utf8"),
    Buffer.from(secret, "utf16le"),
    Buffer.from(`App ${secret}`).toString("base64"),
  ].map((form) => (typeof form === "string" ? Buffer.from(form) : form));
}

it("keeps API keys and callback secrets out of the data directory and the logs", async () => {
  // A full session: check, submit, a tampered and a malformed callback, the real callback, reads, a
  // refused submission, a foreign key, a delete, an error from Infobip, and a 429 from each rate limit.
  expect((await call(relay, "POST", "/v1/connection-check", { key: KEY, body: {} })).status).toBe(200);
  const submitted = await call(relay, "POST", "/v1/queries", {
    key: KEY,
    body: { request: thisMonthQuery(relay.clock.now()), label: "hygiene" },
  });
  const { id, requestId } = acceptedSubmission(submitted.json);
  const callbackUrl = infobip.lastSubmission().callbackUrl;
  const secrets = infobip.submissions.map((s) => s.callbackUrl.split("/").at(-1) ?? "");
  expect(secrets.every((s) => s.length === 43)).toBe(true);

  expect(
    (
      await deliver(
        callbackUrl.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
        "{}"
      )
    ).status
  ).toBe(404);
  expect((await deliver(`${callbackUrl}x`, "{}")).status).toBe(404);
  // Over the not-found budget: a wrong callback address, and an unknown path that carries the key.
  expect((await deliver(callbackUrl.replace(/[^/]+$/, "A".repeat(43)), "{}")).status).toBe(429);
  expect((await call(relay, "GET", "/v1/no-such-call", { key: KEY })).status).toBe(429);
  expect((await deliver(callbackUrl, JSON.stringify(successResult(requestId, 100)))).status).toBe(200);
  expect((await call(relay, "GET", `/v1/queries/${id}?wait=30`, { key: KEY })).json).toMatchObject({
    status: "succeeded",
  });
  expect((await call(relay, "GET", `/v1/queries/${id}/rows?limit=50`, { key: KEY })).status).toBe(200);
  expect((await call(relay, "GET", `/v1/queries/${id}/raw`, { key: KEY })).status).toBe(200);
  expect((await call(relay, "GET", "/v1/queries", { key: KEY })).status).toBe(200);
  expect((await call(relay, "GET", `/v1/queries/${id}`, { key: OTHER_KEY })).status).toBe(404);
  expect((await call(relay, "POST", "/v1/queries", { key: KEY, body: { request: { nonsense: true } } })).status).toBe(
    400
  );
  // The fourth submission with KEY in this second.
  expect(
    (await call(relay, "POST", "/v1/queries", { key: KEY, body: { request: thisMonthQuery(relay.clock.now()) } }))
      .status
  ).toBe(429);
  infobip.respondWith(() => ({ status: 401, body: JSON.stringify(API_ERRORS.unauthorized) }));
  expect(
    (await call(relay, "POST", "/v1/queries", { key: OTHER_KEY, body: { request: thisMonthQuery(relay.clock.now()) } }))
      .status
  ).toBe(401);
  expect((await call(relay, "DELETE", `/v1/queries/${id}`, { key: KEY })).status).toBe(204);
  // The sixth read with KEY this minute.
  expect((await call(relay, "GET", "/v1/queries", { key: KEY })).status).toBe(429);

  // The rate limiter counts by owner hash (and IP), never by key.
  const countedKeys = await relay.app.rateLimits.countedKeys();
  expect(countedKeys).toEqual(
    expect.arrayContaining([
      `submissions:owner:${ownerHash("App", KEY, relay.app.keyHashSecret)}`,
      `reads:owner:${ownerHash("App", KEY, relay.app.keyHashSecret)}`,
      "not-found:ip:127.0.0.1",
    ])
  );
  for (const key of countedKeys) {
    for (const secret of [KEY, OTHER_KEY]) expect(key).not.toContain(secret);
  }
  await relay.close();

  // What reached the disk. SQLite: the data directory (the file, its WAL and shared memory, the key-hash secret
  // file). PostgreSQL: the whole test cluster's data directory (tables, WAL, everything), after a checkpoint.
  let files: string[];
  if (STORE_KIND === "sqlite") {
    files = filesUnder(relay.dataDir);
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(["relay.sqlite", "relay-secret"]));
  } else {
    await selectRows(relay.dataDir, "CHECKPOINT");
    files = filesUnder(process.env.RELAY_TEST_POSTGRES_DATA_DIR ?? "");
    expect(files.some((file) => file.includes("pg_wal"))).toBe(true);
  }
  for (const file of files) {
    const bytes = readUnlessGone(file);
    if (bytes === undefined) continue;
    for (const secret of [KEY, OTHER_KEY, ...secrets]) {
      for (const form of forms(secret)) expect({ file, found: bytes.includes(form) }).toEqual({ file, found: false });
    }
  }

  // The logs: plenty was logged, including the callback paths, but masked.
  const logText = relay.logs.text;
  expect(relay.logs.lines.length).toBeGreaterThan(20);
  expect(logText).toContain(`/callbacks/${id}/***`);
  expect(logText).toContain("/v1/queries");
  expect(logText).toContain("rate limit reached");
  for (const secret of [KEY, OTHER_KEY, ...secrets]) {
    for (const form of forms(secret)) expect(logText.includes(form.toString("utf8"))).toBe(false);
  }
  expect(logText.toLowerCase()).not.toContain("authorization");
  // No billing data in the logs either: rows are never logged.
  expect(logText).not.toContain("message part");
});
