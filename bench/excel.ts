/**
 * Bench: 100k rows from relay-like pages (DAY × COUNTRY × NETWORK × SENDER, 5,000 rows a page) through
 * shaping and the table writer against the strict Excel double (5 MB request limit, as Excel on the web),
 * then a refresh in place of the same table, then "Create overview" on it (live formulas and native charts:
 * only the key columns are read). Prints syncs, bytes per sync and rows per second.
 *
 *   npx tsx bench/excel.ts [rows]
 *
 * The double applies commands in memory, so the figures measure our side (shaping, planning, serializing)
 * and the request pattern (how many syncs, how big) — not Excel's own time to store the cells.
 */
import { performance } from "node:perf_hooks";
import { createOverview } from "../src/excel/overview";
import { shapeResult } from "../src/excel/shape";
import { replaceTableRowsInPlace, writeBillingTable, type WriteReport } from "../src/excel/table-writer";
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
}

interface PhaseFigures {
  ms: number;
  rowsPerSecond: number;
  syncs: number;
  retries: number;
  bytesPerSync: number[];
  maxBytes: number;
}

function figures(report: WriteReport, syncs: readonly SyncRecord[], ms: number, rows: number): PhaseFigures {
  const bytesPerSync = syncs.map((s) => s.payloadBytes);
  return {
    ms,
    rowsPerSecond: Math.round(rows / (ms / 1000)),
    syncs: report.syncs,
    retries: report.retries,
    bytesPerSync,
    maxBytes: Math.max(...bytesPerSync),
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
  const before = excel.syncs.length;
  const refreshStart = performance.now();
  const report = await replaceTableRowsInPlace(excel.newContext(), written.tableName, refreshed, { title: "Bench" });
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
  };
}

export function printExcelBench(result: ExcelBenchResult): void {
  const line = (name: string, phase: PhaseFigures): string =>
    `${name}: ${phase.syncs} syncs (${phase.retries} retries), ${phase.ms.toFixed(0)} ms, ${phase.rowsPerSecond.toLocaleString("en-US")} rows/s; ` +
    `bytes per sync [${phase.bytesPerSync.map(mb).join(", ")}], largest ${mb(phase.maxBytes)} of the ${mb(EXCEL_WEB_PAYLOAD_LIMIT_BYTES)} limit`;
  console.log(`excel: ${result.rows.toLocaleString("en-US")} rows in ${result.pages} relay pages`);
  console.log(
    `  shape: ${result.shapeMs.toFixed(0)} ms, ${Math.round(result.rows / (result.shapeMs / 1000)).toLocaleString("en-US")} rows/s`
  );
  console.log(`  ${line("write to a new sheet", result.write)}`);
  console.log(`  ${line("refresh in place", result.refresh)}`);
  console.log(
    `  create overview (${result.overview.charts} native charts over live formulas, key columns read): ` +
      `${result.overview.syncs} syncs, ${result.overview.ms.toFixed(0)} ms; bytes per sync [${result.overview.bytesPerSync.map(mb).join(", ")}]`
  );
}

if (require.main === module) runStandalone((rows) => benchExcel(rows), printExcelBench);
