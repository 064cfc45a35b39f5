/**
 * Bench: one 100k-row callback through the real relay (HTTP on loopback, SQLite in a temp directory),
 * then read back in pages of 10,000 — against a baseline of `JSON.parse` of the same bytes plus one SQLite
 * insert of them as a blob, in the same process, with the same durability settings (WAL, synchronous=FULL).
 *
 * Then the same on PostgreSQL (a private cluster started for the bench, or BENCH_DATABASE_URL), with two relay
 * instances on the database: the callback goes to one, a long-poll is held on the other, and the pages are read
 * from the other. Its baseline is `JSON.parse` plus one INSERT of the bytes (synchronous_commit on). Skipped,
 * saying so, where no PostgreSQL server binaries are installed.
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
  baselineMs: number;
  /** Heap held by the baseline's parsed result (what a relay that parses whole bodies holds per callback). */
  baselineHeapMb: number;
  /** From the first byte sent to the 200: the body streamed into SQLite. */
  storeMs: number;
  /** From the 200 to `succeeded`: the body read into rows. */
  readIntoRowsMs: number;
  /** All pages of 10,000 rows read back over HTTP. */
  pagesMs: number;
  pages: number;
  /** (store + read into rows + pages) / baseline. */
  ratio: number;
  /**
   * PostgreSQL, two instances: from the moment the instance that read the rows answered its own long-poll to the
   * moment the other instance answered the long-poll it held (woken by LISTEN/NOTIFY).
   */
  crossInstanceWakeMs: number | undefined;
  /** Longest event-loop stall between the 200 and `succeeded`. */
  maxEventLoopStallMs: number;
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

/** JSON.parse of the bytes plus one durable insert of them: the least a relay could do. Median of 3, and the heap the parsed result holds. */
function baseline(body: Buffer, dir: string): { ms: number; heapMb: number } {
  const db = new Database(path.join(dir, "baseline.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE results (id TEXT PRIMARY KEY, body BLOB NOT NULL)");
  const insert = db.prepare("INSERT INTO results (id, body) VALUES (?, ?)");
  const runs: number[] = [];
  let heapMb = 0;
  for (let run = 0; run < 3; run++) {
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const start = performance.now();
    const parsed = JSON.parse(body.toString("utf8")) as BillingUsageResult;
    insert.run(`${run}-${parsed.requestId}`, body);
    runs.push(performance.now() - start);
    heapMb = Math.max(heapMb, megabytes(process.memoryUsage().heapUsed - heapBefore));
  }
  db.close();
  return { ms: runs.sort((a, b) => a - b)[1] ?? 0, heapMb };
}

/** The same least a relay could do on PostgreSQL: JSON.parse plus one durable INSERT of the bytes. Median of 3. */
async function postgresBaseline(body: Buffer, url: string): Promise<{ ms: number; heapMb: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET synchronous_commit = on");
    await client.query("CREATE TEMPORARY TABLE bench_results (id text PRIMARY KEY, body bytea NOT NULL)");
    const runs: number[] = [];
    let heapMb = 0;
    for (let run = 0; run < 3; run++) {
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const start = performance.now();
      const parsed = JSON.parse(body.toString("utf8")) as BillingUsageResult;
      await client.query("INSERT INTO bench_results (id, body) VALUES ($1, $2)", [`${run}-${parsed.requestId}`, body]);
      runs.push(performance.now() - start);
      heapMb = Math.max(heapMb, megabytes(process.memoryUsage().heapUsed - heapBefore));
    }
    return { ms: runs.sort((a, b) => a - b)[1] ?? 0, heapMb };
  } finally {
    await client.end();
  }
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

export async function benchRelay(rows = 100_000, store: BenchStore = { kind: "sqlite" }): Promise<RelayBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relay-bench-"));
  const requestId = randomUUID().replace(/-/g, "").toUpperCase();
  const body = Buffer.from(resultBody(requestId, rows));
  const { ms: baselineMs, heapMb: baselineHeapMb } =
    store.kind === "sqlite" ? baseline(body, dir) : await postgresBaseline(body, store.url);

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
  const reader = other ?? relay;
  const headers = { authorization: `App ${KEY}`, "content-type": "application/json" };
  try {
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

    const sendStart = performance.now();
    const status = await postBody(infobip.callbackUrl(), body);
    const stored = performance.now();
    if (status !== 200) throw new Error(`the relay answered the callback with ${status}`);

    // While the result is read into rows: the event loop and other requests.
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

    let pages = 0;
    let rowsRead = 0;
    for (let offset = 0; offset < rows; offset += PAGE_ROWS) {
      const page = (await (
        await fetch(`${reader.url}/v1/queries/${id}/rows?offset=${offset}&limit=${PAGE_ROWS}`, { headers })
      ).json()) as { rows: unknown[] }; // not parsed here: this times the relay's pages, not a client's parse
      rowsRead += page.rows.length;
      pages++;
    }
    const pagesDone = performance.now();
    clearInterval(sampler);
    if (rowsRead !== rows) throw new Error(`read ${rowsRead} rows back instead of ${rows}`);

    const storeMs = stored - sendStart;
    const readIntoRowsMs = readDone - stored;
    const pagesMs = pagesDone - readDone;
    return {
      store: store.kind,
      rows,
      bodyBytes: body.length,
      baselineMs,
      baselineHeapMb,
      storeMs,
      readIntoRowsMs,
      pagesMs,
      pages,
      ratio: (storeMs + readIntoRowsMs + pagesMs) / baselineMs,
      crossInstanceWakeMs: otherAnswered === undefined ? undefined : otherAnswered - readDone,
      maxEventLoopStallMs: stalls.max / 1e6,
      maxHealthzMs,
      healthzAnswered,
      rssBeforeMb: megabytes(rssBefore),
      rssPeakIngestMb: megabytes(rssPeakIngest),
      rssPeakMb: megabytes(rssPeak),
    };
  } finally {
    await other?.close();
    await relay.close();
    await infobip.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
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
  console.log(
    `relay on ${storeName}: one callback of ${result.rows.toLocaleString("en")} rows (${megabytes(result.bodyBytes)} MB), read back in ${result.pages} pages of ${PAGE_ROWS.toLocaleString("en")}${result.store === "postgresql" ? " from a second instance" : ""}`
  );
  console.log(`  baseline (JSON.parse + one ${storeName} insert of the bytes) ${ms(result.baselineMs)}`);
  console.log(
    `  relay: stored before 200 ${ms(result.storeMs)} | read into rows ${ms(result.readIntoRowsMs)} | pages ${ms(result.pagesMs)}`
  );
  const ready = result.storeMs + result.readIntoRowsMs;
  console.log(
    `  from the callback's first byte: ack ${ms(result.storeMs)}, ready ${ms(ready)}, all rows read ${ms(ready + result.pagesMs)}`
  );
  console.log(`  ratio relay / baseline: ${result.ratio.toFixed(1)}x`);
  if (result.crossInstanceWakeMs !== undefined) {
    console.log(
      `  cross-instance wake-up: the long-poll held on the other instance answered ${result.crossInstanceWakeMs.toFixed(1)} ms after the reading instance's own`
    );
  }
  console.log(
    `  while reading into rows: longest event-loop stall ${result.maxEventLoopStallMs.toFixed(1)} ms, slowest of ${result.healthzAnswered} GET /healthz ${ms(result.maxHealthzMs)}`
  );
  console.log(
    `  memory: RSS ${result.rssBeforeMb} MB before the callback; peak +${(result.rssPeakIngestMb - result.rssBeforeMb).toFixed(1)} MB while storing and reading into rows, +${(result.rssPeakMb - result.rssBeforeMb).toFixed(1)} MB with the pages read; the baseline's parsed result alone holds ${result.baselineHeapMb} MB of heap`
  );
}

if (require.main === module) {
  runStandalone(
    async (rows) => [await benchRelay(rows), await benchRelayOnPostgres(rows)],
    (results) => results.forEach(printRelayBench)
  );
}
