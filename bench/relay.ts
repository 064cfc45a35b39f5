/**
 * Bench: one 100k-row callback through the real relay (HTTP on loopback, SQLite in a temp directory),
 * then read back in pages of 10,000 — against the floor: the least a receiver could do, over the same HTTP with
 * the same client. The floor is a plain `node:http` server that takes the body, runs `JSON.parse` on it, inserts
 * the bytes once into SQLite with the relay's durability for an acknowledged callback (WAL, synchronous=FULL),
 * answers 200, then serves the pages from the parsed rows (`JSON.stringify` of a slice). Ratio = the relay's
 * time from the callback's first byte to the last page read / the floor's over the same span. Each is run three
 * times (the floor before each relay run) and the median printed: the machine is shared.
 *
 * Then the same on PostgreSQL (a private cluster started for the bench, or BENCH_DATABASE_URL), with two relay
 * instances on the database: the callback goes to one, a long-poll is held on the other, and the pages are read
 * from the other. Its floor inserts the bytes with one INSERT (synchronous_commit on). Skipped, saying so, where
 * no PostgreSQL server binaries are installed.
 *
 *   npx tsx bench/relay.ts [rows]
 *
 * Also measured while the result is being read into rows: the longest event-loop stall, the slowest
 * `GET /healthz` answered meanwhile (other requests are not blocked for long), and the process's peak RSS
 * above its level before the callback (the body is never held whole in memory).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { Client } from "pg";
import { resolvePreset, type BillingUsageResult, type RawRow } from "../src/billing";
import { singleConnection, startRelay, type RunningRelay } from "../src/relay";
import { MAX_PAGE_ROWS, QueryStateSchema, SubmittedQuerySchema } from "../src/relay-api";
import { findPostgresBinDir, startPostgresCluster } from "../test/support/postgres-cluster";
import { megabytes, runStandalone } from "./standalone";

export type BenchStore = { kind: "sqlite" } | { kind: "postgresql"; url: string };

export interface RelayBenchResult {
  store: BenchStore["kind"];
  rows: number;
  bodyBytes: number;
  /** Runs of each (floor and relay, alternately); the figures are the median run's, stalls the worst run's. */
  runs: number;
  floor: FloorRun;
  /** From the first byte sent to the 200: the body streamed into SQLite. */
  storeMs: number;
  /** From the 200 to `succeeded`: the body read into rows. */
  readIntoRowsMs: number;
  /** All pages of 10,000 rows read back over HTTP. */
  pagesMs: number;
  /** From the callback's first byte to the last page read. */
  totalMs: number;
  pages: number;
  /** Relay total / floor total. */
  ratio: number;
  /**
   * PostgreSQL, two instances: from the moment the instance that read the rows answered its own long-poll to the
   * moment the other instance answered the long-poll it held (woken by LISTEN/NOTIFY).
   */
  crossInstanceWakeMs: number | undefined;
  /** Longest event-loop stall from the callback's first byte to `succeeded`; then split: until the 200, after it. */
  maxEventLoopStallMs: number;
  storingStallMs: number;
  readingStallMs: number;
  /** Slowest of the `GET /healthz` sent every 10 ms meanwhile, and how many were answered. */
  maxHealthzMs: number;
  healthzAnswered: number;
  rssBeforeMb: number;
  /** Peak RSS from the callback until the result is read into rows. */
  rssPeakIngestMb: number;
  /** Peak RSS up to the last page read (this process is also the HTTP client parsing the pages). */
  rssPeakMb: number;
}

/** Pages as large as the relay serves. */
const PAGE_ROWS = MAX_PAGE_ROWS;
const KEY = "bench0000bench0000bench0000bench-0000-0000-0000-000000000000";
const COUNTRIES = ["US", "DE", "HR", "GB", "FR", "BR", "IN", "NG", "ID", "MX"];

function row(i: number): RawRow {
  const quantity = (i % 9973) + 1;
  const price = 0.0031 + (i % 47) / 10_000;
  return [
    `2026-03-${String((i % 28) + 1).padStart(2, "0")}T00:00:00.000+0000`,
    i % 6 === 0 ? "WHATSAPP" : "SMS",
    COUNTRIES[i % COUNTRIES.length] ?? "US",
    `Network ${i % 311}`,
    `Sender${i % 997}`,
    i % 6 === 0 ? "message" : "message part",
    i % 19 === 0 ? "N/A" : Number(price.toFixed(4)),
    quantity,
    Number((price * quantity).toFixed(2)),
    i % 4 === 0 ? "EUR" : "USD",
  ];
}

function resultBody(requestId: string, rows: number): string {
  const columns = [
    ["DAY", "DATE_TIME"],
    ["CATEGORY_CODE", "STRING"],
    ["COUNTRY_CODE", "STRING"],
    ["NETWORK_NAME", "STRING"],
    ["SENDER", "STRING"],
    ["UNIT_TYPE", "STRING"],
    ["UNIT_PRICE", "NUMBER"],
    ["QUANTITY", "NUMBER"],
    ["TOTAL_PER_UNIT", "NUMBER"],
    ["CURRENCY", "STRING"],
  ] as const;
  const result: BillingUsageResult = {
    requestId,
    status: "SUCCESS",
    response: {
      requestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
      totalRows: rows,
      columns: columns.map(([columnName, columnDataType]) => ({ columnName, columnDataType })),
      rows: Array.from({ length: rows }, (_, i) => row(i)),
    },
    metadata: {
      clientRequestedPeriod: { sentSince: "2026-03-01T00:00:00.000+0000", sentUntil: "2026-04-01T00:00:00.000+0000" },
      billingPeriods: [{ month: "2026-03", volumeFinalized: true }],
    },
  };
  return JSON.stringify(result);
}

/** Stores the bytes once, durably; resolves when committed. */
type Persist = (id: string, body: Buffer) => Promise<void>;

function sqlitePersist(dir: string): { persist: Persist; close: () => Promise<void> } {
  const db = new Database(path.join(dir, "floor.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE results (id TEXT PRIMARY KEY, body BLOB NOT NULL)");
  const insert = db.prepare("INSERT INTO results (id, body) VALUES (?, ?)");
  return {
    persist: async (id, body) => void insert.run(id, body),
    close: async () => void db.close(),
  };
}

async function postgresPersist(url: string): Promise<{ persist: Persist; close: () => Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query("SET synchronous_commit = on");
  await client.query("CREATE TEMPORARY TABLE floor_results (id text PRIMARY KEY, body bytea NOT NULL)");
  return {
    persist: async (id, body) => void (await client.query("INSERT INTO floor_results VALUES ($1, $2)", [id, body])),
    close: () => client.end(),
  };
}

interface FloorRun {
  /** First byte sent → 200 (parsed and stored). */
  ackMs: number;
  /** The pages read back. */
  pagesMs: number;
  totalMs: number;
  /** Heap held by the parsed result (what a relay that parses whole bodies holds per callback). */
  heapMb: number;
}

/**
 * The floor, once: a receiver that does `JSON.parse`, one durable insert, and serves pages from the parsed rows,
 * timed with the same client as the relay.
 */
async function floorRun(body: Buffer, rows: number, persist: Persist, run: number): Promise<FloorRun> {
  let parsedRows: unknown[] = [];
  let heapMb = 0;
  const server = http.createServer((req, res) => {
    if (req.method === "POST") {
      const parts: Buffer[] = [];
      req.on("data", (part: Buffer) => parts.push(part));
      req.on("end", () => {
        const heapBefore = process.memoryUsage().heapUsed;
        const bytes = Buffer.concat(parts);
        const parsed = JSON.parse(bytes.toString("utf8")) as BillingUsageResult;
        parsedRows = parsed.response?.rows ?? [];
        heapMb = megabytes(process.memoryUsage().heapUsed - heapBefore);
        void persist(`${run}-${parsed.requestId}`, bytes).then(() => res.writeHead(200).end());
      });
      return;
    }
    const url = new URL(req.url ?? "/", "http://floor");
    const offset = Number(url.searchParams.get("offset"));
    const limit = Number(url.searchParams.get("limit"));
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ offset, limit, rows: parsedRows.slice(offset, offset + limit) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    global.gc?.();
    const start = performance.now();
    if ((await postBody(`${base}/callback`, body)) !== 200) throw new Error("the floor did not store the body");
    const acked = performance.now();
    const read = await readPages(base, "/rows", rows, {});
    const done = performance.now();
    if (read !== rows) throw new Error(`the floor served ${read} rows instead of ${rows}`);
    return { ackMs: acked - start, pagesMs: done - acked, totalMs: done - start, heapMb };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Reads every page of `rows` rows from `base + path`, as the pane does (each page parsed), returning the count. */
async function readPages(
  base: string,
  pathname: string,
  rows: number,
  headers: Record<string, string>
): Promise<number> {
  let rowsRead = 0;
  for (let offset = 0; offset < rows; offset += PAGE_ROWS) {
    const response = await fetch(`${base}${pathname}?offset=${offset}&limit=${PAGE_ROWS}`, { headers });
    const page = (await response.json()) as { rows: unknown[] };
    rowsRead += page.rows.length;
  }
  return rowsRead;
}

/** Infobip's part, minimal: 201 with a fixed requestId, remembering the callback URL. */
async function fakeInfobip(
  requestId: string
): Promise<{ url: string; callbackUrl: () => string; close: () => Promise<void> }> {
  let callbackUrl = "";
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (part: Buffer) => (text += part.toString()));
    req.on("end", () => {
      callbackUrl = (JSON.parse(text) as { callbackUrl: string }).callbackUrl;
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ requestId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    callbackUrl: () => callbackUrl,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function postBody(url: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: "POST", headers: { "content-type": "application/json", "content-length": body.length } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      }
    );
    request.on("error", reject);
    request.end(body);
  });
}

type RelayRun = Omit<RelayBenchResult, "store" | "rows" | "bodyBytes" | "floor" | "ratio" | "runs">;

/** One callback through the relay(s) and its pages read back. */
async function relayRun(
  relay: RunningRelay,
  other: RunningRelay | undefined,
  infobip: { callbackUrl: () => string },
  body: Buffer,
  rows: number
): Promise<RelayRun> {
  const reader = other ?? relay;
  const headers = { authorization: `App ${KEY}`, "content-type": "application/json" };
  const now = new Date();
  const submitted = await fetch(`${relay.url}/v1/queries`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      request: { filterBy: { dateInterval: resolvePreset("this-month", now) }, aggregateBy: ["DAY"] },
    }),
  });
  const { id } = SubmittedQuerySchema.parse(await submitted.json());
  let otherAnswered: number | undefined;
  const otherPoll =
    other === undefined
      ? undefined
      : fetch(`${other.url}/v1/queries/${id}?wait=30`, { headers })
          .then((response) => response.json())
          .then((state: unknown) => {
            otherAnswered = performance.now();
            return QueryStateSchema.parse(state);
          });
  // The other instance's long-poll is held before the callback arrives.
  if (otherPoll !== undefined) await new Promise((resolve) => setTimeout(resolve, 200));

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 5);

  // From the callback's first byte until the rows are ready: the event loop and other requests.
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  stalls.enable();
  let maxHealthzMs = 0;
  let healthzAnswered = 0;
  let reading = true;
  const probe = (async () => {
    while (reading) {
      const start = performance.now();
      await fetch(`${relay.url}/healthz`).then((r) => r.text());
      maxHealthzMs = Math.max(maxHealthzMs, performance.now() - start);
      healthzAnswered++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();

  const sendStart = performance.now();
  const status = await postBody(infobip.callbackUrl(), body);
  const stored = performance.now();
  const storingStallMs = stalls.max / 1e6;
  stalls.reset();
  if (status !== 200) throw new Error(`the relay answered the callback with ${status}`);
  const settled = QueryStateSchema.parse(
    await (await fetch(`${relay.url}/v1/queries/${id}?wait=30`, { headers })).json()
  );
  const readDone = performance.now();
  const rssPeakIngest = Math.max(rssPeak, process.memoryUsage().rss);
  reading = false;
  stalls.disable();
  await probe;
  if (settled.status !== "succeeded" || settled.totalRows !== rows)
    throw new Error(`unexpected state ${JSON.stringify(settled)}`);
  const otherState = await otherPoll;
  if (otherState !== undefined && otherState.status !== "succeeded")
    throw new Error(`the other instance's long-poll answered ${JSON.stringify(otherState)}`);

  const rowsRead = await readPages(reader.url, `/v1/queries/${id}/rows`, rows, headers);
  const pagesDone = performance.now();
  clearInterval(sampler);
  if (rowsRead !== rows) throw new Error(`read ${rowsRead} rows back instead of ${rows}`);
  await fetch(`${relay.url}/v1/queries/${id}`, { method: "DELETE", headers });

  return {
    storeMs: stored - sendStart,
    readIntoRowsMs: readDone - stored,
    pagesMs: pagesDone - readDone,
    totalMs: pagesDone - sendStart,
    pages: Math.ceil(rows / PAGE_ROWS),
    crossInstanceWakeMs: otherAnswered === undefined ? undefined : otherAnswered - readDone,
    maxEventLoopStallMs: Math.max(storingStallMs, stalls.max / 1e6),
    storingStallMs,
    readingStallMs: stalls.max / 1e6,
    maxHealthzMs,
    healthzAnswered,
    rssBeforeMb: megabytes(rssBefore),
    rssPeakIngestMb: megabytes(rssPeakIngest),
    rssPeakMb: megabytes(rssPeak),
  };
}

/** Runs the floor and the relay `runs` times each, alternately, and reports the median runs. */
export async function benchRelay(
  rows = 100_000,
  store: BenchStore = { kind: "sqlite" },
  runs = 3
): Promise<RelayBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relay-bench-"));
  const requestId = randomUUID().replace(/-/g, "").toUpperCase();
  const body = Buffer.from(resultBody(requestId, rows));
  const floorStore = store.kind === "sqlite" ? sqlitePersist(dir) : await postgresPersist(store.url);

  const infobip = await fakeInfobip(requestId);
  const start = (name: string): Promise<RunningRelay> =>
    startRelay({
      port: 0,
      host: "127.0.0.1",
      publicUrl: undefined,
      dataDir: path.join(dir, name),
      databaseUrl: store.kind === "postgresql" ? store.url : undefined,
      staticDir: path.join(dir, "no-pane"),
      connections: singleConnection(infobip.url),
      logLevel: "warn",
      keyHashSecret: "bench-key-hash-secret-bench-key-hash-secret",
    });
  const relay = await start("relay");
  // PostgreSQL: a second instance, which holds a long-poll and serves the pages.
  const other = store.kind === "postgresql" ? await start("other") : undefined;
  try {
    const floors: FloorRun[] = [];
    const relayRuns: RelayRun[] = [];
    for (let run = 0; run < runs; run++) {
      floors.push(await floorRun(body, rows, floorStore.persist, run));
      relayRuns.push(await relayRun(relay, other, infobip, body, rows));
    }
    const floor = medianRun(floors);
    const relayMedian = medianRun(relayRuns);
    return {
      store: store.kind,
      rows,
      bodyBytes: body.length,
      runs,
      floor,
      ...relayMedian,
      ratio: relayMedian.totalMs / floor.totalMs,
      // The worst of all runs, not the median's: a stall is what other requests feel.
      maxEventLoopStallMs: Math.max(...relayRuns.map((each) => each.maxEventLoopStallMs)),
      storingStallMs: Math.max(...relayRuns.map((each) => each.storingStallMs)),
      readingStallMs: Math.max(...relayRuns.map((each) => each.readingStallMs)),
      maxHealthzMs: Math.max(...relayRuns.map((each) => each.maxHealthzMs)),
    };
  } finally {
    await other?.close();
    await relay.close();
    await infobip.close();
    await floorStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The run with the median total time. */
function medianRun<R extends { totalMs: number }>(runs: readonly R[]): R {
  const sorted = [...runs].sort((a, b) => a.totalMs - b.totalMs);
  return sorted[Math.floor(sorted.length / 2)] as R;
}

/**
 * The PostgreSQL run: on BENCH_DATABASE_URL when set, else on a private cluster started for it (the same one the
 * tests use, with PostgreSQL's durable defaults). Undefined, after saying why, where there is no server.
 */
export async function benchRelayOnPostgres(rows?: number): Promise<RelayBenchResult | undefined> {
  if (process.env.BENCH_DATABASE_URL)
    return benchRelay(rows, { kind: "postgresql", url: process.env.BENCH_DATABASE_URL });
  if (findPostgresBinDir() === undefined) {
    console.log(
      "relay on PostgreSQL: SKIPPED — no PostgreSQL server binaries (apt-get install postgresql), and BENCH_DATABASE_URL unset"
    );
    return undefined;
  }
  const cluster = await startPostgresCluster();
  try {
    return await benchRelay(rows, { kind: "postgresql", url: cluster.url() });
  } finally {
    cluster.stop();
  }
}

export function printRelayBench(result: RelayBenchResult | undefined): void {
  if (result === undefined) return;
  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  const storeName = result.store === "sqlite" ? "SQLite" : "PostgreSQL";
  const floor = result.floor;
  console.log(
    `relay on ${storeName}: one callback of ${result.rows.toLocaleString("en")} rows (${megabytes(result.bodyBytes)} MB), read back in ${result.pages} pages of ${PAGE_ROWS.toLocaleString("en")}${result.store === "postgresql" ? " from a second instance" : ""}; median of ${result.runs} runs each (the machine is shared: figures vary from run to run)`
  );
  console.log(
    `  floor (HTTP receiver: JSON.parse + one durable ${storeName} insert of the bytes, pages from the parsed rows): ack ${ms(floor.ackMs)}, all rows read ${ms(floor.totalMs)}`
  );
  console.log(
    `  relay: stored before 200 ${ms(result.storeMs)} | read into rows ${ms(result.readIntoRowsMs)} | pages ${ms(result.pagesMs)}`
  );
  const ready = result.storeMs + result.readIntoRowsMs;
  console.log(
    `  from the callback's first byte: ack ${ms(result.storeMs)}, ready ${ms(ready)}, all rows read ${ms(result.totalMs)}`
  );
  console.log(`  ratio relay / floor (all rows read): ${result.ratio.toFixed(2)}x`);
  if (result.crossInstanceWakeMs !== undefined) {
    console.log(
      `  cross-instance wake-up: the long-poll held on the other instance answered ${result.crossInstanceWakeMs.toFixed(1)} ms after the reading instance's own`
    );
  }
  console.log(
    `  from the callback's first byte to ready, worst of the runs: longest event-loop stall ${result.maxEventLoopStallMs.toFixed(1)} ms (${result.storingStallMs.toFixed(1)} ms until the 200, ${result.readingStallMs.toFixed(1)} ms after it), slowest GET /healthz ${ms(result.maxHealthzMs)} (${result.healthzAnswered} answered in the median run)`
  );
  console.log(
    `  memory: RSS ${result.rssBeforeMb} MB before the callback; peak +${(result.rssPeakIngestMb - result.rssBeforeMb).toFixed(1)} MB while storing and reading into rows, +${(result.rssPeakMb - result.rssBeforeMb).toFixed(1)} MB with the pages read; the floor's parsed result alone holds ${floor.heapMb} MB of heap`
  );
}

export interface RelayEdgeBenchResult {
  /** Median µs of a refused callback (404) whose ID exists but whose secret is wrong, and whose ID does not exist. */
  wrongSecretKnownIdUs: number;
  unknownIdUs: number;
  samples: number;
  /** 100 submissions with 100 random keys (Infobip answers 401): how many reached Infobip, in how long. */
  randomKeySubmissions: { sent: number; reachedInfobip: number; ms: number; statuses: Record<string, number> };
  /** 650 reads of one unknown query with 650 random keys. */
  randomKeyReads: { sent: number; ms: number; statuses: Record<string, number> };
}

function tally(statuses: Array<number | string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * The relay's edge against a stranger (issue 12): the time a refused callback address takes with a known and an
 * unknown query ID (interleaved, over one keep-alive connection, medians), then key guessing with the default
 * limits: 100 submissions with random keys (Infobip refusing them all) and 650 reads with random keys.
 */
export async function benchRelayEdge(samples = 2_000): Promise<RelayEdgeBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relay-edge-bench-"));
  let infobipRequests = 0;
  let refuse = false;
  const infobip = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      infobipRequests++;
      if (refuse) res.writeHead(401, { "content-type": "application/json" }).end('{"errorCode":"E401"}');
      else res.writeHead(201, { "content-type": "application/json" }).end(`{"requestId":"${randomUUID()}"}`);
    });
  });
  await new Promise<void>((resolve) => infobip.listen(0, "127.0.0.1", resolve));
  const infobipUrl = `http://127.0.0.1:${(infobip.address() as AddressInfo).port}`;
  const start = (name: string, limits: { notFoundRatePerMinute?: number; authFailureRatePerMinute?: number }) =>
    startRelay({
      port: 0,
      host: "127.0.0.1",
      publicUrl: undefined,
      dataDir: path.join(dir, name),
      databaseUrl: undefined,
      staticDir: path.join(dir, "no-pane"),
      connections: singleConnection(infobipUrl),
      logLevel: "silent",
      keyHashSecret: "bench-key-hash-secret-bench-key-hash-secret",
      ...limits,
    });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const timedPost = (url: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const request = http.request(url, { method: "POST", agent, headers: { "content-length": 2 } }, (response) => {
        response.resume();
        response.on("end", () => resolve(Number(process.hrtime.bigint() - started) / 1_000));
      });
      request.on("error", reject);
      request.end("{}");
    });
  try {
    // Timing: limits out of the way, so every refusal is the same 404.
    const timing = await start("timing", { notFoundRatePerMinute: 1e9, authFailureRatePerMinute: 1e9 });
    const submitted = await fetch(`${timing.url}/v1/queries`, {
      method: "POST",
      headers: { authorization: `App ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        request: { filterBy: { dateInterval: resolvePreset("this-month", new Date()) }, aggregateBy: ["DAY"] },
      }),
    });
    const { id } = SubmittedQuerySchema.parse(await submitted.json());
    const wrongSecret = "A".repeat(43);
    const known = `${timing.url}/callbacks/${id}/${wrongSecret}`;
    const unknown = `${timing.url}/callbacks/${randomUUID()}/${wrongSecret}`;
    for (let i = 0; i < 200; i++) await timedPost(i % 2 === 0 ? known : unknown); // warm-up
    const knownUs: number[] = [];
    const unknownUs: number[] = [];
    for (let i = 0; i < samples; i++) {
      knownUs.push(await timedPost(known));
      unknownUs.push(await timedPost(unknown));
    }
    await timing.close();

    // Key guessing with the default limits.
    const guarded = await start("guarded", {});
    refuse = true;
    infobipRequests = 0;
    const submitStart = performance.now();
    const submitStatuses = await Promise.all(
      Array.from({ length: 100 }, async () => {
        try {
          const response = await fetch(`${guarded.url}/v1/queries`, {
            method: "POST",
            headers: { authorization: `App ${randomUUID()}`, "content-type": "application/json" },
            body: JSON.stringify({
              request: { filterBy: { dateInterval: resolvePreset("this-month", new Date()) }, aggregateBy: ["DAY"] },
            }),
          });
          await response.arrayBuffer();
          return String(response.status);
        } catch {
          // All at once from one address: past RELAY_MAX_CONNECTIONS_PER_IP the connection is closed unanswered.
          return "connection closed";
        }
      })
    );
    const submitMs = performance.now() - submitStart;
    const reachedInfobip = infobipRequests;
    await guarded.close();
    // The reads from an address with a clean record (the submissions above spent this one's budget).
    const reading = await start("reading", {});
    const readStart = performance.now();
    const readStatuses: number[] = [];
    for (let i = 0; i < 650; i++) {
      const response = await fetch(`${reading.url}/v1/queries/${randomUUID()}`, {
        headers: { authorization: `App ${randomUUID()}` },
      });
      await response.arrayBuffer();
      readStatuses.push(response.status);
    }
    const readMs = performance.now() - readStart;
    await reading.close();
    return {
      wrongSecretKnownIdUs: median(knownUs),
      unknownIdUs: median(unknownUs),
      samples,
      randomKeySubmissions: { sent: 100, reachedInfobip, ms: submitMs, statuses: tally(submitStatuses) },
      randomKeyReads: { sent: 650, ms: readMs, statuses: tally(readStatuses) },
    };
  } finally {
    agent.destroy();
    await new Promise<void>((resolve) => infobip.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function printRelayEdgeBench(result: RelayEdgeBenchResult): void {
  const statuses = (counts: Record<string, number>): string =>
    Object.entries(counts)
      .map(([status, count]) => `${count} x ${status}`)
      .join(", ");
  console.log(
    `relay edge: refused callback address, median of ${result.samples}: wrong secret for a known ID ${result.wrongSecretKnownIdUs.toFixed(0)} µs, unknown ID ${result.unknownIdUs.toFixed(0)} µs (difference ${(result.wrongSecretKnownIdUs - result.unknownIdUs).toFixed(0)} µs)`
  );
  const submissions = result.randomKeySubmissions;
  console.log(
    `  ${submissions.sent} submissions with random keys (Infobip refusing them): ${submissions.reachedInfobip} reached Infobip in ${submissions.ms.toFixed(0)} ms; answers ${statuses(submissions.statuses)}`
  );
  const reads = result.randomKeyReads;
  console.log(`  ${reads.sent} reads with random keys in ${reads.ms.toFixed(0)} ms: ${statuses(reads.statuses)}`);
}

if (require.main === module) {
  runStandalone(
    async (rows) => [await benchRelay(rows), await benchRelayOnPostgres(rows)],
    (results) => results.forEach(printRelayBench)
  );
}
