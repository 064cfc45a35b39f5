/**
 * Bench: the whole path of a large result, through the real parts — the pane's query runner submits a
 * DAY × COUNTRY_NAME × NETWORK_NAME × SENDER query through the real relay (HTTP on loopback, SQLite in a
 * temp dir) to the emulator, follows it by long-poll, reads the rows back in relay pages of 10,000, and
 * the pane's workbook sink writes them into a table of the strict Excel double (5 MB request limit, as
 * Excel on the web). Prints the time of each step, syncs, bytes per sync and rows/s.
 *
 *   npx tsx bench/pipeline.ts
 *
 * The double applies commands in memory: the write figures measure our side and the request pattern,
 * not Excel's own time to store the cells.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { QueryDefinition } from "../src/billing";
import { startEmulator } from "../src/emulator";
import { singleConnection, startRelay } from "../src/relay";
import { WorkbookPendingStore, WorkbookSink } from "../src/taskpane/excel-workbook";
import { DEFAULT_PAGE_SIZE, abortableSleep, runQuery, type RunProgress } from "../src/taskpane/query-runner";
import { RelayClient } from "../src/taskpane/relay-client";
import { createExcelDouble, EXCEL_WEB_PAYLOAD_LIMIT_BYTES } from "../test/excel/excel-double";
import { megabytes, runStandalone } from "./standalone";

export interface PipelineBenchResult {
  rows: number;
  pages: number;
  /** Submission to "succeeded" (emulator generation, callback, relay ingest). */
  waitMs: number;
  /** Reading every page from the relay. */
  receiveMs: number;
  /** Shaping and writing the table. */
  writeMs: number;
  totalMs: number;
  syncs: number;
  bytesPerSync: number[];
}

/** The emulator's clock at the end of a quarter, so three whole months of usage exist. */
const CLOCK = new Date("2026-03-31T23:00:00Z");

const DEFINITION: QueryDefinition = {
  version: 1,
  label: "Bench pipeline",
  period: { preset: "custom", sentSince: "2026-01-01", sentUntil: "2026-04-01" },
  aggregateBy: ["DAY", "COUNTRY_NAME", "NETWORK_NAME", "SENDER"],
  filters: {},
  includeUnfinalizedData: true,
};

export async function benchPipeline(): Promise<PipelineBenchResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-pipeline-"));
  const emulator = await startEmulator({ now: CLOCK, callbackDelayMs: 0, logger: false, port: 0 });
  // The relay validates against its own clock, so it runs on the emulator's.
  const relay = await startRelay(
    { port: 0, host: "127.0.0.1", connections: singleConnection(emulator.url), dataDir, logLevel: "silent" },
    { clock: () => CLOCK }
  );
  const excel = createExcelDouble();
  const globals = globalThis as unknown as { Excel?: unknown; Office?: unknown };
  globals.Excel = { run: excel.run.bind(excel) };
  // The double's own requirement sets, so that what the code checks is what the double allows.
  globals.Office = { context: { requirements: excel.requirements } };
  try {
    const client = new RelayClient({ baseUrl: relay.url, apiKey: () => "demo-key", now: () => CLOCK });
    const marks = new Map<RunProgress["step"], number>();
    let pages = 0;
    const start = performance.now();
    const outcome = await runQuery(
      {
        definition: DEFINITION,
        query: {
          filterBy: { dateInterval: { sentSince: "2026-01-01", sentUntil: "2026-04-01" } },
          aggregateBy: DEFINITION.aggregateBy,
          options: { includeUnfinalizedData: true },
        },
        destination: { kind: "new-sheet" },
      },
      {
        client,
        pending: new WorkbookPendingStore(),
        sink: new WorkbookSink(),
        now: () => new Date(),
        sleep: abortableSleep,
        pageSize: DEFAULT_PAGE_SIZE,
      },
      (progress) => {
        if (!marks.has(progress.step)) marks.set(progress.step, performance.now());
        if (progress.step === "receiving" && progress.received > 0) pages += 1;
      }
    );
    const end = performance.now();
    if (outcome.kind !== "done") throw new Error(`the bench query ended ${outcome.kind}`);
    const receivingAt = marks.get("receiving") ?? end;
    const writingAt = marks.get("writing") ?? end;
    const rows = outcome.placement.rowsWritten;
    const writeSyncs = excel.syncs.filter((s) => s.operations.some((o) => o.kind === "values"));
    return {
      rows,
      pages,
      waitMs: receivingAt - start,
      receiveMs: writingAt - receivingAt,
      writeMs: end - writingAt,
      totalMs: end - start,
      syncs: excel.syncs.length,
      bytesPerSync: (writeSyncs.length > 0 ? writeSyncs : excel.syncs).map((s) => s.payloadBytes),
    };
  } finally {
    delete globals.Excel;
    delete globals.Office;
    await relay.close();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printPipelineBench(r: PipelineBenchResult): void {
  const rate = (ms: number): string => `${Math.round(r.rows / (ms / 1000)).toLocaleString("en-US")} rows/s`;
  console.log(
    `pipeline: ${r.rows.toLocaleString("en-US")} rows, emulator → relay → ${r.pages} relay pages → Excel double`
  );
  console.log(`  submit → succeeded (generate, callback, ingest): ${r.waitMs.toFixed(0)} ms`);
  console.log(`  read ${r.pages} pages from the relay: ${r.receiveMs.toFixed(0)} ms (${rate(r.receiveMs)})`);
  console.log(`  shape + write the table: ${r.writeMs.toFixed(0)} ms (${rate(r.writeMs)})`);
  console.log(
    `  ${r.syncs} syncs in all; the syncs that write values carry [${r.bytesPerSync.map((b) => `${megabytes(b)} MB`).join(", ")}] ` +
      `of the ${megabytes(EXCEL_WEB_PAYLOAD_LIMIT_BYTES)} MB limit`
  );
  console.log(`  end to end: ${r.totalMs.toFixed(0)} ms (${rate(r.totalMs)})`);
}

if (require.main === module) runStandalone(() => benchPipeline(), printPipelineBench);
