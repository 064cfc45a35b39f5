/**
 * Bench: 100k rows from relay-like pages (DAY × COUNTRY × NETWORK × SENDER, 5,000 rows a page) through
 * shaping and the table writer against the strict Excel double (5 MB request limit, as Excel on the web),
 * then a refresh in place of the same table (staging sheet, then swap: refresh-in-place.ts), then "Create
 * overview" on it (live formulas and native charts: only the key columns are read). Prints syncs, request and
 * response bytes, time and rows per second, and what keeping the old rows to restore them on failure would add
 * (the alternative to staging: reading the old rows back first).
 *
 *   npx tsx bench/excel.ts [rows]
 *
 * The double applies commands in memory, so the figures measure our side (shaping, planning, serializing)
 * and the request pattern (how many syncs, how big) — not Excel's own time to store the cells.
 */
import { performance } from "node:perf_hooks";
import { createOverview } from "../src/excel/overview";
import { shapeResult } from "../src/excel/shape";
import { readTableSnapshot } from "../src/excel/table-snapshot";
import { replaceTableRowsInPlace, writeBillingTable } from "../src/excel/table-writer";
import { createExcelDouble, EXCEL_WEB_PAYLOAD_LIMIT_BYTES, type SyncRecord } from "../test/excel/excel-double";
import { fixtureInput } from "../test/excel/fixtures";
import { runStandalone } from "./standalone";

export interface ExcelBenchResult {
  rows: number;
  pages: number;
  shapeMs: number;
  write: PhaseFigures;
  refresh: PhaseFigures;
  overview: { ms: number; syncs: number; bytesPerSync: number[]; charts: number };
  /** Reading the table's old rows back (what keep-and-restore would need before every refresh). */
  keepOldRows: PhaseFigures;
}

interface PhaseFigures {
  ms: number;
  rowsPerSecond: number;
  syncs: number;
  retries: number;
  bytesPerSync: number[];
  maxBytes: number;
  requestBytes: number;
  responseBytes: number;
}

function figures(
  report: { syncs: number; retries: number },
  syncs: readonly SyncRecord[],
  ms: number,
  rows: number
): PhaseFigures {
  const bytesPerSync = syncs.map((s) => s.payloadBytes);
  return {
    ms,
    rowsPerSecond: Math.round(rows / (ms / 1000)),
    syncs: report.syncs,
    retries: report.retries,
    bytesPerSync,
    maxBytes: Math.max(...bytesPerSync),
    requestBytes: bytesPerSync.reduce((a, b) => a + b, 0),
    responseBytes: syncs.reduce((sum, s) => sum + s.responseBytes, 0),
  };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

export async function benchExcel(rows = 100_000): Promise<ExcelBenchResult> {
  const input = fixtureInput({ rows, pageSize: 5_000, rowsPerDay: Math.ceil(rows / 59) });
  const excel = createExcelDouble();

  const shapeStart = performance.now();
  const shape = shapeResult(input);
  const shapeMs = performance.now() - shapeStart;

  const writeStart = performance.now();
  const written = await writeBillingTable(excel.newContext(), shape, { kind: "new-sheet" }, { title: "Bench" });
  const writeMs = performance.now() - writeStart;
  const writeSyncs = excel.syncs.slice();

  const refreshed = shapeResult(
    fixtureInput({ rows, pageSize: 5_000, firstDay: "2026-02-02", rowsPerDay: Math.ceil(rows / 59) })
  );
  const keepStart = performance.now();
  const keepBefore = excel.syncs.length;
  await readTableSnapshot(excel.newContext(), written.tableName);
  const keepMs = performance.now() - keepStart;
  const keepSyncs = excel.syncs.slice(keepBefore);

  const before = excel.syncs.length;
  const refreshStart = performance.now();
  const report = await replaceTableRowsInPlace(excel.newContext(), written.tableName, refreshed, {
    title: "Bench",
    host: excel.requirements,
  });
  const refreshMs = performance.now() - refreshStart;

  if (excel.inspect.table(written.tableName)?.dataRowCount !== rows)
    throw new Error("the bench table does not hold every row");

  const overviewBefore = excel.syncs.length;
  const overviewStart = performance.now();
  const overview = await createOverview(excel.newContext(), {
    tableName: written.tableName,
    retrievedAt: "2026-03-20T09:31:05.000Z",
  });
  const overviewMs = performance.now() - overviewStart;
  const overviewSyncs = excel.syncs.slice(overviewBefore);
  return {
    rows,
    pages: input.pages.length,
    shapeMs,
    write: figures(written, writeSyncs, writeMs, rows),
    refresh: figures(report, excel.syncs.slice(before, overviewBefore), refreshMs, rows),
    overview: {
      ms: overviewMs,
      syncs: overviewSyncs.length,
      bytesPerSync: overviewSyncs.map((s) => s.payloadBytes),
      charts: overview.charts,
    },
    keepOldRows: figures({ syncs: keepSyncs.length, retries: 0 }, keepSyncs, keepMs, rows),
  };
}

export function printExcelBench(result: ExcelBenchResult): void {
  const line = (name: string, phase: PhaseFigures): string =>
    `${name}: ${phase.syncs} syncs (${phase.retries} retries), ${phase.ms.toFixed(0)} ms, ${phase.rowsPerSecond.toLocaleString("en-US")} rows/s; ` +
    `requests ${mb(phase.requestBytes)}, responses ${mb(phase.responseBytes)}; ` +
    (phase.bytesPerSync.length <= 8 ? `bytes per sync [${phase.bytesPerSync.map(mb).join(", ")}], ` : "") +
    `largest ${mb(phase.maxBytes)} of the ${mb(EXCEL_WEB_PAYLOAD_LIMIT_BYTES)} limit`;
  console.log(`excel: ${result.rows.toLocaleString("en-US")} rows in ${result.pages} relay pages`);
  console.log(
    `  shape: ${result.shapeMs.toFixed(0)} ms, ${Math.round(result.rows / (result.shapeMs / 1000)).toLocaleString("en-US")} rows/s`
  );
  console.log(`  ${line("write to a new sheet", result.write)}`);
  console.log(`  ${line("refresh in place (staging, then swap)", result.refresh)}`);
  console.log(`  ${line("keep-and-restore would first read the old rows", result.keepOldRows)}`);
  console.log(
    `  create overview (${result.overview.charts} native charts over live formulas, key columns read): ` +
      `${result.overview.syncs} syncs, ${result.overview.ms.toFixed(0)} ms; bytes per sync [${result.overview.bytesPerSync.map(mb).join(", ")}]`
  );
}

if (require.main === module) runStandalone((rows) => benchExcel(rows), printExcelBench);
