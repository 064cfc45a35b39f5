/**
 * Bench: the emulator's biggest everyday query — DAY × COUNTRY_NAME × NETWORK_NAME × SENDER over the whole
 * three-month window, with the clock at the end of the third month — generated from the ledger and
 * delivered as one callback over loopback.
 *
 *   npx tsx bench/emulator.ts            (also part of `npm run bench`)
 *
 * Figures: rows, rows/s generated (ledger cold, then warm), JSON serialization time, callback size, the
 * time from `201` to the last byte received by a plain HTTP receiver, and heap/RSS growth.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { startEmulator } from "../src/emulator";
import { Ledger } from "../src/emulator/ledger";
import { answerQuery } from "../src/emulator/usage-query";
import type { BillingUsageQuery } from "../src/billing";
import { megabytes, runStandalone } from "./standalone";

export interface EmulatorBenchResult {
  rows: number;
  /** First query on a fresh ledger: days generated, then aggregated. */
  coldMs: number;
  coldRowsPerSecond: number;
  /** The same query again (days cached). */
  warmMs: number;
  warmRowsPerSecond: number;
  serializeMs: number;
  callbackBytes: number;
  /** From the 201 to the callback's last byte at the receiver (delay 0), over HTTP on loopback. */
  deliveredMs: number;
  streams: number;
  heapGrowthMb: number;
  rssMb: number;
}

const NOW = new Date("2026-03-31T23:00:00Z");
const QUERY: BillingUsageQuery = {
  filterBy: { dateInterval: { sentSince: "2026-01-01", sentUntil: "2026-04-01" } },
  aggregateBy: ["DAY", "COUNTRY_NAME", "NETWORK_NAME", "SENDER"],
};

export async function benchEmulator(): Promise<EmulatorBenchResult> {
  const heapBefore = process.memoryUsage().heapUsed;
  const ledger = new Ledger(1);
  const accounts = ledger.hierarchyOf(0);

  let started = performance.now();
  const cold = answerQuery(ledger, QUERY, accounts, NOW);
  const coldMs = performance.now() - started;
  started = performance.now();
  const warm = answerQuery(ledger, QUERY, accounts, NOW);
  const warmMs = performance.now() - started;
  started = performance.now();
  const body = JSON.stringify({ requestId: "BENCH", status: "SUCCESS", ...warm });
  const serializeMs = performance.now() - started;
  const heapGrowthMb = megabytes(process.memoryUsage().heapUsed - heapBefore);
  if (cold.response.totalRows !== warm.response.totalRows) throw new Error("cold and warm answers differ");

  // End to end: the real emulator and a receiver that only counts bytes.
  let receivedAt = 0;
  let receivedBytes = 0;
  const receiver = createServer((request, response) => {
    request.on("data", (chunk: Buffer) => (receivedBytes += chunk.length));
    request.on("end", () => {
      receivedAt = performance.now();
      response.end("ok");
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  const { port } = receiver.address() as AddressInfo;
  const emulator = await startEmulator({ now: NOW, callbackDelayMs: 0 });
  try {
    const delivered = new Promise<void>((resolve) =>
      receiver.once("request", (request) => request.once("end", () => resolve()))
    );
    const submittedAt = performance.now();
    const answer = await fetch(`${emulator.url}/billing/1/usage/query`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "App demo-key" },
      body: JSON.stringify({ callbackUrl: `http://127.0.0.1:${port}/callbacks/bench`, request: QUERY }),
    });
    if (answer.status !== 201) throw new Error(`submission answered ${answer.status}: ${await answer.text()}`);
    await delivered;
    const rows = warm.response.totalRows;
    return {
      rows,
      coldMs: Math.round(coldMs),
      coldRowsPerSecond: Math.round(rows / (coldMs / 1000)),
      warmMs: Math.round(warmMs),
      warmRowsPerSecond: Math.round(rows / (warmMs / 1000)),
      serializeMs: Math.round(serializeMs),
      callbackBytes: receivedBytes || Buffer.byteLength(body),
      deliveredMs: Math.round(receivedAt - submittedAt),
      streams: ledger.streams.count,
      heapGrowthMb,
      rssMb: megabytes(process.memoryUsage().rss),
    };
  } finally {
    await emulator.close();
    receiver.close();
  }
}

export function printEmulatorBench(result: EmulatorBenchResult): void {
  console.log(`query: DAY × COUNTRY_NAME × NETWORK_NAME × SENDER, 2026-01-01 … 2026-04-01, clock ${NOW.toISOString()}`);
  console.log(
    `rows: ${result.rows.toLocaleString("en-US")} (from ${result.streams.toLocaleString("en-US")} ledger streams)`
  );
  console.log(`generated cold: ${result.coldMs} ms (${result.coldRowsPerSecond.toLocaleString("en-US")} rows/s)`);
  console.log(`generated warm: ${result.warmMs} ms (${result.warmRowsPerSecond.toLocaleString("en-US")} rows/s)`);
  console.log(`JSON.stringify: ${result.serializeMs} ms`);
  console.log(
    `callback size: ${megabytes(result.callbackBytes)} MB (${result.callbackBytes.toLocaleString("en-US")} bytes)`
  );
  console.log(`201 → callback fully received (delay 0, loopback): ${result.deliveredMs} ms`);
  console.log(`heap growth (ledger + two answers + JSON): ${result.heapGrowthMb} MB; RSS ${result.rssMb} MB`);
}

if (require.main === module) runStandalone(() => benchEmulator(), printEmulatorBench);
