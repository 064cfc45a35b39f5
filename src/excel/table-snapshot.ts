/**
 * Reads a billing table as a {@link TableSnapshot} (for `compareSnapshots` before and after a refresh in
 * place, and for `computeReconciliationTotals`).
 *
 * Only the billing columns are read: up to and including "Period status". Columns the user added to the
 * right (calculated columns that move with Total, notes) would otherwise join every row's key, and a
 * changed amount would look like a removed row plus an added one. Rows are read in blocks of about
 * {@link SNAPSHOT_BLOCK_CELLS} cells, so each response stays far below Excel on the web's 5 MB.
 */
import type { BillingPeriod } from "../billing";
import { BILLING_TABLE_COLUMNS, headerLabels, isBlankRow, toSnapshotCell, type SnapshotCell } from "./billing-table";
import type { TableSnapshot } from "./changes";

export const SNAPSHOT_BLOCK_CELLS = 60_000;

/** The table's cells now; `undefined` when there is no table of that name. */
export async function readTableSnapshot(
  context: Excel.RequestContext,
  tableName: string,
  billingPeriods: readonly BillingPeriod[] = []
): Promise<TableSnapshot | undefined> {
  const table = context.workbook.tables.getItemOrNullObject(tableName).load("name");
  await context.sync();
  if (table.isNullObject) return undefined;
  const headerRange = table.getHeaderRowRange().load("values");
  const body = table.getDataBodyRange().load("rowIndex,columnIndex,rowCount");
  await context.sync();

  const fullHeader = headerLabels(headerRange.values);
  const statusAt = fullHeader.indexOf(BILLING_TABLE_COLUMNS.periodStatus);
  const header = statusAt >= 0 ? fullHeader.slice(0, statusAt + 1) : fullHeader;
  const rowsPerBlock = Math.max(1, Math.floor(SNAPSHOT_BLOCK_CELLS / Math.max(1, header.length)));
  const sheet = table.worksheet;
  const rows: SnapshotCell[][] = [];
  for (let start = 0; start < body.rowCount; start += rowsPerBlock) {
    const count = Math.min(rowsPerBlock, body.rowCount - start);
    const block = sheet.getRangeByIndexes(body.rowIndex + start, body.columnIndex, count, header.length).load("values");
    // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one request per block keeps each response under 5 MB
    await context.sync();
    for (const row of block.values) rows.push(row.map(toSnapshotCell));
  }
  // An empty table still shows one blank data row in Excel.
  return {
    header,
    rows: rows.filter((row) => !isBlankRow(row)),
    billingPeriods: [...billingPeriods],
  };
}

/** Rows of the billing table read per request by {@link readTableColumns}: ~50 bytes of key cells per row keeps a block near 1 MB. */
export const KEY_READ_BLOCK_ROWS = 20_000;

export interface ColumnsToRead {
  sheet: Excel.Worksheet;
  /** The table's data body, with `rowIndex`, `columnIndex` and `rowCount` loaded. */
  body: Excel.Range;
  header: readonly string[];
  /** The headers of the columns to read, in the order the cells come back. */
  labels: readonly string[];
  /** Rows per request (default {@link KEY_READ_BLOCK_ROWS}): keep a block's response far below 5 MB. */
  blockRows?: number;
}

/**
 * The cells of some columns of a billing table, row by row, read in blocks (the reconciliation's and the
 * cost overview's keys); blank rows are left out. Each block is one request; the loop is the point (a
 * large table does not fit one response).
 */
export async function readTableColumns(
  context: Excel.RequestContext,
  { sheet, body, header, labels, blockRows = KEY_READ_BLOCK_ROWS }: ColumnsToRead
): Promise<SnapshotCell[][]> {
  const offsets = labels.map((label) => header.indexOf(label));
  const rows: SnapshotCell[][] = [];
  // An empty table still has one (blank) data row in Excel; its blank cells group into no key worth showing.
  for (let start = 0; start < body.rowCount; start += blockRows) {
    const count = Math.min(blockRows, body.rowCount - start);
    const blocks = offsets.map((offset) =>
      sheet.getRangeByIndexes(body.rowIndex + start, body.columnIndex + offset, count, 1).load("values")
    );
    // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one request per block keeps each response under 5 MB
    await context.sync();
    for (let r = 0; r < count; r++) rows.push(blocks.map((block) => toSnapshotCell(block.values[r]?.[0])));
  }
  return rows.filter((row) => !isBlankRow(row));
}
