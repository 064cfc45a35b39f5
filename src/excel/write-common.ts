/**
 * What the table writer (new sheets, table-writer.ts) and the refresh in place (refresh-in-place.ts) share: their
 * options and report, the sheet-size check, the provenance block, runs of adjacent columns, the first read with the
 * date-system probe, and the one queue all workbook writes go through.
 */
import { BillingTableError, defaultLog, type Log } from "./batches";
import { queueDateSystemProbe } from "./date-system";
import { EXCEL_MAX_ROWS, PROVENANCE_ROW_COUNT, provenanceCells } from "./layout";
import type { HostRequirements } from "./requirements";
import { createSerialQueue } from "./serial";
import type { ExcelCell, TableShape } from "./shape";
import type { DateSystem } from "./sheet-cells";

export type TableDestination =
  | {
      kind: "new-sheet";
      /** Sheet name wanted (made valid and unique); defaults to the title. */
      sheetName?: string;
    }
  | { kind: "replace"; tableName: string };

export interface WriteOptions {
  /** Title for the sheet, the table name and the provenance heading; defaults to the dimensions. */
  title?: string;
  /** Payload budget per request (default 4 MB, under Excel on the web's 5 MB). */
  payloadBudgetBytes?: number;
  /** Called after each block of rows is written. */
  onProgress?: (progress: { rowsWritten: number; totalRows: number }) => void;
  /** Where Excel's debug information goes (default: console.error). */
  log?: Log;
  /** The host's requirement sets (default `Office.context.requirements`). */
  host?: HostRequirements;
}

export interface WriteReport {
  tableName: string;
  tableId: string;
  sheetName: string;
  /** The table's range after writing, header included. */
  address: string;
  rowCount: number;
  /** `context.sync` calls made. */
  syncs: number;
  /** Row blocks written (requests that carried rows or setup). */
  blocks: number;
  /** Blocks Excel refused as too large and that were split. */
  retries: number;
  /** False when the provenance block above a refreshed table was not where we put it (it is then left alone). */
  provenanceWritten: boolean;
  /** The workbook's date system the dates were written in. */
  dateSystem: DateSystem;
  /** Text cells cut to Excel's 32,767-character limit. */
  cutCells: number;
}

export const TABLE_STYLE = "TableStyleMedium2";

/** Refuses a result that cannot fit below a header at `headerRowIndex`, before anything is written. */
export function assertFitsSheet(rowCount: number, headerRowIndex: number): void {
  const capacity = EXCEL_MAX_ROWS - (headerRowIndex + 1);
  if (rowCount > capacity) {
    throw new BillingTableError(
      `This result has ${rowCount.toLocaleString("en-US")} rows, more than the ${capacity.toLocaleString("en-US")} ` +
        `an Excel sheet can hold below the table header. Nothing was written. Choose a shorter period, fewer ` +
        `dimensions (for example Month instead of Day) or more filters, and run the query again.`
    );
  }
}

/**
 * Queues the provenance block from `topLeft` (A1 of a new sheet; above a refreshed table, wherever the table is
 * now), text-formatted first, so dates and IDs stay as written.
 */
export function queueProvenance(topLeft: Excel.Range, shape: TableShape, title: string): void {
  const cells = provenanceCells(shape.provenance, title);
  const block = topLeft.getAbsoluteResizedRange(cells.length, 2);
  block.numberFormat = [["@"]];
  block.values = cells;
  block.getCell(0, 0).format.font.bold = true;
  block.getCell(1, 0).getAbsoluteResizedRange(cells.length - 1, 1).format.font.color = "#595959";
}

/** Rows from the top of the provenance block to the table's header: the block, then one blank row. */
export const PROVENANCE_TO_HEADER_ROWS = PROVENANCE_ROW_COUNT + 1;

/** A run of our columns that sit side by side in the table. */
export interface ColumnRun {
  /** Offset of the run's first column in the table. */
  tableOffset: number;
  /** Indexes into the shape's columns. */
  shapeIndexes: number[];
}

/** Groups our columns (shape index → table offset) into runs of adjacent table columns. */
export function columnRuns(tableOffsets: readonly number[]): ColumnRun[] {
  const order = tableOffsets.map((offset, shapeIndex) => ({ offset, shapeIndex })).sort((a, b) => a.offset - b.offset);
  const runs: ColumnRun[] = [];
  for (const { offset, shapeIndex } of order) {
    const last = runs[runs.length - 1];
    if (last && last.tableOffset + last.shapeIndexes.length === offset) last.shapeIndexes.push(shapeIndex);
    else runs.push({ tableOffset: offset, shapeIndexes: [shapeIndex] });
  }
  return runs;
}

/** The values of one run of columns for rows `[start, start + count)`. */
export function runValues(rows: readonly ExcelCell[][], run: ColumnRun, start: number, count: number): ExcelCell[][] {
  const block: ExcelCell[][] = new Array<ExcelCell[]>(count);
  for (let r = 0; r < count; r++) {
    const row = rows[start + r] ?? [];
    block[r] = run.shapeIndexes.map((index) => row[index] ?? "");
  }
  return block;
}

/**
 * Workbook writes run one after another: concurrent new-sheet writes would pick the same names, and two refreshes
 * of one table must never interleave their requests (serial.ts).
 */
export const oneWriteAtATime = createSerialQueue();

/**
 * Reads what a write needs in its first request, with the date-system probe riding along; when that request
 * fails (the probe is the only part that writes), it is read again without the probe and 1900 is assumed.
 */
export async function readWithDateSystem<T>(
  context: Excel.RequestContext,
  queueReads: () => T,
  log: Log | undefined
): Promise<{ reads: T; dateSystem: DateSystem; syncs: number }> {
  const reads = queueReads();
  const dateSystem = queueDateSystemProbe(context);
  try {
    await context.sync();
    return { reads, dateSystem: dateSystem(), syncs: 1 };
  } catch (probeError) {
    const again = queueReads();
    await context.sync();
    (log ?? defaultLog)("Could not read the workbook's date system; dates are written in the 1900 system", probeError);
    return { reads: again, dateSystem: 1900, syncs: 2 };
  }
}
